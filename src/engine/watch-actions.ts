// What a debounced batch of file changes does to a service, by its watch action: restart it; or copy the
// files into its running container (sync), then restart that same container (sync+restart); rebuild is a
// restart (its next start builds the image again when the context changed).
import type { WatchSpec } from '../config/model.js';
import type { MessageEvent } from '../core/events.js';
import type { RestartOptions } from '../core/control.js';
import type { WatchTrigger } from '../watch/service-watch.js';
import { syncChanges } from './sync-changes.js';
import type { Supervisor } from './supervisor.js';

/** What a watch action needs of the engine. */
export interface WatchActionDeps {
  announce(level: MessageEvent['level'], text: string): void;
  /** Restarts the service (coalesced with one in progress). */
  restart(options: RestartOptions): Promise<unknown>;
  /** False once msdev is stopping or the user stopped the service meanwhile. */
  stillWanted(): boolean;
}

/** Runs the service's watch action for one batch of changes. */
export async function runWatchAction(sup: Supervisor, trigger: WatchTrigger, spec: WatchSpec, deps: WatchActionDeps): Promise<void> {
  const restart = { reason: trigger.reason, dependents: spec.restartDependents };
  if (spec.action !== 'sync' && spec.action !== 'sync+restart') {
    await deps.restart(restart);
    return;
  }
  const syncing = sup.syncFiles(syncChanges(trigger.changes, spec.paths));
  if (syncing === null) {
    // Nothing runs to copy into: its next start is from the image, which a sync never changes.
    deps.announce('info', `${sup.name}: ${trigger.reason}: not running, nothing synced`);
    return;
  }
  try {
    deps.announce('info', `${sup.name}: ${trigger.reason}: ${await syncing}`);
  } catch (err) {
    deps.announce('warn', `${sup.name}: ${trigger.reason}: sync failed: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  if (spec.action !== 'sync+restart' || !deps.stillWanted()) return;
  sup.keepForRestart();
  await deps.restart(restart);
}
