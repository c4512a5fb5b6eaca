// Waiting for a session's services to get ready within a timeout, and reporting on those that did not.
import type { ServiceView, StackControl, StackEvent } from '../core/control.js';
import type { StateEvent } from '../core/events.js';
import type { GlobalOptions } from './options.js';
import { prepareRun, type RunSession } from './run-session.js';
import { serviceReport, formatFailures, githubAnnotations, type CrashRecord, type ServiceReport, type SettleStart } from '../frontends/ci/readiness-report.js';

/** How waiting ended. */
export type ReadyWait = 'ready' | 'failed' | 'timeout' | 'interrupted';

/** What `run` and `smoke` start. */
export interface StartAndWaitOptions {
  readonly services: readonly string[];
  readonly timeoutMs: number;
  readonly json: boolean;
  readonly raw: boolean;
  readonly logs: boolean;
  /** Drop lines from a reader that falls behind instead of pausing the services. */
  readonly dropLines?: boolean;
}

/** A session whose services were started and waited for. */
export interface WaitedSession {
  readonly session: RunSession;
  readonly outcome: ReadyWait;
  /** When the services were started (ms since the epoch). */
  readonly startedAt: number;
  /** Resolves on Ctrl-C or SIGTERM. */
  readonly interrupted: Promise<void>;
  /** Every crash since the services were started. */
  readonly crashes: CrashWatch;
}

/** Whether a state event is a crash: an exit that leads to a restart (`crashed`) or ends the service (`failed` with an exit code). */
function isCrash(event: StackEvent): event is StateEvent {
  if (event.type !== 'state') return false;
  return event.state === 'crashed' || (event.state === 'failed' && event.exitCode !== undefined);
}

/** Records every service's crashes from the moment it is created until stop(). */
export class CrashWatch {
  private readonly crashes = new Map<string, CrashRecord>();
  private waiters: (() => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(stack: StackControl) {
    this.unsubscribe = stack.subscribe((event) => {
      if (!isCrash(event)) return;
      const seen = this.crashes.get(event.service);
      this.crashes.set(event.service, seen ? { ...seen, count: seen.count + 1 } : { ts: event.ts, exitCode: event.exitCode ?? null, reason: event.reason, count: 1 });
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }

  /** The first crash of a service (with the count of all), or null. */
  of(service: string): CrashRecord | null {
    return this.crashes.get(service) ?? null;
  }

  /** Whether any service crashed. */
  any(): boolean {
    return this.crashes.size > 0;
  }

  /** Resolves at the next crash. */
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops recording (before the services are stopped: exits then are not crashes). */
  stop(): void {
    this.unsubscribe();
  }
}

/** Prepares a session (msdev's messages on stderr), starts the services and waits; an exit code when it could not start. */
export async function startAndWait(opts: GlobalOptions, o: StartAndWaitOptions): Promise<WaitedSession | number> {
  const session = await prepareRun(opts, { services: o.services, json: o.json, raw: o.raw, logs: o.logs, to: 'stderr', dropLines: o.dropLines === true });
  if (typeof session === 'number') return session;
  const interrupted = session.onInterrupt();
  const crashes = new CrashWatch(session.stack);
  const startedAt = Date.now();
  session.stack.up(o.services);
  const outcome = await waitReady(session.stack, o.timeoutMs, interrupted);
  return { session, outcome, startedAt, interrupted, crashes };
}

/** How a settle window ended. */
export type SettleOutcome = 'ready' | 'crashed' | 'interrupted';

/**
 * Holds the settle window after every service got ready: 'crashed' at once when a service crashed at
 * any time since the start (or does during the window), 'interrupted' on Ctrl-C, else 'ready' after settleMs.
 */
export async function settle(crashes: CrashWatch, settleMs: number, interrupted: Promise<void>): Promise<SettleOutcome> {
  if (crashes.any()) return 'crashed';
  if (settleMs <= 0) return 'ready';
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    crashes.next().then((): SettleOutcome => 'crashed'),
    new Promise<SettleOutcome>((resolve) => (timer = setTimeout(() => resolve('ready'), settleMs))),
    interrupted.then((): SettleOutcome => 'interrupted'),
  ]);
  clearTimeout(timer);
  return outcome;
}

/** Waits until every started service is ready, one fails, the timeout passes, or `interrupted` resolves. */
export async function waitReady(stack: StackControl, timeoutMs: number, interrupted: Promise<void>): Promise<ReadyWait> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadyWait>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([
    stack.whenReady().then((o): ReadyWait => (o.ready ? 'ready' : 'failed')),
    timeout,
    interrupted.then((): ReadyWait => 'interrupted'),
  ]);
  clearTimeout(timer);
  return outcome;
}

/** A report of every service at this moment; with crashes given, a service that crashed fails. */
export function collectReports(views: readonly ServiceView[], runStartedAt: number, crashes: CrashWatch | null = null, settleStart: SettleStart = null): ServiceReport[] {
  return views.map((view) => serviceReport(view, runStartedAt, crashes?.of(view.name) ?? null, settleStart));
}

/** The failure report for stderr, with GitHub Actions annotations when running there; `crashed`: services got ready but crashed. */
export function failureText(reports: readonly ServiceReport[], timedOut: boolean, timeoutMs: number, crashed = false): string {
  const head = timedOut
    ? `msdev: not ready after ${Math.round(timeoutMs / 1000)}s (--timeout)\n`
    : crashed
      ? 'msdev: services crashed or restarted during the smoke\n'
      : 'msdev: services failed to get ready\n';
  const annotations = process.env.GITHUB_ACTIONS === 'true' ? githubAnnotations(reports) : '';
  return head + formatFailures(reports) + annotations;
}
