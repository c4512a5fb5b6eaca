import { describe, expect, it } from 'vitest';
import { UsageSampler, formatBytes, parseStat } from './usage.js';

/** A /proc/PID/stat line with these utime, stime and rss (pages); the name has a space and a `)`. */
function stat(pid: number, utime: number, stime: number, rss: number): string {
  const after = ['S', '1', pid, pid, '0', '-1', '4194560', '0', '0', '0', '0', utime, stime, '0', '0', '20', '0', '1', '0', '100', '1000', rss, '0'];
  return `${pid} (node a) b) ${after.join(' ')}`;
}

describe('parseStat', () => {
  it('reads ticks and resident pages after the last parenthesis', () => {
    expect(parseStat(stat(7, 30, 12, 2560))).toEqual({ ticks: 42, rssPages: 2560 });
    expect(parseStat('garbage')).toBeNull();
  });
});

describe('formatBytes', () => {
  it.each([
    [512 * 1024, '512K'],
    [45 * 1024 * 1024, '45M'],
    [1.25 * 1024 * 1024 * 1024, '1.3G'],
  ])('%i → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('UsageSampler', () => {
  it('sums the tree, gives CPU% between two samples of the same processes, and nothing for a service without pid', () => {
    const ticks = new Map([[10, 100], [11, 50]]);
    const tree = new Map([[10, [10, 11]]]);
    const sampler = new UsageSampler((pid) => tree.get(pid) ?? [pid], (pid) => (ticks.has(pid) ? stat(pid, ticks.get(pid)!, 0, 256) : null));
    const first = sampler.sample([{ name: 'api', pid: 10 }, { name: 'db', pid: null }], 0);
    expect(first.get('api')).toEqual({ cpu: null, rss: 2 * 256 * 4096 });
    expect(first.has('db')).toBe(false);
    ticks.set(10, 150); // 50 ticks = 0.5 s of CPU in 2 s: 25%
    expect(sampler.sample([{ name: 'api', pid: 10 }], 2000).get('api')?.cpu).toBeCloseTo(25);
    // A child gone: the ticks it took along would read as negative CPU, so no figure this time.
    tree.set(10, [10]);
    expect(sampler.sample([{ name: 'api', pid: 10 }], 4000).get('api')?.cpu).toBeNull();
  });
});
