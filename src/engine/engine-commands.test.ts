// The per-service commands (start, stop, restart, restartAll) and their effects, on a fake runtime and a fake clock.
import { describe, expect, it } from 'vitest';
import { CommandError, type StackEvent } from '../core/control.js';
import type { StateEvent } from '../core/events.js';
import { engineHarness } from '../../test/helpers/engine-harness.js';
import { logCheck, testService } from '../../test/helpers/specs.js';

const setup = engineHarness;

/** db (healthy when it prints "ready") ← api (waits healthy) ← web (waits started); a one-shot migrate ← api too. */
function stack() {
  const t = setup([
    testService('db', { healthcheck: logCheck('ready') }),
    testService('migrate', { oneShot: true, restart: 'no' }),
    testService('api', { dependsOn: { db: 'healthy', migrate: 'completed' } }),
    testService('web', { dependsOn: { api: 'started' } }),
  ]);
  const upAndReady = async () => {
    t.engine.up();
    await t.settle();
    t.runtime.last('db').print(['ready']);
    t.runtime.last('migrate').exit(0);
    await t.settle();
    expect(await t.engine.whenReady()).toMatchObject({ ready: true });
  };
  return { ...t, upAndReady };
}

describe('engine commands', () => {
  it('stop of a leaf: stopped by the user, not restarted, not a failure; start brings it back', async () => {
    const t = stack();
    await t.upAndReady();
    const webPid = t.view('web').pid;
    const stop = t.track(t.engine.stop('web'));
    await t.settle();
    expect(stop.result).toBe('ok');
    expect(t.view('web')).toMatchObject({ state: 'stopped', userStopped: true, reason: 'stopped by the user', pid: null });
    expect(t.runtime.last('web').stopSignals).toEqual(['SIGTERM']);
    await t.clock.advance(60_000);
    expect(t.runtime.count('web')).toBe(1);
    expect(await t.engine.whenReady()).toMatchObject({ ready: true });
    const start = t.track(t.engine.start('web'));
    await t.settle();
    expect(start.result).toBe('ok');
    expect(t.view('web')).toMatchObject({ state: 'running', userStopped: false });
    expect(t.view('web').pid).not.toBe(webPid);
  });

  it('stop of a dependency: its running dependents keep running; a dependent waiting on it keeps waiting', async () => {
    const t = stack();
    t.engine.up();
    await t.settle();
    t.runtime.last('migrate').exit(0);
    await t.settle();
    // api waits for db to be healthy; db is stopped by the user before that.
    await t.engine.stop('db');
    await t.clock.advance(5000);
    expect(t.view('api').state).toBe('pending');
    expect(t.view('web').state).toBe('pending');
    expect(await Promise.race([t.engine.whenReady(), Promise.resolve('waiting')])).toBe('waiting');
    // Started again, it gets healthy and api starts.
    const start = t.track(t.engine.start('db'));
    await t.settle();
    t.runtime.last('db').print(['ready']);
    await t.settle();
    expect(start.result).toBe('ok');
    expect(t.view('api').state).toBe('running');

    const apiPid = t.view('api').pid;
    await t.engine.stop('db');
    await t.clock.advance(5000);
    expect(t.view('api')).toMatchObject({ state: 'running', pid: apiPid });
    expect(t.view('web').state).toBe('running');
  });

  it('restart of a dependency: new run, back-off count reset, dependents untouched unless asked', async () => {
    const t = stack();
    await t.upAndReady();
    // Two crashes give db a back-off count of 2.
    for (let i = 0; i < 2; i++) {
      t.runtime.last('db').exit(1);
      await t.clock.advance(10_000);
      t.runtime.last('db').print(['ready']);
      await t.settle();
    }
    expect(t.view('db').restarts).toBe(2);
    const apiPid = t.view('api').pid;
    const restart = t.track(t.engine.restart('db'));
    await t.settle();
    expect(restart.result).toBe('pending'); // not healthy yet
    t.runtime.last('db').print(['ready']);
    await t.settle();
    expect(restart.result).toBe('ok');
    expect(t.view('db')).toMatchObject({ state: 'healthy', restarts: 0 });
    expect(t.transitions('db').slice(-6)).toEqual(['stopping', 'stopped', 'pending', 'starting', 'running', 'healthy']);
    expect(t.view('api').pid).toBe(apiPid);
    expect(t.runtime.count('api')).toBe(1);
  });

  it('restart with dependents: after it is ready again, its dependents restart in dependency order', async () => {
    const t = stack();
    await t.upAndReady();
    const restart = t.track(t.engine.restart('db', { dependents: true }));
    await t.settle();
    t.runtime.last('db').print(['ready']);
    await t.settle();
    await t.settle();
    expect(restart.result).toBe('ok');
    expect(t.runtime.count('api')).toBe(2);
    expect(t.runtime.count('web')).toBe(2);
    expect(t.runtime.count('migrate')).toBe(1);
    const order = t.events.filter((e): e is StateEvent => e.type === 'state' && e.state === 'starting' && e.service !== 'migrate').map((e) => e.service);
    expect(order.slice(-3)).toEqual(['db', 'api', 'web']);
  });

  it('restart of a one-shot runs it again and settles when it completes', async () => {
    const t = stack();
    await t.upAndReady();
    const restart = t.track(t.engine.restart('migrate'));
    await t.settle();
    expect(t.runtime.count('migrate')).toBe(2);
    expect(restart.result).toBe('pending');
    t.runtime.last('migrate').exit(0);
    await t.settle();
    expect(restart.result).toBe('ok');
    expect(t.view('migrate').state).toBe('completed');
    // A failing run rejects the command with the reason.
    const again = t.track(t.engine.restart('migrate'));
    await t.settle();
    t.runtime.last('migrate').exit(3);
    await t.settle();
    expect(again.result).toBe('rejected: migrate failed: exit code 3');
    // stop of a completed one-shot changes nothing.
    const stop = t.track(t.engine.stop('migrate'));
    await t.settle();
    expect(stop.result).toBe('ok');
    expect(t.view('migrate').state).toBe('failed');
  });

  it('stop and restart while the runtime is still starting the service', async () => {
    const t = setup([testService('api')]);
    t.runtime.hold.add('api');
    t.engine.up();
    await t.settle();
    expect(t.view('api').state).toBe('starting');
    const stop = t.track(t.engine.stop('api'));
    await t.settle();
    expect(stop.result).toBe('pending');
    t.runtime.release('api');
    await t.settle();
    expect(stop.result).toBe('ok');
    expect(t.view('api')).toMatchObject({ state: 'stopped', userStopped: true });
    expect(t.runtime.last('api').stopSignals).toEqual(['SIGTERM']);

    const restart = t.track(t.engine.restart('api'));
    await t.settle();
    t.runtime.release('api');
    await t.settle();
    expect(restart.result).toBe('ok');
    expect(t.view('api').state).toBe('running');
    expect(t.runtime.count('api')).toBe(2);
  });

  it('start and restart during a back-off wait launch at once with the count reset; stop cancels the retry', async () => {
    const t = setup([testService('api'), testService('worker')]);
    t.engine.up();
    await t.settle();
    t.runtime.last('api').exit(1);
    t.runtime.last('worker').exit(1);
    await t.settle();
    expect(t.view('api')).toMatchObject({ state: 'crashed', restarts: 1 });
    expect(t.view('worker').state).toBe('crashed');
    await t.engine.stop('worker');
    const start = t.track(t.engine.start('api'));
    await t.settle();
    expect(start.result).toBe('ok');
    expect(t.view('api')).toMatchObject({ state: 'running', restarts: 0 });
    expect(t.runtime.count('api')).toBe(2);
    // The old back-off timer must not start a third run.
    await t.clock.advance(5000);
    expect(t.runtime.count('api')).toBe(2);

    await t.clock.advance(60_000);
    expect(t.view('worker')).toMatchObject({ state: 'stopped', userStopped: true });
    expect(t.runtime.count('worker')).toBe(1);
  });

  it('a retry after the back-off waits for its dependencies again (the timer goes through the state machine)', async () => {
    const t = setup([testService('db'), testService('api', { dependsOn: { db: 'started' } })]);
    t.engine.up();
    await t.settle();
    t.runtime.last('api').exit(1);
    await t.settle();
    expect(t.view('api').state).toBe('crashed');
    await t.engine.stop('db');
    await t.clock.advance(1000);
    expect(t.view('api').state).toBe('pending');
    expect(t.runtime.count('api')).toBe(1);
    await t.engine.start('db');
    await t.settle();
    expect(t.view('api').state).toBe('running');
    expect(t.runtime.count('api')).toBe(2);
  });

  it('commands during shutdown are refused, and waiting commands are rejected', async () => {
    const t = stack();
    t.engine.up();
    await t.settle();
    const start = t.track(t.engine.start('api')); // api waits for db
    const down = t.engine.shutdown();
    await t.settle();
    expect(start.result).toBe('rejected: msdev is shutting down');
    await expect(t.engine.restart('db')).rejects.toThrow('msdev is shutting down');
    await expect(t.engine.stop('db')).rejects.toThrow('msdev is shutting down');
    await expect(t.engine.restartAll()).rejects.toThrow('msdev is shutting down');
    await down;
  });

  it('twice in a row: a restart asked for while one is stopping is the same restart; one asked while it starts again runs once more', async () => {
    const t = setup([testService('api', { healthcheck: logCheck('up') })]);
    t.engine.up();
    await t.settle();
    t.runtime.last('api').print(['up']);
    await t.settle();
    const a = t.engine.restart('api');
    const b = t.engine.restart('api');
    expect(b).toBe(a);
    await t.settle();
    expect(t.runtime.count('api')).toBe(2);
    // Starting again (not healthy yet): the next two requests share one follow-up restart.
    const c = t.track(t.engine.restart('api'));
    const d = t.track(t.engine.restart('api'));
    t.runtime.last('api').print(['up']);
    await t.settle();
    await a;
    expect(t.runtime.count('api')).toBe(3);
    t.runtime.last('api').print(['up']);
    await t.settle();
    expect([c.result, d.result]).toEqual(['ok', 'ok']);
    expect(t.runtime.count('api')).toBe(3);
    // stop twice: one stop.
    await Promise.all([t.engine.stop('api'), t.engine.stop('api')]);
    expect(t.runtime.last('api').stopSignals).toEqual(['SIGTERM']);
  });

  it('restartAll stops dependents first, then starts in dependency order, and settles when all are ready', async () => {
    const t = stack();
    await t.upAndReady();
    const before = t.events.length;
    const all = t.track(t.engine.restartAll());
    await t.settle();
    t.runtime.last('db').print(['ready']);
    await t.settle();
    t.runtime.last('migrate').exit(0);
    await t.settle();
    await t.settle();
    expect(all.result).toBe('ok');
    const later = t.events.slice(before).filter((e): e is StateEvent => e.type === 'state');
    expect(later.filter((e) => e.state === 'stopped').map((e) => e.service)).toEqual(['web', 'api', 'db']);
    expect(later.filter((e) => e.state === 'starting').map((e) => e.service)).toEqual(['db', 'migrate', 'api', 'web']);
    expect(t.events.slice(before).some((e) => e.type === 'settled')).toBe(false);
    expect(t.events.slice(before).filter((e) => e.type === 'ready')).toHaveLength(1);
  });

  it('readiness and exit after user stops: not failed; settled says the user stopped them', async () => {
    const t = setup([testService('a'), testService('b', { oneShot: true, restart: 'no' })]);
    t.engine.up();
    await t.settle();
    await t.engine.stop('a');
    await t.settle();
    expect(t.events.some((e) => e.type === 'settled')).toBe(false);
    t.runtime.last('b').exit(0);
    await t.settle();
    expect(await t.engine.whenReady()).toMatchObject({ ready: true });
    expect(t.events.find((e) => e.type === 'settled')).toMatchObject({ code: 0, userStopped: true });
    // Every service ending on its own settles without the flag.
    const u = setup([testService('a', { oneShot: true, restart: 'no' })]);
    u.engine.up();
    await u.settle();
    u.runtime.last('a').exit(0);
    await u.settle();
    expect(u.events.find((e) => e.type === 'settled')).toMatchObject({ code: 0, userStopped: false });
  });

  it('unknown and inactive services are refused with a reason', async () => {
    const t = setup([testService('api'), testService('worker')]);
    await expect(t.engine.start('api2')).rejects.toThrow('no service named "api2" (did you mean "api"?); services: api, worker');
    await expect(t.engine.stop('nope')).rejects.toBeInstanceOf(CommandError);
  });

  it('usage: memory of each running service, and CPU as a share of one core between two samples of the same run', async () => {
    const t = setup([testService('api'), testService('idle', { dependsOn: { api: 'healthy' } })]);
    t.engine.up();
    await t.settle();
    t.runtime.last('api').used = { cpuMs: 1_000, rssBytes: 50_000_000 };
    expect(await t.engine.usage()).toEqual([
      { name: 'api', cpuPercent: null, memoryBytes: 50_000_000 },
      { name: 'idle', cpuPercent: null, memoryBytes: null },
    ]);
    await t.clock.advance(2_000);
    t.runtime.last('api').used = { cpuMs: 2_000, rssBytes: 60_000_000 };
    expect((await t.engine.usage())[0]).toEqual({ name: 'api', cpuPercent: 50, memoryBytes: 60_000_000 });
    // A new run starts counting again.
    await t.engine.restart('api');
    await t.clock.advance(2_000);
    t.runtime.last('api').used = { cpuMs: 10, rssBytes: 1 };
    expect((await t.engine.usage())[0]).toEqual({ name: 'api', cpuPercent: null, memoryBytes: 1 });
  });

  it('health events carry the latest probe failure of a service, so views need no polling', async () => {
    const t = stack();
    await t.upAndReady();
    expect(t.events.filter((e) => e.type === 'health')).toEqual([{ type: 'health', ts: expect.any(Number) as number, service: 'db', reason: null }]);
  });

  it('msdev\'s own messages reach every subscriber, and a late one finds the latest 50 in its snapshot', () => {
    const t = setup([testService('api')]);
    for (let i = 1; i <= 60; i++) t.engine.announce(i === 60 ? 'warn' : 'info', `message ${i}`);
    expect(t.events.filter((e) => e.type === 'message')).toHaveLength(60);
    const late: StackEvent[] = [];
    t.engine.subscribe((e) => late.push(e));
    const first = late[0];
    expect(first?.type).toBe('snapshot');
    const messages = first?.type === 'snapshot' ? first.messages : [];
    expect(messages.map((m) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => `message ${i + 11}`));
    expect(messages.at(-1)).toMatchObject({ type: 'message', level: 'warn' });
  });

  it('kill: a killed service is stopped, never restarted as a crash', async () => {
    const t = setup([testService('api', { restart: 'always' })]);
    t.engine.up();
    await t.settle();
    t.engine.kill();
    await t.clock.advance(60_000);
    expect(t.runtime.last('api').killed).toBe(true);
    expect(t.runtime.count('api')).toBe(1);
    expect(t.view('api').state).toBe('stopped');
    expect(t.transitions('api')).not.toContain('crashed');
  });
});
