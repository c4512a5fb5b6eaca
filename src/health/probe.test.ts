import { describe, expect, it } from 'vitest';
import type { HealthcheckSpec } from '../config/model.js';
import { createProbe } from './probe.js';
import type { ProbeFn, ProbeOptions } from './probe.js';

function spec(kind: HealthcheckSpec['kind'], target: string): HealthcheckSpec {
  return { kind, target, intervalMs: 1000, timeoutMs: 750, retries: 3, startPeriodMs: 0, startIntervalMs: 1000, implicit: false };
}

describe('createProbe', () => {
  it('returns null for log checks', () => {
    expect(createProbe(spec('log', 'ready'), { cwd: '/', env: {} })).toBeNull();
  });

  it('builds a local exec probe', async () => {
    const probe = createProbe(spec('exec', 'test "$X" = 1'), { cwd: '/', env: { PATH: process.env.PATH, X: '1' } });
    expect(await probe?.()).toEqual({ ok: true });
  });

  it('hands exec probes to an execRunner when given, with target, timeout, cwd, env and signal', async () => {
    const seen: { target: string; options: ProbeOptions }[] = [];
    const execRunner: ProbeFn = (target, options) => {
      seen.push({ target, options });
      return Promise.resolve({ ok: false, reason: 'exit code 1: in container' });
    };
    const env = { A: 'b' };
    const probe = createProbe(spec('exec', 'pg_isready'), { cwd: '/srv', env, execRunner });
    const signal = new AbortController().signal;
    expect(await probe?.(signal)).toEqual({ ok: false, reason: 'exit code 1: in container' });
    expect(seen).toEqual([{ target: 'pg_isready', options: { timeoutMs: 750, signal, cwd: '/srv', env } }]);
  });

  it('a runner that rejects still gives a failure, not a rejection', async () => {
    const execRunner: ProbeFn = () => Promise.reject(new Error('docker exec failed'));
    const probe = createProbe(spec('exec', 'true'), { cwd: '/', env: {}, execRunner });
    expect(await probe?.()).toEqual({ ok: false, reason: 'docker exec failed' });
  });

  it('builds tcp and http probes', async () => {
    const tcp = createProbe(spec('tcp', 'nonsense'), { cwd: '/', env: {} });
    expect(await tcp?.()).toEqual({ ok: false, reason: 'invalid tcp target: nonsense (expected host:port)' });
    const http = createProbe(spec('http', 'nonsense'), { cwd: '/', env: {} });
    expect(await http?.()).toEqual({ ok: false, reason: 'invalid URL: nonsense' });
  });
});
