import { describe, expect, it } from 'vitest';
import { LoopGuard } from './loop-guard.js';

describe('LoopGuard', () => {
  it.each([
    { name: '5 within a minute: fine', times: [0, 1, 2, 3, 4], last: false },
    { name: 'the 6th within a minute: pause', times: [0, 1, 2, 3, 4, 5], last: true },
    { name: 'spread over more than a minute: fine', times: [0, 15_000, 30_000, 45_000, 59_000, 60_000], last: false },
    { name: '6 in the last minute of a long run: pause', times: [0, 100_000, 100_001, 100_002, 100_003, 100_004, 100_005], last: true },
    { name: 'every 12 s forever: fine', times: Array.from({ length: 50 }, (_, i) => i * 12_000), last: false },
  ])('$name', ({ times, last }) => {
    const guard = new LoopGuard();
    const results = times.map((t) => guard.record(t));
    expect(results.at(-1)).toBe(last);
    expect(results.slice(0, -1).every((r) => !r)).toBe(true);
  });

  it('takes its limit and window', () => {
    const guard = new LoopGuard(2, 1000);
    expect([0, 10, 20].map((t) => guard.record(t))).toEqual([false, false, true]);
    // At 1,015 the window holds 20 and 1,015 only; at 1,019 three again.
    expect(guard.record(1015)).toBe(false);
    expect(guard.record(1019)).toBe(true);
  });

  it('reset forgets the triggers so far', () => {
    const guard = new LoopGuard();
    for (let t = 0; t < 5; t++) guard.record(t);
    guard.reset();
    expect(guard.record(5)).toBe(false);
    for (let t = 6; t < 10; t++) expect(guard.record(t)).toBe(false);
    expect(guard.record(10)).toBe(true);
  });
});
