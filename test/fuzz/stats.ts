// Figures of a fuzz run: time in all and by kind of case, the slowest cases, the exit codes seen.
import type { CaseResult } from './check-case.js';
import type { FuzzCase } from './config-gen.js';

/** Accumulates per-case figures and prints them as a few lines. */
export class RunStats {
  private readonly t0 = performance.now();
  private cases = 0;
  private validateMs = 0;
  private failedMs = 0;
  private failed = 0;
  private readonly byKind = new Map<string, { n: number; ms: number }>();
  private readonly codes = new Map<string, number>();
  private slowest: { ms: number; label: string }[] = [];

  /** Counts one case that took `ms` in all (writing, running, checking). */
  add(c: FuzzCase, r: CaseResult, ms: number, failed: boolean): void {
    this.cases++;
    if (failed) {
      this.failed++;
      this.failedMs += ms;
    }
    this.validateMs += r.ms;
    const words = c.kind.split(' ');
    const kind = words.slice(0, words[0] === 'hostile' ? 2 : 1).join(' ') + (c.kind.includes('(big)') ? ' (big)' : '');
    const k = this.byKind.get(kind) ?? { n: 0, ms: 0 };
    this.byKind.set(kind, { n: k.n + 1, ms: k.ms + ms });
    this.codes.set(String(r.code), (this.codes.get(String(r.code)) ?? 0) + 1);
    this.slowest.push({ ms, label: `case ${c.index}: ${Math.round(ms)} ms, ${c.kind}` });
    if (this.slowest.length > 100) this.slowest = this.slowest.sort((a, b) => b.ms - a.ms).slice(0, 5);
  }

  /** The figures, for the test log. */
  summary(seed: number): string {
    const total = performance.now() - this.t0;
    const kinds = [...this.byKind].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `${k} ${v.n}/${(v.ms / 1000).toFixed(1)}s`);
    const codes = [...this.codes].map(([k, v]) => `${k}: ${v}`).join(', ');
    const top = this.slowest.sort((a, b) => b.ms - a.ms).slice(0, 5).map((s) => s.label);
    return [
      `config fuzz: ${this.cases} cases of seed ${seed} in ${(total / 1000).toFixed(1)} s (${(total / Math.max(1, this.cases)).toFixed(2)} ms a case, ${(this.validateMs / 1000).toFixed(1)} s of it in validate); exit codes ${codes}`,
      `  ${this.cases - this.failed} passing cases took ${((total - this.failedMs) / 1000).toFixed(1)} s, ${this.failed} failing ones ${(this.failedMs / 1000).toFixed(1)} s`,
      `  cases/time by kind: ${kinds.join(', ')}`,
      `  slowest: ${top.join('\n           ')}`,
    ].join('\n');
  }
}
