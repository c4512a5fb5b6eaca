// Waiting for a session's services to get ready within a timeout, and reporting on those that did not.
import type { Engine } from '../engine/engine.js';
import type { GlobalOptions } from './options.js';
import { prepareRun, type RunSession } from './run-session.js';
import { isReady } from '../engine/conditions.js';
import { serviceReport, formatFailures, githubAnnotations, type ServiceReport } from '../frontends/ci/readiness-report.js';

/** How waiting ended. */
export type ReadyWait = 'ready' | 'failed' | 'timeout' | 'interrupted';

/** What `run` and `smoke` start. */
export interface StartAndWaitOptions {
  readonly services: readonly string[];
  readonly timeoutMs: number;
  readonly json: boolean;
  readonly raw: boolean;
  readonly logs: boolean;
}

/** A session whose services were started and waited for. */
export interface WaitedSession {
  readonly session: RunSession;
  readonly outcome: ReadyWait;
  /** When the services were started (ms since the epoch). */
  readonly startedAt: number;
  /** Resolves on Ctrl-C or SIGTERM. */
  readonly interrupted: Promise<void>;
}

/** Prepares a session (msdev's messages on stderr), starts the services and waits; an exit code when it could not start. */
export async function startAndWait(opts: GlobalOptions, o: StartAndWaitOptions): Promise<WaitedSession | number> {
  const session = await prepareRun(opts, { services: o.services, json: o.json, raw: o.raw, logs: o.logs, to: 'stderr' });
  if (typeof session === 'number') return session;
  const interrupted = session.onInterrupt();
  const startedAt = Date.now();
  session.engine.start(o.services);
  const outcome = await waitReady(session.engine, o.timeoutMs, interrupted);
  return { session, outcome, startedAt, interrupted };
}

/** Waits until every started service is ready, one fails, the timeout passes, or `interrupted` resolves. */
export async function waitReady(engine: Engine, timeoutMs: number, interrupted: Promise<void>): Promise<ReadyWait> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadyWait>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([
    engine.whenReady().then((o): ReadyWait => (o.ready ? 'ready' : 'failed')),
    timeout,
    interrupted.then((): ReadyWait => 'interrupted'),
  ]);
  clearTimeout(timer);
  return outcome;
}

/** A report of every service of the engine at this moment. */
export function collectReports(engine: Engine, runStartedAt: number): ServiceReport[] {
  return engine.snapshot().map((snap) => {
    const sup = engine.service(snap.name);
    const ready = sup ? isReady(snap.state, sup.spec.healthcheck !== undefined, sup.spec.oneShot) : false;
    return serviceReport(snap, ready, runStartedAt, sup?.recent.last() ?? [], sup?.probeReason() ?? null);
  });
}

/** The failure report for stderr, with GitHub Actions annotations when running there. */
export function failureText(reports: readonly ServiceReport[], timedOut: boolean, timeoutMs: number): string {
  const head = timedOut ? `msdev: not ready after ${Math.round(timeoutMs / 1000)}s (--timeout)\n` : 'msdev: services failed to get ready\n';
  const annotations = process.env.GITHUB_ACTIONS === 'true' ? githubAnnotations(reports) : '';
  return head + formatFailures(reports) + annotations;
}
