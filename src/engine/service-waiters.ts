// Promises of commands that wait for one service to get ready, settled from its state changes.
import { CommandError } from '../core/control.js';
import type { Supervisor } from './supervisor.js';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: CommandError) => void;
}

/** Who waits for which service to be ready; resolved when it is, rejected when it fails or is stopped for good. */
export class ServiceWaiters {
  private readonly byService = new Map<string, Waiter[]>();

  /** Resolves once `service` is ready; rejects with a CommandError when it fails or is stopped by the user or a shutdown. */
  wait(service: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let list = this.byService.get(service);
      if (!list) this.byService.set(service, (list = []));
      list.push({ resolve, reject });
    });
  }

  /** Settles the waiters of a service whose state just changed, when that state decides them. */
  onState(sup: Supervisor): void {
    const list = this.byService.get(sup.name);
    if (!list) return;
    let failure: string | null = null;
    if (sup.ready) failure = null;
    else if (sup.state === 'failed') failure = `${sup.name} failed${sup.reason ? `: ${sup.reason}` : ''}`;
    else if (sup.state === 'stopped' && sup.stopCause === 'user') failure = `${sup.name} was stopped by the user`;
    else if (sup.state === 'stopped' && sup.stopCause === 'shutdown') failure = 'msdev is shutting down';
    else return;
    this.byService.delete(sup.name);
    for (const w of list) {
      if (failure === null) w.resolve();
      else w.reject(new CommandError(failure));
    }
  }

  /** Rejects every waiter (msdev is stopping). */
  rejectAll(reason: string): void {
    const all = [...this.byService.values()].flat();
    this.byService.clear();
    for (const w of all) w.reject(new CommandError(reason));
  }
}
