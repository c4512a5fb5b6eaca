import { describe, expect, it } from 'vitest';
import type { HealthcheckSpec } from '../config/model.js';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { HealthMonitor } from './health-monitor.js';
import type { HealthChange } from './health-policy.js';
import type { BoundProbe, ProbeResult } from './probe.js';

const OK: ProbeResult = { ok: true };
const FAIL: ProbeResult = { ok: false, reason: 'HTTP 503' };

function spec(overrides: Partial<HealthcheckSpec> = {}): HealthcheckSpec {
  return {
    kind: 'http',
    target: 'http://127.0.0.1:1/health',
    intervalMs: 1000,
    timeoutMs: 500,
    retries: 3,
    startPeriodMs: 0,
    implicit: false,
    ...overrides,
    // The old tests speak of one interval; start_interval has tests of its own.
    startIntervalMs: overrides.startIntervalMs ?? overrides.intervalMs ?? 1000,
  };
}

/** A fake probe: answers from a script (last entry repeats), taking durationMs of fake time. */
function scriptedProbe(clock: FakeClock, script: ProbeResult[], durationMs = 0) {
  const calls: { at: number; signal: AbortSignal | undefined }[] = [];
  let running = 0;
  let maxRunning = 0;
  const probe: BoundProbe = (signal) => {
    calls.push({ at: clock.now(), signal });
    running++;
    maxRunning = Math.max(maxRunning, running);
    const result = script[Math.min(calls.length - 1, script.length - 1)] ?? OK;
    return new Promise((resolve) => {
      const done = (): void => {
        running--;
        resolve(result);
      };
      if (durationMs === 0) queueMicrotask(done);
      else clock.setTimeout(done, durationMs);
    });
  };
  return { probe, calls, maxRunning: () => maxRunning };
}

function setup(hc: HealthcheckSpec, probe: BoundProbe | undefined, clock: FakeClock) {
  const changes: { change: HealthChange; reason: string | null; at: number }[] = [];
  const monitor = new HealthMonitor(hc, {
    cwd: process.cwd(),
    env: process.env,
    clock,
    probe,
    onChange: (change, reason) => changes.push({ change, reason, at: clock.now() }),
  });
  return { monitor, changes };
}

describe('HealthMonitor (interval probes)', () => {
  it('says each change of the latest failure reason, once, and null when a probe passes', async () => {
    const clock = new FakeClock(0);
    const refused: ProbeResult = { ok: false, reason: 'connection refused' };
    const status: ProbeResult = { ok: false, reason: 'HTTP 503' };
    const fake = scriptedProbe(clock, [refused, refused, status, OK, OK, refused]);
    const reasons: (string | null)[] = [];
    const monitor = new HealthMonitor(spec(), { cwd: process.cwd(), env: process.env, clock, probe: fake.probe, onChange: () => undefined, onReason: (r) => reasons.push(r) });
    monitor.start();
    await clock.advance(5500);
    expect(reasons).toEqual(['connection refused', 'HTTP 503', null, 'connection refused']);
    monitor.stop();
  });

  it('probes at once, then intervalMs after each probe finished', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [OK], 300);
    const { monitor } = setup(spec(), fake.probe, clock);
    monitor.start();
    expect(fake.calls.map((c) => c.at)).toEqual([0]);
    await clock.advance(5000);
    expect(fake.calls.map((c) => c.at)).toEqual([0, 1300, 2600, 3900]);
    monitor.stop();
  });

  it('probes every start_interval until the first success, then every interval (start_interval)', async () => {
    const clock = new FakeClock(0);
    const FAIL: ProbeResult = { ok: false, reason: 'connect ECONNREFUSED' };
    const fake = scriptedProbe(clock, [FAIL, FAIL, OK]);
    const { monitor, changes } = setup(spec({ intervalMs: 1000, startIntervalMs: 100, startPeriodMs: 60_000 }), fake.probe, clock);
    monitor.start();
    await clock.advance(2500);
    expect(fake.calls.map((c) => c.at)).toEqual([0, 100, 200, 1200, 2200]);
    expect(changes).toEqual([{ change: 'healthy', reason: null, at: 200 }]);
    monitor.stop();
  });

  it('never runs two probes at once, however slow the probe', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [FAIL], 2500);
    const { monitor } = setup(spec({ intervalMs: 100 }), fake.probe, clock);
    monitor.start();
    await clock.advance(10_000);
    expect(fake.maxRunning()).toBe(1);
    expect(fake.calls.map((c) => c.at)).toEqual([0, 2600, 5200, 7800]);
    monitor.stop();
  });

  it('reports healthy on the first success, once', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [FAIL, FAIL, OK]);
    const { monitor, changes } = setup(spec({ startPeriodMs: 60_000 }), fake.probe, clock);
    monitor.start();
    await clock.advance(1);
    expect(monitor.lastReason()).toBe('HTTP 503');
    expect(monitor.status()).toBe('unknown');
    await clock.advance(5000);
    expect(changes).toEqual([{ change: 'healthy', reason: null, at: 2000 }]);
    expect(monitor.lastReason()).toBeNull();
    expect(monitor.status()).toBe('healthy');
    monitor.stop();
  });

  it('ignores failures inside start_period, then retries failures make it unhealthy', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [FAIL]);
    const { monitor, changes } = setup(spec({ startPeriodMs: 3500, retries: 3 }), fake.probe, clock);
    monitor.start();
    await clock.advance(3400);
    expect(fake.calls).toHaveLength(4);
    expect(changes).toEqual([]);
    expect(monitor.lastReason()).toBe('HTTP 503');
    // Probes at 4000, 5000 and 6000 count; the third makes it unhealthy.
    await clock.advance(2500);
    expect(changes).toEqual([]);
    await clock.advance(200);
    expect(changes).toEqual([
      { change: 'unhealthy', reason: 'health check failed 3 times: HTTP 503', at: 6000 },
    ]);
    await clock.advance(5000);
    expect(changes).toHaveLength(1);
    monitor.stop();
  });

  it('turns unhealthy after retries failures once healthy, and recovers', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [OK, FAIL, FAIL, OK, FAIL, { ok: false, reason: 'connect ECONNREFUSED' }, OK]);
    const { monitor, changes } = setup(spec({ retries: 2, startPeriodMs: 60_000 }), fake.probe, clock);
    monitor.start();
    await clock.advance(7000);
    expect(changes.map((c) => [c.change, c.reason, c.at])).toEqual([
      ['healthy', null, 0],
      ['unhealthy', 'health check failed 2 times: HTTP 503', 2000],
      ['healthy', null, 3000],
      ['unhealthy', 'health check failed 2 times: connect ECONNREFUSED', 5000],
      ['healthy', null, 6000],
    ]);
    monitor.stop();
  });

  it('says "1 time" for retries 1', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [FAIL]);
    const { monitor, changes } = setup(spec({ retries: 1 }), fake.probe, clock);
    monitor.start();
    await clock.advance(1);
    expect(changes).toEqual([{ change: 'unhealthy', reason: 'health check failed 1 time: HTTP 503', at: 0 }]);
    monitor.stop();
  });

  it('stop() aborts the running probe, cancels the next and silences onChange', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [OK], 400);
    const { monitor, changes } = setup(spec(), fake.probe, clock);
    monitor.start();
    await clock.advance(100);
    monitor.stop();
    expect(fake.calls[0]?.signal?.aborted).toBe(true);
    await clock.advance(10_000);
    expect(changes).toEqual([]);
    expect(fake.calls).toHaveLength(1);
  });

  it('stop() between probes cancels the timer', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [FAIL]);
    const { monitor, changes } = setup(spec({ retries: 2 }), fake.probe, clock);
    monitor.start();
    await clock.advance(500);
    monitor.stop();
    await clock.advance(10_000);
    expect(fake.calls).toHaveLength(1);
    expect(changes).toEqual([]);
    monitor.start(); // single use: a stopped monitor stays stopped
    await clock.advance(10_000);
    expect(fake.calls).toHaveLength(1);
  });

  it('treats a probe that throws or rejects as a failure and keeps going', async () => {
    const clock = new FakeClock(0);
    let n = 0;
    const probe: BoundProbe = () => {
      n++;
      if (n === 1) throw new Error('boom');
      return Promise.reject(new Error('bang'));
    };
    const { monitor, changes } = setup(spec({ retries: 2 }), probe, clock);
    monitor.start();
    await clock.advance(1500);
    expect(changes).toEqual([{ change: 'unhealthy', reason: 'health check failed 2 times: bang', at: 1000 }]);
    monitor.stop();
  });

  it('start() twice does not start a second loop', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [OK]);
    const { monitor } = setup(spec(), fake.probe, clock);
    monitor.start();
    monitor.start();
    await clock.advance(2500);
    expect(fake.calls.map((c) => c.at)).toEqual([0, 1000, 2000]);
    monitor.stop();
  });
});

describe('HealthMonitor (log checks)', () => {
  const logSpec = spec({ kind: 'log', target: 'listening on port \\d+' });

  it('turns healthy on the first matching line, once, and never probes', async () => {
    const clock = new FakeClock(0);
    const { monitor, changes } = setup(logSpec, undefined, clock);
    monitor.start();
    expect(monitor.lastReason()).toMatch(/no log line matched/);
    monitor.feedLines(['booting', 'connecting to db']);
    await clock.advance(60_000);
    expect(changes).toEqual([]);
    monitor.feedLines(['x', 'listening on port 3000', 'listening on port 3001']);
    monitor.feedLines(['listening on port 3002']);
    expect(changes).toEqual([{ change: 'healthy', reason: null, at: 60_000 }]);
    expect(monitor.lastReason()).toBeNull();
    await clock.advance(60_000);
    expect(changes).toHaveLength(1);
    monitor.stop();
  });

  it('reports nothing after stop()', () => {
    const clock = new FakeClock(0);
    const { monitor, changes } = setup(logSpec, undefined, clock);
    monitor.start();
    monitor.stop();
    monitor.feedLines(['listening on port 3000']);
    expect(changes).toEqual([]);
  });

  it('an invalid pattern never matches and explains itself', () => {
    const clock = new FakeClock(0);
    const { monitor, changes } = setup(spec({ kind: 'log', target: '(' }), undefined, clock);
    monitor.start();
    monitor.feedLines(['(']);
    expect(changes).toEqual([]);
    expect(monitor.lastReason()).toMatch(/invalid log pattern/);
  });

  it('gives up a pattern that runs over its time budget, says why, and looks at no more lines', () => {
    const clock = new FakeClock(0);
    // The lookahead keeps V8's linear engine out; on this line backtracking would run for ages.
    const { monitor, changes } = setup(spec({ kind: 'log', target: '(a|aa)+$(?!x)' }), undefined, clock);
    monitor.start();
    monitor.feedLines(['booting', `${'a'.repeat(100)}b`]);
    expect(monitor.wantsLines()).toBe(false);
    expect(monitor.lastReason()).toMatch(/^the log pattern \/\(a\|aa\)\+\$\(\?!x\)\/ took over 100 ms on the output, so msdev stopped checking it/);
    monitor.feedLines(['aaaa']);
    expect(changes).toEqual([]);
  });

  it('matches a catastrophic pattern the linear engine can run without freezing', () => {
    const clock = new FakeClock(0);
    const { monitor, changes } = setup(spec({ kind: 'log', target: '(a|aa)+$' }), undefined, clock);
    monitor.start();
    monitor.feedLines([`${'a'.repeat(60)}b`]);
    expect(changes).toEqual([]);
    monitor.feedLines(['aaaa']);
    expect(changes).toEqual([{ change: 'healthy', reason: null, at: 0 }]);
  });

  it('ignores fed lines for interval checks', async () => {
    const clock = new FakeClock(0);
    const fake = scriptedProbe(clock, [FAIL]);
    const { monitor, changes } = setup(spec({ startPeriodMs: 60_000 }), fake.probe, clock);
    monitor.start();
    monitor.feedLines(['anything']);
    await clock.advance(1);
    expect(changes).toEqual([]);
    monitor.stop();
  });
});
