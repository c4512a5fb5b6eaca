// `msdev up --detach`: starts the supervisor in the background (its own session, its messages in
// `.msdev/msdev.log`, the services' lines in `.msdev/logs/`), waits until the stack is ready or fails
// through the control socket, prints the table or the failure report, and leaves it running.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatMs, formatSmokeTable } from '../frontends/ci/readiness-report.js';
import { connectControl } from '../frontends/control/control-client.js';
import { collectReports, failureText } from './readiness.js';
import { findProject, notReached, reachInstance } from './find-instance.js';
import { INTERRUPTED_EXIT } from './run-session.js';
import type { GlobalOptions } from './options.js';

/** The hidden flag that makes `up` the detached supervisor itself. */
export const DETACHED_CHILD_FLAG = '--detached-child';

/** What the detached supervisor tells the `up -d` that started it. */
export interface DetachedMessage {
  readonly type: 'listening';
  /** False when the control socket could not be set up (then nothing can reach the run). */
  readonly ok: boolean;
}

/** Options of `up -d`. */
export interface DetachOptions {
  readonly services: readonly string[];
  readonly raw: boolean;
  /** False under --no-watch. */
  readonly watch: boolean;
  readonly timeoutMs: number;
}

/** The name of the detached supervisor's own log (msdev's messages, its errors) in `.msdev/`. */
export const SUPERVISOR_LOG = 'msdev.log';

/** Runs `msdev up -d`; 0 once every started service is ready, 1 when one failed or the timeout passed (the stack keeps running), 2 for a bad config. */
export async function detachUp(opts: GlobalOptions, o: DetachOptions): Promise<number> {
  const place = await findProject(opts);
  if (typeof place === 'number') return place;
  const running = await reachInstance(place);
  if (!notReached(running)) {
    const info = await running.info();
    running.close();
    process.stderr.write(`msdev: msdev (pid ${info.pid}) already runs ${info.project} from ${info.dir}; msdev ps shows it, msdev up --attach opens it, msdev down stops it.\n`);
    return 1;
  }
  const logPath = join(place.msdevDir, SUPERVISOR_LOG);
  let fd: number;
  try {
    mkdirSync(place.msdevDir, { recursive: true });
    fd = openSync(logPath, 'w', 0o600);
  } catch (err) {
    process.stderr.write(`msdev: cannot write ${logPath}: ${err instanceof Error ? err.message : String(err)}; nothing was started.\n`);
    return 1;
  }
  const startedAt = Date.now();
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...globalArgs(opts), 'up', DETACHED_CHILD_FLAG, ...(o.raw ? ['--raw'] : []), ...(o.watch ? [] : ['--no-watch']), ...o.services], {
    cwd: opts.cwd,
    detached: true,
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  const first = await new Promise<DetachedMessage | { readonly type: 'exit'; readonly code: number }>((done) => {
    child.once('message', (m: DetachedMessage) => done(m));
    child.once('exit', (code, signal) => done({ type: 'exit', code: code ?? (signal ? 1 : 0) }));
    child.once('error', () => done({ type: 'exit', code: 1 }));
  });
  if (first.type === 'exit') {
    // It could not start (bad config, ports taken, another msdev): its own words are in the log.
    process.stderr.write(readLog(logPath));
    return first.code === 0 ? 1 : first.code;
  }
  child.removeAllListeners();
  child.disconnect();
  child.unref();
  const pid = child.pid!;
  const where = `running in the background (msdev pid ${pid}; its messages in ${join('.msdev', SUPERVISOR_LOG)})`;
  if (!first.ok) {
    process.stderr.write(`${readLog(logPath)}msdev: the stack is ${where} but cannot be reached; stop it with kill ${pid}\n`);
    return 1;
  }
  const client = await connectControl(place.msdevDir);
  try {
    let timer: NodeJS.Timeout | undefined;
    let onSignal: () => void = () => undefined;
    const outcome = await Promise.race([
      client.whenReady().then((r) => (r.ready ? ('ready' as const) : ('failed' as const))),
      new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), o.timeoutMs))),
      client.ended.then(() => 'ended' as const),
      // Ctrl-C stops the waiting, not the stack (it runs in its own session), as with docker compose up -d --wait.
      new Promise<'interrupted'>((done) => {
        onSignal = () => done('interrupted');
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      }),
    ]);
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (outcome === 'interrupted') {
      process.stderr.write(`msdev: stopped waiting; the stack is still starting, ${where}: msdev ps to look, msdev down to stop it\n`);
      return INTERRUPTED_EXIT;
    }
    if (outcome === 'ended') {
      process.stderr.write(`${readLog(logPath)}msdev: the background msdev stopped before the stack was ready\n`);
      return 1;
    }
    const reports = collectReports(await client.snapshot(), startedAt);
    if (outcome === 'ready') {
      process.stdout.write(formatSmokeTable(reports));
      if (!opts.quiet) process.stderr.write(`msdev: ready in ${formatMs(Date.now() - startedAt)}; ${where}. msdev ps, msdev logs -f, msdev down\n`);
      return 0;
    }
    process.stderr.write(failureText(reports, outcome === 'timeout', o.timeoutMs));
    process.stderr.write(`msdev: the stack is still ${where}: msdev logs to look, msdev down to stop it\n`);
    return 1;
  } finally {
    client.close();
  }
}

/** The global flags again, for the detached supervisor (the config file made absolute). */
function globalArgs(opts: GlobalOptions): string[] {
  const args: string[] = [];
  if (opts.file !== undefined && opts.file !== '') args.push('-f', resolve(opts.cwd, opts.file));
  for (const p of opts.profiles) args.push('--profile', p);
  if (!opts.color) args.push('--no-color');
  if (opts.quiet) args.push('-q');
  return args;
}

/** The detached supervisor's log so far ('' when unreadable). */
function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
