// The two steps of running a stack on an edited config: stop what goes or changes, then reshape the
// supervisors to the new config (the engine starts what must start).
import type { ProjectConfig, ServiceSpec } from '../config/model.js';
import type { ConfigDiff } from './config-diff.js';
import type { ServiceGraph } from './service-graph.js';
import { stopSomeInReverseOrder } from './stop-order.js';
import type { Supervisor } from './supervisor.js';

/** Stops the removed and the changed services, each after its dependents among them, each with its reason. */
export async function stopForReload(diff: ConfigDiff, supervisors: ReadonlyMap<string, Supervisor>, graph: ServiceGraph, file: string): Promise<void> {
  const changedKeys = new Map(diff.changed.map((c) => [c.name, c.keys]));
  const going = new Map<string, Supervisor>();
  for (const name of [...diff.removed, ...changedKeys.keys()]) {
    const sup = supervisors.get(name);
    if (sup) going.set(name, sup);
  }
  await stopSomeInReverseOrder(going, graph.deps, graph.dependents, (sup) => {
    const keys = changedKeys.get(sup.name);
    return keys ? sup.stop('restart', `${file} changed: ${keys.join(', ')}`) : sup.stop('shutdown', `removed from ${file}`);
  });
}

/**
 * The supervisors of the new config, in its order: the same supervisor for a service that stays (with
 * its new settings when it changed), a new one for an added service or one whose kind changed.
 */
export function reshapeSupervisors(
  before: ReadonlyMap<string, Supervisor>,
  next: ProjectConfig,
  changed: ReadonlySet<string>,
  make: (spec: ServiceSpec) => Supervisor,
): Map<string, Supervisor> {
  const out = new Map<string, Supervisor>();
  for (const name of next.active) {
    const spec = next.services[name];
    if (!spec) continue;
    const sup = before.get(name);
    if (sup && sup.spec.kind === spec.kind) {
      if (changed.has(name)) sup.replaceSpec(spec);
      out.set(name, sup);
    } else out.set(name, make(spec));
  }
  return out;
}
