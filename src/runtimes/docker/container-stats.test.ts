import { describe, expect, it } from 'vitest';
import { usageOf } from './container-stats.js';
import { verdict } from './builtin-check.js';
import { describeStartError } from './start-error.js';
import { unreachable } from './docker-client.js';
import { engineMessage } from './engine-message.js';
import { testContainer } from '../../../test/helpers/specs.js';

describe('usageOf', () => {
  it('turns CPU nanoseconds into ms and counts memory as docker stats does (cgroup v1 and v2)', () => {
    expect(usageOf({ cpu_stats: { cpu_usage: { total_usage: 2_500_000_000 } }, memory_stats: { usage: 50_000_000, stats: { inactive_file: 10_000_000 } } })).toEqual({ cpuMs: 2500, rssBytes: 40_000_000 });
    expect(usageOf({ cpu_stats: { cpu_usage: { total_usage: 1_000_000 } }, memory_stats: { usage: 9, stats: { total_inactive_file: 4 } } })).toEqual({ cpuMs: 1, rssBytes: 5 });
    expect(usageOf({})).toBeNull();
  });
});

describe('the image health check verdict', () => {
  it('is ok only when the engine says healthy, and quotes the last output otherwise', () => {
    expect(verdict({ State: { Health: { Status: 'healthy', Log: [] } } })).toEqual({ ok: true });
    expect(verdict({ State: { Health: { Status: 'starting', Log: [] } } })).toEqual({ ok: false, reason: 'image health check: starting (not run yet)' });
    expect(verdict({ State: { Health: { Status: 'unhealthy', Log: [{ ExitCode: 1, Output: 'curl: (7) refused\n' }] } } })).toEqual({
      ok: false,
      reason: 'image health check: exit code 1: curl: (7) refused',
    });
  });
});

describe('engine errors in words', () => {
  it('names a taken host port and says what to do', () => {
    const err = Object.assign(new Error('(HTTP code 500) server error - x'), {
      json: { message: 'driver failed programming external connectivity on endpoint shop-db: Bind for 127.0.0.1:5432 failed: port is already allocated' },
    });
    expect(describeStartError(testContainer('db'), err)).toMatch(/^host port 127\.0\.0\.1:5432 is already in use; stop what listens there or change "ports" of db/);
  });

  it('says where msdev looked for the engine, why it failed, and what to do', () => {
    expect(unreachable('unix:///var/run/docker.sock', Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }))).toBe(
      'cannot reach the Docker engine at unix:///var/run/docker.sock: is it running? no socket there (start Docker, or set DOCKER_HOST to where it listens)',
    );
    expect(unreachable('unix:///var/run/docker.sock', Object.assign(new Error('x'), { code: 'EACCES' }))).toMatch(/permission denied \(add your user to the docker group/);
    expect(engineMessage(Object.assign(new Error('(HTTP code 404) no such container - No such image: x '), {}))).toBe('No such image: x');
  });
});
