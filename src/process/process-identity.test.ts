import { describe, expect, it } from 'vitest';
import { bootId, identify, isSameProcess, selfIdentity, startTime } from './process-identity.js';

describe('process identity', () => {
  it('proves a live process by pid, start time and boot', () => {
    const self = selfIdentity();
    expect(self.pid).toBe(process.pid);
    expect(self.start).toBeGreaterThan(0);
    expect(self.boot).toBe(bootId());
    expect(isSameProcess(self)).toBe(true);
  });

  it('a reused pid (other start time), another boot, or no start time do not match', () => {
    const self = selfIdentity();
    expect(isSameProcess({ ...self, start: self.start + 1 })).toBe(false);
    expect(isSameProcess({ ...self, boot: 'not this boot' })).toBe(false);
    expect(isSameProcess({ pid: self.pid })).toBe(false);
  });

  it('a pid that is gone has no identity', () => {
    expect(startTime(2 ** 22 + 1)).toBeNull();
    expect(identify(-1)).toBeNull();
  });
});
