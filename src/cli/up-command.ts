// `msdev up`: start the services and supervise them until interrupted or until all have ended.
import type { GlobalOptions } from './options.js';
import { isCi, pickFrontend } from './pick-frontend.js';
import { prepareRun, type RunSession } from './run-session.js';

/** Options of `msdev up`. */
export interface UpOptions {
  readonly services: readonly string[];
  readonly json: boolean;
  readonly raw: boolean;
  /** False under `--no-tui`. */
  readonly tui: boolean;
  /** Drop lines from a reader that falls behind instead of pausing the services. */
  readonly dropLines?: boolean;
}

/** Runs `msdev up`; resolves with the exit code (0 clean stop or all completed, 1 a failure, 130 forced). */
export async function upCommand(opts: GlobalOptions, up: UpOptions): Promise<number> {
  const frontend = pickFrontend({ json: up.json, noTui: !up.tui, stdoutIsTTY: process.stdout.isTTY === true, ci: isCi(process.env) });
  // 'tui' shows the plain front end until the TUI (issue 9) plugs in here.
  const session = await prepareRun(opts, { services: up.services, json: frontend === 'json', raw: up.raw, dropLines: up.dropLines === true });
  if (typeof session === 'number') return session;
  // The TUI stays open when the user has stopped every service; plain and JSON output end with them.
  return supervise(session, frontend === 'tui');
}

/** Starts everything and waits for a signal or for every service to end. */
async function supervise(session: RunSession, staysOpen: boolean): Promise<number> {
  const { stack } = session;
  const settled = new Promise<number>((resolve) => {
    stack.subscribe((event) => {
      if (event.type === 'settled' && !(staysOpen && event.userStopped)) resolve(event.code);
    });
  });
  const interrupted = session.onInterrupt();
  stack.up(session.services);
  const outcome = await Promise.race([settled.then((code) => ({ code, signal: false })), interrupted.then(() => ({ code: 0, signal: true }))]);
  return session.finish(outcome.code);
}
