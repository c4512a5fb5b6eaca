import { describe, expect, it } from 'vitest';
import { testContainer, testService } from '../../test/helpers/specs.js';
import type { HealthcheckSpec } from '../config/model.js';
import type { BuiltinCheck, Handle } from '../runtimes/runtime.js';
import { healthFor } from './service-health.js';

const handle = (builtinCheck: BuiltinCheck | null = null, tcpHoldMs?: number): Handle => ({
  pid: null,
  container: 'c0ffee',
  exited: new Promise(() => {}),
  stop: () => Promise.resolve({ code: 0, signal: null }),
  kill: () => {},
  builtinCheck,
  ...(tcpHoldMs !== undefined ? { tcpHoldMs } : {}),
});
const image: BuiltinCheck = { describe: 'CMD-SHELL pg_isready', intervalMs: 500, look: () => Promise.resolve({ ok: false, reason: 'starting' }) };
const check = (kind: HealthcheckSpec['kind'], implicit = false): HealthcheckSpec => ({
  kind,
  target: kind === 'tcp' ? '127.0.0.1:5432' : 'true',
  intervalMs: 1000,
  timeoutMs: 1000,
  retries: 3,
  startPeriodMs: 0,
  startIntervalMs: 100,
  implicit,
});
const port = { ip: '127.0.0.1', host: 15432, container: 5432, protocol: 'tcp' as const };

describe('healthFor', () => {
  it('uses the service’s own check first', () => {
    const own = check('exec');
    expect(healthFor(testContainer('db', { healthcheck: own }), handle(image))).toEqual({ spec: own, shown: 'exec' });
    expect(healthFor(testService('api', { healthcheck: check('http') }), handle())?.shown).toBe('http');
  });

  it('prefers the image’s HEALTHCHECK to msdev’s implicit TCP connect, and to having none', async () => {
    for (const spec of [testContainer('db', { ports: [port], healthcheck: check('tcp', true) }), testContainer('db')]) {
      const chosen = healthFor(spec, handle(image));
      expect(chosen?.shown).toBe('exec');
      expect(chosen?.spec.target).toBe('CMD-SHELL pg_isready');
      expect(chosen?.spec.startPeriodMs).toBe(Number.MAX_SAFE_INTEGER);
      expect(await chosen?.probe?.()).toEqual({ ok: false, reason: 'starting' });
    }
  });

  it('keeps the TCP check of a container with a port and no image check, held open (the proxy accepts before anything listens)', () => {
    const implicit = check('tcp', true);
    const chosen = healthFor(testContainer('db', { ports: [port], healthcheck: implicit }), handle(null, 150));
    expect(chosen).toMatchObject({ spec: implicit, shown: 'tcp' });
    expect(chosen?.probe).toBeTypeOf('function');
    // With no proxy in front (a process), a TCP check is the plain connect.
    expect(healthFor(testService('api', { healthcheck: check('tcp', true) }), handle())).toEqual({ spec: check('tcp', true), shown: 'tcp' });
  });

  it('passes at once for a container with no check, no image check and no port (healthy = started)', async () => {
    const chosen = healthFor(testContainer('job'), handle());
    expect(chosen?.shown).toBeNull();
    expect(await chosen?.probe?.()).toEqual({ ok: true });
  });

  it('gives a process with no check none (ready once running)', () => {
    expect(healthFor(testService('worker'), handle())).toBeNull();
  });
});
