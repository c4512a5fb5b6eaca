import { describe, expect, it } from 'vitest';
import { engineHarness } from '../../test/helpers/engine-harness.js';
import type { StateEvent } from '../core/events.js';
import { logCheck, testService } from '../../test/helpers/specs.js';

const setup = engineHarness;

describe('engine', () => {
  it('starts independent services in parallel and a dependent only after its dependency is healthy', async () => {
    const t = setup([
      testService('db', { healthcheck: logCheck('ready to accept') }),
      testService('cache'),
      testService('api', { dependsOn: { db: 'healthy', cache: 'started' } }),
    ]);
    t.engine.up();
    await t.clock.advance(0);
    expect(t.runtime.count('db')).toBe(1);
    expect(t.runtime.count('cache')).toBe(1);
    expect(t.runtime.count('api')).toBe(0);
    expect(t.stateOf('api')).toBe('pending');
    t.runtime.last('db').print(['booting', 'ready to accept connections']);
    await t.clock.advance(0);
    expect(t.stateOf('db')).toBe('healthy');
    expect(t.runtime.count('api')).toBe(1);
    const order = t.states();
    expect(order.indexOf('api:starting')).toBeGreaterThan(order.indexOf('db:healthy'));
    expect(t.events.some((e) => e.type === 'ready')).toBe(true);
  });

  it('restarts a crashing service with growing delays, then fails it and its waiting dependents', async () => {
    const t = setup([
      testService('db', { maxRestarts: 3, healthcheck: logCheck('up') }),
      testService('api', { dependsOn: { db: 'healthy' } }),
    ]);
    t.engine.up();
    const gaps: number[] = [];
    let last = t.clock.now();
    for (let i = 0; i < 4; i++) {
      await t.clock.advance(0);
      expect(t.runtime.count('db')).toBe(i + 1);
      if (i > 0) gaps.push(t.clock.now() - last);
      t.runtime.last('db').exit(1);
      await t.clock.advance(0);
      last = t.clock.now();
      if (i < 3) {
        expect(t.stateOf('db')).toBe('crashed');
        const before = t.runtime.count('db');
        await t.clock.advance(2 ** i * 1000 - 1);
        expect(t.runtime.count('db')).toBe(before);
        await t.clock.advance(1);
      }
    }
    expect(gaps).toEqual([1000, 2000, 4000]);
    expect(t.stateOf('db')).toBe('failed');
    expect(t.stateOf('api')).toBe('failed');
    const apiFailed = t.events.find((e): e is StateEvent => e.type === 'state' && e.service === 'api' && e.state === 'failed');
    expect(apiFailed?.reason).toBe('dependency db failed');
    const settled = t.events.find((e) => e.type === 'settled');
    expect(settled).toMatchObject({ code: 1 });
  });

  it('starts a dependent of a one-shot when it completes, and fails it when the one-shot fails', async () => {
    const t = setup([
      testService('migrate', { oneShot: true, restart: 'no' }),
      testService('api', { dependsOn: { migrate: 'completed' } }),
    ]);
    t.engine.up();
    await t.clock.advance(0);
    t.runtime.last('migrate').exit(0);
    await t.clock.advance(0);
    expect(t.stateOf('migrate')).toBe('completed');
    expect(t.runtime.count('api')).toBe(1);

    const u = setup([
      testService('migrate', { oneShot: true, restart: 'no' }),
      testService('api', { dependsOn: { migrate: 'completed' } }),
    ]);
    u.engine.up();
    await u.clock.advance(0);
    u.runtime.last('migrate').exit(3);
    await u.clock.advance(0);
    expect(u.stateOf('migrate')).toBe('failed');
    expect(u.stateOf('api')).toBe('failed');
    expect(u.runtime.count('api')).toBe(0);
  });

  it('fails a service whose runtime cannot start it, with the reason', async () => {
    const t = setup([testService('api')]);
    t.runtime.failNext.set('api', 'working directory /nope does not exist');
    t.engine.up();
    await t.clock.advance(0);
    expect(t.stateOf('api')).toBe('failed');
    expect(t.engine.snapshotNow()[0]?.reason).toBe('working directory /nope does not exist');
  });

  it('stops dependents before their dependencies and cancels waiting starts', async () => {
    const t = setup([
      testService('db'),
      testService('api', { dependsOn: { db: 'started' } }),
      testService('web', { dependsOn: { api: 'started' } }),
      testService('late', { dependsOn: { web: 'healthy' }, healthcheck: logCheck('x') }),
    ]);
    t.engine.up();
    await t.clock.advance(0);
    expect(t.stateOf('web')).toBe('running');
    await t.engine.shutdown();
    const stopped = t.states().filter((s) => s.endsWith(':stopped'));
    expect(stopped).toEqual(['late:stopped', 'web:stopped', 'api:stopped', 'db:stopped']);
    expect(t.runtime.last('db').stopSignals).toEqual(['SIGTERM']);
    expect(t.runtime.count('late')).toBe(0);
  });

  it('resets the restart count after 30s up', async () => {
    const t = setup([testService('api', { maxRestarts: 2 })]);
    t.engine.up();
    for (let i = 0; i < 6; i++) {
      await t.clock.advance(0);
      await t.clock.advance(30_000);
      t.runtime.last('api').exit(1);
      await t.clock.advance(1000);
    }
    expect(t.stateOf('api')).not.toBe('failed');
    expect(t.runtime.count('api')).toBe(7);
  });

  it('settles with 0 when every service completed', async () => {
    const t = setup([testService('a', { oneShot: true }), testService('b', { restart: 'on-failure' })]);
    t.engine.up();
    await t.clock.advance(0);
    t.runtime.last('a').exit(0);
    t.runtime.last('b').exit(0);
    await t.clock.advance(0);
    expect(t.events.find((e) => e.type === 'settled')).toMatchObject({ code: 0 });
  });

  it('stops a service that is still being started', async () => {
    const t = setup([testService('api')]);
    t.engine.up();
    const stop = t.engine.shutdown();
    await t.clock.advance(0);
    await stop;
    expect(t.stateOf('api')).toBe('stopped');
  });
});
