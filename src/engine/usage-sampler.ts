// CPU share and memory of each service's process tree, from the CPU time between two samples.
import type { ServiceUsage } from '../core/control.js';
import type { Supervisor } from './supervisor.js';

/** Turns each run's CPU time into a share of one core since the previous sample of the same run. */
export class UsageSampler {
  private readonly last = new Map<string, { cpuMs: number; at: number; startedAt: number | null }>();

  /** A sample of every supervisor now, in the order given. */
  sample(supervisors: Iterable<Supervisor>, now: number): ServiceUsage[] {
    const out: ServiceUsage[] = [];
    for (const sup of supervisors) {
      const used = sup.usage();
      const prev = this.last.get(sup.name);
      let cpuPercent: number | null = null;
      if (used && prev && prev.startedAt === sup.startedAt && now > prev.at) cpuPercent = Math.max(0, ((used.cpuMs - prev.cpuMs) / (now - prev.at)) * 100);
      if (used) this.last.set(sup.name, { cpuMs: used.cpuMs, at: now, startedAt: sup.startedAt });
      else this.last.delete(sup.name);
      out.push({ name: sup.name, cpuPercent, memoryBytes: used ? used.rssBytes : null });
    }
    return out;
  }

  /** Forgets a service that is gone. */
  forget(name: string): void {
    this.last.delete(name);
  }
}
