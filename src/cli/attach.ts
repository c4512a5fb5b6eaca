// `msdev up --attach`: a front end (the TUI, plain lines or JSON) on the msdev already running the
// project, through its control socket. Quitting leaves the stack running.
import type { EventListener } from '../core/events.js';
import type { ControlClient } from '../frontends/control/control-client.js';
import type { Tui } from '../frontends/tui/tui.js';
import type { DependsOn } from '../frontends/tui/view-model.js';
import { createJsonFrontend } from '../frontends/json/json-frontend.js';
import { createPlainFrontend } from '../frontends/plain/plain-frontend.js';
import { createStdoutWriter } from '../output/stdout-writer.js';
import { withInstance } from './find-instance.js';
import type { GlobalOptions } from './options.js';
import type { FrontendKind } from './pick-frontend.js';

/** Log lines per service the TUI gets when it opens on a running stack (its history). */
const TUI_BACKLOG = 1000;

/** Runs `msdev up --attach`; 0 when quit or when the instance stops, 1 when none runs. */
export async function attachUp(opts: GlobalOptions, frontend: FrontendKind, raw: boolean): Promise<number> {
  return withInstance(opts, async (client, place) => {
    const info = await client.info();
    let quit: (code: number) => void = () => undefined;
    const quitted = new Promise<number>((resolve) => (quit = resolve));
    const ended = client.ended.then(() => 'ended' as const);
    if (frontend === 'tui') return await inTui(client, info.project, info.services, info.depends_on, raw, place.msdevDir, ended);
    const out = createStdoutWriter(process.stdout);
    let listener: EventListener;
    if (frontend === 'json') listener = createJsonFrontend({ write: (s) => out.write(s) }).listener;
    else {
      const plain = createPlainFrontend({ names: info.services, color: opts.color && process.stdout.isTTY === true, raw, quiet: opts.quiet, write: (s) => out.write(s) });
      listener = plain.listener;
      if (!opts.quiet) out.write(plain.formatMessage('info', `attached to ${info.project} (msdev pid ${info.pid}); Ctrl-C detaches, the stack keeps running`));
    }
    client.subscribe((event) => {
      if (event.type !== 'snapshot') listener(event);
    });
    const onSignal = (): void => quit(0);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
    const how = await Promise.race([quitted.then(() => 'quit' as const), ended]);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    await out.flush();
    if (!opts.quiet) process.stderr.write(farewell(how, info.project));
    return 0;
  }, { backlog: frontend === 'tui' ? TUI_BACKLOG : 0 });
}

/** What attach says as it ends: the instance stopped, or this view detached from it. */
function farewell(how: 'quit' | 'ended', project: string): string {
  return how === 'ended' ? 'msdev: the instance stopped\n' : `msdev: detached; ${project} keeps running (msdev down stops it)\n`;
}

/** The TUI on the running stack; `q` detaches. */
async function inTui(
  client: ControlClient,
  project: string,
  names: readonly string[],
  dependsOn: DependsOn,
  raw: boolean,
  msdevDir: string,
  ended: Promise<'ended'>,
): Promise<number> {
  const { openTui } = await import('../frontends/tui/tui.js');
  let quit: (how: 'quit' | 'failed') => void = () => undefined;
  const quitted = new Promise<'quit' | 'failed'>((resolve) => (quit = resolve));
  let failure: string | null = null;
  let screen: Tui | null = null;
  try {
    screen = openTui({
      stack: client,
      project,
      names,
      dependsOn,
      raw,
      msdevDir,
      attached: true,
      onQuit: () => quit('quit'),
      onFailure: (err) => {
        failure = err instanceof Error ? err.message : String(err);
        quit('failed');
      },
    });
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
    quit('failed');
  }
  const how = await Promise.race([quitted, ended]);
  screen?.close();
  if (how === 'failed') {
    process.stderr.write(`msdev: the terminal UI failed (${failure ?? 'unknown error'}; see .msdev/tui-error.log); the stack keeps running.\n`);
    return 1;
  }
  process.stderr.write(farewell(how, project));
  return 0;
}
