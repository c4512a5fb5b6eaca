import { describe, expect, it } from 'vitest';
import { treeUsage } from './process-usage.js';

describe('treeUsage', () => {
  it('sums the CPU time and resident memory of live processes; a gone one counts nothing', () => {
    const spin = Date.now() + 50;
    while (Date.now() < spin) {
      // burn some CPU so that this process has used some
    }
    const self = treeUsage([process.pid]);
    expect(self.cpuMs).toBeGreaterThan(0);
    expect(self.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    // A pid named twice counts once; one that does not exist counts nothing.
    const again = treeUsage([process.pid, process.pid, 2 ** 22 + 12345]);
    expect(again.rssBytes).toBeGreaterThan(self.rssBytes * 0.5);
    expect(again.rssBytes).toBeLessThan(self.rssBytes * 1.5);
    expect(treeUsage([2 ** 22 + 12345])).toEqual({ cpuMs: 0, rssBytes: 0 });
  });
});
