import { describe, expect, it } from 'vitest';
import { applyProbeResult, initialHealthState } from './health-policy.js';
import type { HealthChange, HealthState, HealthStatus } from './health-policy.js';

const spec = { retries: 3, startPeriodMs: 10_000, intervalMs: 1_000 };

/** A state in short form: status, failures, everHealthy. */
function st(status: HealthStatus, consecutiveFailures = 0, everHealthy = status !== 'unknown'): HealthState {
  return { status, consecutiveFailures, everHealthy, lastCountedMs: null };
}

/** The state without the time of the last counted failure (the table compares the tally). */
function tally(state: HealthState): Omit<HealthState, 'lastCountedMs'> {
  return { status: state.status, consecutiveFailures: state.consecutiveFailures, everHealthy: state.everHealthy };
}

describe('applyProbeResult', () => {
  const table: {
    name: string;
    state: HealthState;
    ok: boolean;
    elapsed: number;
    retries?: number;
    expect: HealthState;
    change: HealthChange | null;
  }[] = [
    { name: 'first success inside start period → healthy', state: initialHealthState, ok: true, elapsed: 500, expect: st('healthy'), change: 'healthy' },
    { name: 'first success after start period → healthy', state: initialHealthState, ok: true, elapsed: 60_000, expect: st('healthy'), change: 'healthy' },
    { name: 'failure inside start period does not count', state: initialHealthState, ok: false, elapsed: 9_999, expect: initialHealthState, change: null },
    { name: 'failure at the end of start period counts', state: initialHealthState, ok: false, elapsed: 10_000, expect: st('unknown', 1, false), change: null },
    { name: 'never healthy: retries-th failure after start period → unhealthy', state: st('unknown', 2, false), ok: false, elapsed: 20_000, expect: st('unhealthy', 3, false), change: 'unhealthy' },
    { name: 'never healthy, unhealthy: a success → healthy', state: st('unhealthy', 7, false), ok: true, elapsed: 30_000, expect: st('healthy'), change: 'healthy' },
    { name: 'healthy: a success changes nothing', state: st('healthy'), ok: true, elapsed: 1_000, expect: st('healthy'), change: null },
    { name: 'healthy: failures count even inside start period', state: st('healthy'), ok: false, elapsed: 1_000, expect: st('healthy', 1), change: null },
    { name: 'healthy: second failure still healthy', state: st('healthy', 1), ok: false, elapsed: 1_000, expect: st('healthy', 2), change: null },
    { name: 'healthy: retries-th consecutive failure → unhealthy', state: st('healthy', 2), ok: false, elapsed: 1_000, expect: st('unhealthy', 3), change: 'unhealthy' },
    { name: 'unhealthy: more failures are no change', state: st('unhealthy', 3), ok: false, elapsed: 50_000, expect: st('unhealthy', 4), change: null },
    { name: 'unhealthy: a success → healthy, count reset', state: st('unhealthy', 4), ok: true, elapsed: 50_000, expect: st('healthy'), change: 'healthy' },
    { name: 'healthy with failures: a success resets the count', state: st('healthy', 2), ok: true, elapsed: 50_000, expect: st('healthy'), change: null },
    { name: 'retries 1: one failure → unhealthy', state: st('healthy'), ok: false, elapsed: 50_000, retries: 1, expect: st('unhealthy', 1), change: 'unhealthy' },
    { name: 'retries 0 behaves like 1', state: st('healthy'), ok: false, elapsed: 50_000, retries: 0, expect: st('unhealthy', 1), change: 'unhealthy' },
  ];

  it.each(table)('$name', (row) => {
    const result = applyProbeResult(row.state, row.ok, row.elapsed, { ...spec, retries: row.retries ?? spec.retries });
    expect(tally(result.state)).toEqual(tally(row.expect));
    expect(result.change).toBe(row.change);
  });

  it('does not mutate the state it is given', () => {
    const state = st('healthy', 1);
    applyProbeResult(state, false, 0, spec);
    expect(state).toEqual(st('healthy', 1));
  });

  it('before the first success, failures count at most once per interval (start_interval probes are faster)', () => {
    const fast = { retries: 3, startPeriodMs: 0, intervalMs: 1_000 };
    let state = initialHealthState;
    const changes: (HealthChange | null)[] = [];
    // Probes every 100 ms for 2.5 s: the failures at 0, 1000 and 2000 ms count; the third makes it unhealthy.
    for (let t = 0; t <= 2_500; t += 100) {
      const r = applyProbeResult(state, false, t, fast);
      if (r.change) changes.push(r.change);
      if (t === 1_900) expect(r.state.consecutiveFailures).toBe(2);
      state = r.state;
    }
    expect(changes).toEqual(['unhealthy']);
    expect(state.consecutiveFailures).toBe(3);
    expect(state.lastCountedMs).toBe(2_000);
  });

  it('a sequence: start period, then unhealthy, then recovery', () => {
    const steps: [boolean, number, HealthChange | null][] = [
      [false, 0, null],
      [false, 5_000, null],
      [false, 10_000, null],
      [false, 11_000, null],
      [false, 12_000, 'unhealthy'],
      [false, 13_000, null],
      [true, 14_000, 'healthy'],
      [false, 15_000, null],
      [true, 16_000, null],
    ];
    let state = initialHealthState;
    const changes = steps.map(([ok, elapsed]) => {
      const r = applyProbeResult(state, ok, elapsed, spec);
      state = r.state;
      return r.change;
    });
    expect(changes).toEqual(steps.map((s) => s[2]));
  });
});
