// The explicit, pure transition function of a service's lifecycle (SPEC §2).
import type { ServiceState } from '../core/states.js';

/** What can happen to a service. */
export type Transition =
  /** Asked to run (msdev up / start): waits on its dependencies. */
  | 'request'
  /** Dependencies met: the runtime is starting it. */
  | 'launch'
  /** Its back-off elapsed, or a command started it during the back-off: it waits on its dependencies again. */
  | 'retry'
  /** The runtime started it. */
  | 'spawned'
  /** Its health check passed (or its port accepts TCP). */
  | 'probe-ok'
  /** Its health check failed `retries` times in a row. */
  | 'probe-failed'
  /** It exited and will not run again: exit 0 of a one-shot or a service that is not restarted. */
  | 'exit-completed'
  /** It exited and a restart is scheduled. */
  | 'exit-restart'
  /** It exited and gave up: one-shot failure, max restarts, or an exit restarting cannot help. */
  | 'exit-failed'
  /** The runtime could not start it at all. */
  | 'start-error'
  /** A dependency it waits on failed or can no longer meet its condition. */
  | 'dependency-failed'
  /** Asked to stop. */
  | 'stop'
  /** Everything of it is gone after a stop. */
  | 'stopped';

const RUNNING: readonly ServiceState[] = ['starting', 'running', 'healthy', 'unhealthy'];
const ENDED: readonly ServiceState[] = ['completed', 'failed', 'stopped'];

const TABLE: Readonly<Record<Transition, Readonly<Partial<Record<ServiceState, ServiceState>>>>> = {
  request: fromEach(ENDED, 'pending'),
  launch: { pending: 'starting' },
  retry: { crashed: 'pending' },
  spawned: { starting: 'running' },
  'probe-ok': { running: 'healthy', unhealthy: 'healthy' },
  'probe-failed': { running: 'unhealthy', healthy: 'unhealthy' },
  'exit-completed': fromEach(RUNNING, 'completed'),
  'exit-restart': fromEach(RUNNING, 'crashed'),
  'exit-failed': fromEach(RUNNING, 'failed'),
  'start-error': { starting: 'failed' },
  'dependency-failed': { pending: 'failed' },
  stop: { ...fromEach(RUNNING, 'stopping'), pending: 'stopped', crashed: 'stopped' },
  stopped: { stopping: 'stopped' },
};

/** The state after `transition` from `state`, or null when that transition does not apply there. */
export function next(state: ServiceState, transition: Transition): ServiceState | null {
  return TABLE[transition][state] ?? null;
}

function fromEach(states: readonly ServiceState[], to: ServiceState): Partial<Record<ServiceState, ServiceState>> {
  return Object.fromEntries(states.map((s) => [s, to]));
}
