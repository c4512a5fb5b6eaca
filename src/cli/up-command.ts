// `msdev up`: start the services and supervise them until interrupted or until all have ended.
import type { ProjectConfig } from '../config/model.js';
import type { Tui } from '../frontends/tui/tui.js';
import { msdevDir } from './instance-file.js';
import type { GlobalOptions } from './options.js';
import { isCi, pickFrontend } from './pick-frontend.js';
import { prepareRun, type RunSession } from './run-session.js';
import type { DetachedMessage } from './detach.js';

/** Options of `msdev up`. */
export interface UpOptions {
  readonly services: readonly string[];
  readonly json: boolean;
  readonly raw: boolean;
  /** False under `--no-tui`. */
  readonly tui: boolean;
  /** Drop lines from a reader that falls behind instead of pausing the services. */
  readonly dropLines?: boolean;
  /** `-d`: run in the background, return once ready. */
  readonly detach?: boolean;
  /** `--attach`: a front end on the msdev already running. */
  readonly attach?: boolean;
  /** How long `-d` waits for readiness. */
  readonly timeoutMs?: number;
  /** This process is the background supervisor `-d` started. */
  readonly detachedChild?: boolean;
  /** False under `--no-watch`: no hot reload, the config file is not watched. */
  readonly watch?: boolean;
}

/** Default of `--timeout` (SPEC §3: timeouts default to 2 minutes). */
const DEFAULT_TIMEOUT_MS = 120_000;

/** Runs `msdev up`; resolves with the exit code (0 clean stop or all completed, 1 a failure, 130 forced). */
export async function upCommand(opts: GlobalOptions, up: UpOptions): Promise<number> {
  const frontend = pickFrontend({ json: up.json, noTui: !up.tui, stdoutIsTTY: process.stdout.isTTY === true, ci: isCi(process.env) });
  if (up.attach === true) {
    const { attachUp } = await import('./attach.js');
    return attachUp(opts, frontend, up.raw);
  }
  if (up.detach === true) {
    const { detachUp } = await import('./detach.js');
    return detachUp(opts, { services: up.services, raw: up.raw, watch: up.watch !== false, timeoutMs: up.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  }
  if (up.detachedChild === true) return superviseDetached(opts, up);
  const tui = frontend === 'tui';
  // The TUI draws the whole screen: no plain or JSON output on stdout then.
  const session = await prepareRun(opts, { services: up.services, json: frontend === 'json', raw: up.raw, dropLines: up.dropLines === true, watch: up.watch !== false, ...(tui ? { to: 'none' as const } : {}) });
  if (typeof session === 'number') return session;
  if (!tui) return supervise(session, false, null);
  return superviseInTui(session, up.raw);
}

/**
 * The background supervisor of `up -d`: msdev's own messages go to stderr (`.msdev/msdev.log`), the
 * services' lines to their log files; once the control socket listens it tells `up -d`, which then waits
 * for readiness over the socket. It stays up when the user stops every service, as the TUI does.
 */
async function superviseDetached(opts: GlobalOptions, up: UpOptions): Promise<number> {
  const session = await prepareRun(opts, { services: up.services, json: false, raw: up.raw, to: 'stderr', logs: false, watch: up.watch !== false });
  if (typeof session === 'number') return session;
  void session.control.then((server) => {
    const message: DetachedMessage = { type: 'listening', ok: server !== null };
    // The callback takes a send error (the `up -d` that waits may be gone), which would else be thrown.
    process.send?.(message, undefined, {}, () => process.disconnect?.());
  });
  return supervise(session, true, null);
}

/** The `depends_on` of every service, for the TUI's why-line. */
function dependsOnOf(config: ProjectConfig): Record<string, Readonly<Record<string, 'started' | 'healthy' | 'completed'>>> {
  const out: Record<string, Readonly<Record<string, 'started' | 'healthy' | 'completed'>>> = {};
  for (const [name, spec] of Object.entries(config.services)) out[name] = spec.dependsOn;
  return out;
}

/** Opens the TUI (loaded only now: blessed costs nothing to `validate` or plain `up`), supervises, closes it. */
async function superviseInTui(session: RunSession, raw: boolean): Promise<number> {
  const { openTui } = await import('../frontends/tui/tui.js');
  const { config } = session;
  let failed: (code: number) => void = () => undefined;
  const failure = new Promise<number>((resolve) => (failed = resolve));
  const broken: { message: string | null } = { message: null };
  const failWith = (err: unknown): void => {
    broken.message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
    failed(1);
  };
  let screen: Tui | null = null;
  try {
    screen = openTui({
      stack: session.stack,
      project: config.name,
      names: config.active,
      dependsOn: dependsOnOf(config),
      raw,
      msdevDir: msdevDir(config.dir),
      // `q` and Ctrl-C are the first (graceful) and second (forced) Ctrl-C of the session.
      onQuit: () => process.kill(process.pid, 'SIGINT'),
      onFailure: failWith,
    });
  } catch (err) {
    failWith(err);
  }
  try {
    // The TUI stays open when the user has stopped every service.
    return await supervise(session, true, failure);
  } finally {
    screen?.close();
    if (broken.message !== null) process.stderr.write(`msdev: the terminal UI failed (${broken.message}; see .msdev/tui-error.log); every service was stopped.\n`);
  }
}

/** Starts everything and waits for a signal, for every service to end, or for `stop` (an exit code). */
async function supervise(session: RunSession, staysOpen: boolean, stop: Promise<number> | null): Promise<number> {
  const { stack } = session;
  const settled = new Promise<number>((resolve) => {
    stack.subscribe((event) => {
      if (event.type === 'settled' && !(staysOpen && event.userStopped)) resolve(event.code);
    });
  });
  const interrupted = session.onInterrupt();
  stack.up(session.services);
  const outcomes = [settled, interrupted.then(() => 0)];
  if (stop !== null) outcomes.push(stop);
  return session.finish(await Promise.race(outcomes));
}
