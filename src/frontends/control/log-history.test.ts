// The control server's per-service history of log lines: its bounds, last(n), and order across services.
import { describe, expect, it } from 'vitest';
import type { LogEvent, LogStream } from '../../core/events.js';
import { LogHistory, type HistoryBatch } from './log-history.js';

let clock = 1_000;

/** A log batch of `lines` from `service`. */
function log(service: string, lines: readonly string[], stream: LogStream = 'stdout'): LogEvent {
  return { type: 'log', ts: clock++, service, stream, text: lines.join('\n'), lines };
}

/** `service:line` for every line of the batches, in order. */
function flat(batches: readonly HistoryBatch[]): string[] {
  return batches.flatMap((b) => b.text.split('\n').map((line) => `${b.service}:${line}`));
}

/** Lines `prefix0` … `prefix(n-1)`. */
function numbered(prefix: string, n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);
}

/** What the history holds internally for one service (compaction is not visible through last()). */
function internals(h: LogHistory, service: string): { batches: unknown[]; head: number } {
  return (h as unknown as { services: Map<string, { batches: unknown[]; head: number }> }).services.get(service)!;
}

describe('LogHistory', () => {
  it('keeps the last lines of a service by count: one-line batches', () => {
    const h = new LogHistory(10, 1_000_000);
    for (const line of numbered('l', 25)) h.add(log('api', [line]));
    expect(flat(h.last(1000, null))).toEqual(numbered('l', 10, 15).map((l) => `api:${l}`));
    expect(flat(h.last(3, null))).toEqual(['api:l22', 'api:l23', 'api:l24']);
  });

  it('bounds by lines with whole batches: an older batch goes only when the newer ones hold the bound without it', () => {
    const h = new LogHistory(10, 1_000_000);
    for (let b = 0; b < 10; b++) h.add(log('api', numbered(`b${b}-`, 3)));
    // 4 batches (12 lines) stay: without the oldest of them only 9 would be left.
    const kept = h.last(1000, null);
    expect(kept).toHaveLength(4);
    expect(kept.map((b) => b.count)).toEqual([3, 3, 3, 3]);
    expect(kept[0]!.text).toBe('b6-0\nb6-1\nb6-2');
    // last(bound) gives exactly the bound: the oldest batch trimmed to its last line.
    const ten = h.last(10, null);
    expect(ten.map((b) => b.count)).toEqual([1, 3, 3, 3]);
    expect(flat(ten)[0]).toBe('api:b6-2');
    expect(flat(ten)).toHaveLength(10);
  });

  it('bounds by characters, whatever the line count', () => {
    const h = new LogHistory(1000, 100);
    const line = (i: number) => `${i}`.padEnd(30, 'x');
    for (let i = 0; i < 10; i++) h.add(log('api', [line(i)]));
    // 3 × 30 = 90 ≤ 100; a fourth would make 120.
    expect(h.last(1000, null).map((b) => b.text)).toEqual([line(7), line(8), line(9)]);
    for (const b of h.last(1000, null)) expect(b.text.length).toBe(30);
  });

  it('keeps the newest batch even when it alone is over both bounds; reading trims it to n', () => {
    const h = new LogHistory(5, 100);
    h.add(log('api', ['old']));
    const big = numbered('big', 50).map((l) => l.padEnd(40, '.'));
    h.add(log('api', big));
    const all = h.last(1000, null);
    expect(all).toHaveLength(1);
    expect(all[0]!.text).toBe(big.join('\n'));
    expect(all[0]!.count).toBe(50);
    const two = h.last(2, null);
    expect(two).toHaveLength(1);
    expect(two[0]!.text).toBe(big.slice(-2).join('\n'));
    expect(two[0]!.count).toBe(2);
    // The next batch makes the big one go (the new one is within the bounds alone).
    h.add(log('api', ['small']));
    expect(flat(h.last(1000, null))).toEqual(['api:small']);
  });

  it('a single line over the character bound is kept whole', () => {
    const h = new LogHistory(10, 100);
    const huge = 'z'.repeat(10_000);
    h.add(log('api', [huge]));
    expect(h.last(1, null)[0]!.text).toBe(huge);
  });

  it('last(n) is per service: n lines of each, a batch cut by n keeps only its last lines', () => {
    const h = new LogHistory();
    h.add(log('api', ['a0', 'a1', 'a2', 'a3']));
    h.add(log('db', ['d0']));
    h.add(log('api', ['a4', 'a5']));
    h.add(log('db', ['d1', 'd2', 'd3']));
    const batches = h.last(4, null);
    expect(flat(batches)).toEqual(['api:a2', 'api:a3', 'db:d0', 'api:a4', 'api:a5', 'db:d1', 'db:d2', 'db:d3']);
    const cut = batches[0]!;
    expect(cut).toMatchObject({ service: 'api', text: 'a2\na3', count: 2 });
    // The trimmed batch keeps its arrival stamp.
    expect(cut.seq).toBeLessThan(batches[1]!.seq);
    // Exactly n from the newest batch only.
    expect(flat(h.last(2, null))).toEqual(['api:a4', 'api:a5', 'db:d2', 'db:d3']);
  });

  it('trims a batch with empty lines at the right newline', () => {
    const h = new LogHistory();
    h.add(log('api', ['first', '', 'third', '']));
    expect(h.last(2, null)[0]!.text).toBe('third\n');
    expect(h.last(3, null)[0]!.text).toBe('\nthird\n');
    expect(h.last(3, null)[0]!.count).toBe(3);
    expect(h.last(4, null)[0]!.text).toBe('first\n\nthird\n');
  });

  it('gives batches in arrival order across services, with their stream and time', () => {
    const h = new LogHistory();
    const events = [log('a', ['1']), log('b', ['2'], 'stderr'), log('c', ['3']), log('a', ['4'], 'stderr'), log('b', ['5']), log('c', ['6'])];
    for (const e of events) h.add(e);
    const got = h.last(10, null);
    expect(got.map((b) => [b.service, b.stream, b.text, b.ts])).toEqual(events.map((e) => [e.service, e.stream, e.text, e.ts]));
    const seqs = got.map((b) => b.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });

  it('filters by service: only those asked for, unknown names ignored, in arrival order', () => {
    const h = new LogHistory();
    h.add(log('a', ['a1']));
    h.add(log('b', ['b1']));
    h.add(log('c', ['c1']));
    h.add(log('a', ['a2']));
    expect(flat(h.last(10, ['c', 'a']))).toEqual(['a:a1', 'c:c1', 'a:a2']);
    expect(flat(h.last(10, ['b', 'nope']))).toEqual(['b:b1']);
    expect(h.last(10, ['nope'])).toEqual([]);
    expect(h.last(10, [])).toEqual([]);
  });

  it('n = 0 (or less) gives nothing', () => {
    const h = new LogHistory();
    h.add(log('a', ['x']));
    expect(h.last(0, null)).toEqual([]);
    expect(h.last(-1, null)).toEqual([]);
    expect(new LogHistory().last(10, null)).toEqual([]);
  });

  it('lets go of a dropped batch at once, not at the next compaction (1,000 dropped 64 KiB batches held 64 MiB)', () => {
    const h = new LogHistory(10, 1_000_000);
    for (let i = 0; i < 500; i++) h.add(log('api', numbered(`b${i}-`, 20)));
    const inner = internals(h, 'api');
    expect(inner.head).toBeGreaterThan(400);
    expect(inner.batches.slice(0, inner.head).every((b) => b === null)).toBe(true);
    expect(flat(h.last(10, null))).toEqual(numbered('b499-', 10, 10).map((l) => `api:${l}`));
  });

  it('compacts its batch list after many batches and still answers right', () => {
    const h = new LogHistory(10, 1_000_000);
    for (let i = 0; i < 5000; i++) {
      h.add(log('api', [`l${i}`]));
      if (i % 3 === 0) h.add(log('db', [`d${i}`]));
    }
    expect(flat(h.last(1000, ['api']))).toEqual(numbered('l', 10, 4990).map((l) => `api:${l}`));
    expect(flat(h.last(2, ['db']))).toEqual(['db:d4995', 'db:d4998']);
    // The array is compacted (not 5000 entries with a head far in), so memory stays bounded.
    const inner = internals(h, 'api');
    expect(inner.batches.length).toBeLessThan(2100);
    expect(inner.batches.length - inner.head).toBe(10);
    // Across a compaction boundary, order and content stay right.
    expect(flat(h.last(3, null))).toEqual(['db:d4992', 'db:d4995', 'api:l4997', 'api:l4998', 'db:d4998', 'api:l4999']);
  });
});
