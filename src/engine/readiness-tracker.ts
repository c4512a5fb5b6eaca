// What readiness and settling look at, kept up to date on every state change so that each check is O(1).
import { TERMINAL_STATES } from '../core/states.js';
import type { Supervisor } from './supervisor.js';

/**
 * The services asked for (with their dependencies) and, among them: those not ready, those down
 * (failed, or stopped by a shutdown) and those not ended. A service stopped by the user counts as
 * neither not-ready nor down; one stopped for a restart is not ended (it starts again).
 * (1,000 services starting one per turn made a walk over all of them on each change quadratic.)
 */
export class ReadinessTracker {
  /** The services asked for, with what they depend on. */
  readonly wanted = new Set<string>();
  private readonly notReady = new Set<string>();
  private readonly down = new Set<string>();
  private readonly unended = new Set<string>();

  /** Files a service under the sets its current state puts it in. */
  update(sup: Supervisor): void {
    const name = sup.name;
    if (!this.wanted.has(name)) return;
    const counted = !sup.userStopped;
    toggle(this.notReady, name, counted && !sup.ready);
    toggle(this.down, name, counted && (sup.state === 'failed' || (sup.state === 'stopped' && sup.stopCause === 'shutdown')));
    toggle(this.unended, name, !TERMINAL_STATES.has(sup.state) || (sup.state === 'stopped' && sup.stopCause === 'restart'));
  }

  /** Drops a service the config no longer has. */
  forget(name: string): void {
    this.wanted.delete(name);
    this.notReady.delete(name);
    this.down.delete(name);
    this.unended.delete(name);
  }

  /** Every wanted service that counts is ready. */
  allReady(): boolean {
    return this.wanted.size > 0 && this.notReady.size === 0;
  }

  /** The wanted services that are down, in the order they were asked for. */
  failed(): string[] {
    return this.down.size === 0 ? [] : [...this.wanted].filter((n) => this.down.has(n));
  }

  /** Every wanted service has ended (completed, failed or stopped) and none will restart. */
  allEnded(): boolean {
    return this.wanted.size > 0 && this.unended.size === 0;
  }
}

/** Adds `item` to `set` when `on`, removes it otherwise. */
function toggle<T>(set: Set<T>, item: T, on: boolean): void {
  if (on) set.add(item);
  else set.delete(item);
}
