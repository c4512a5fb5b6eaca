// Pure rules for dependency conditions and readiness (SPEC §1, §2, §3).
import type { Condition } from '../config/model.js';
import type { ServiceState } from '../core/states.js';

/** Where a dependency stands for a dependent that waits on it with a condition. */
export type ConditionStatus = { readonly met: true } | { readonly met: false; readonly impossible: string | null };

const STARTED: ReadonlySet<ServiceState> = new Set(['running', 'healthy', 'unhealthy', 'completed']);

/** Whether dependency `dep` in `state` meets `condition`, and if not, whether it never can (with why). */
export function conditionStatus(dep: string, condition: Condition, state: ServiceState): ConditionStatus {
  if (condition === 'started' && STARTED.has(state)) return { met: true };
  if (condition === 'healthy' && state === 'healthy') return { met: true };
  if (condition === 'completed' && state === 'completed') return { met: true };
  if (state === 'failed') return { met: false, impossible: `dependency ${dep} failed` };
  // A stopped dependency (by the user, or for a restart) may be started again: its dependents wait.
  if (state === 'completed') return { met: false, impossible: `dependency ${dep} exited before it was ${condition}` };
  return { met: false, impossible: null };
}

/** What ready means for one service (SPEC §3): healthy; running when it has no health check; completed for one-shots. */
export function isReady(state: ServiceState, hasHealthcheck: boolean, oneShot: boolean): boolean {
  if (oneShot) return state === 'completed';
  if (state === 'healthy') return true;
  if (state === 'completed') return true;
  return !hasHealthcheck && state === 'running';
}

/** What a pending service does next: launch (every condition met), wait, or fail with why (one can never be met). */
export type LaunchDecision = { readonly action: 'launch' } | { readonly action: 'wait' } | { readonly action: 'fail'; readonly reason: string };

/** Decides from its conditions and its dependencies' states (undefined: not running here) whether a pending service launches. */
export function launchDecision(dependsOn: Readonly<Record<string, Condition>>, stateOf: (dep: string) => ServiceState | undefined): LaunchDecision {
  let waiting = false;
  for (const [dep, condition] of Object.entries(dependsOn)) {
    const state = stateOf(dep);
    if (state === undefined) continue;
    const status = conditionStatus(dep, condition, state);
    if (status.met) continue;
    if (status.impossible) return { action: 'fail', reason: status.impossible };
    waiting = true;
  }
  return waiting ? { action: 'wait' } : { action: 'launch' };
}
