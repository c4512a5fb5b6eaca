// The dependency graph of the running services: what each depends on, its direct dependents, its config order.
import type { DependencyMap } from '../core/graph.js';
import type { Supervisor } from './supervisor.js';

/** Dependencies, dependents and config order of the supervisors; rebuilt whole when the config changes. */
export class ServiceGraph {
  /** Each service's dependencies, for start closure and stop order. */
  deps: DependencyMap = {};
  /** Each service's direct dependents, in config order (the reverse of deps). */
  readonly dependents = new Map<string, Supervisor[]>();
  private readonly order = new Map<Supervisor, number>();

  /** Rebuilds everything from the supervisors, given in config order. */
  rebuild(supervisors: ReadonlyMap<string, Supervisor>): void {
    this.deps = Object.fromEntries([...supervisors].map(([name, sup]) => [name, sup.spec.dependsOn]));
    this.dependents.clear();
    this.order.clear();
    for (const sup of supervisors.values()) {
      this.order.set(sup, this.order.size);
      for (const dep of Object.keys(sup.spec.dependsOn)) {
        if (dep === sup.name || !supervisors.has(dep)) continue;
        let list = this.dependents.get(dep);
        if (!list) this.dependents.set(dep, (list = []));
        list.push(sup);
      }
    }
  }

  /** The direct dependents of a service. */
  dependentsOf(name: string): readonly Supervisor[] {
    return this.dependents.get(name) ?? [];
  }

  /** A supervisor's place in the config (for launching in config order). */
  orderOf(sup: Supervisor): number {
    return this.order.get(sup) ?? 0;
  }
}
