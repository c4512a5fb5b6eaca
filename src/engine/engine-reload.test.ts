// A running stack on an edited config (applyConfig), and restarts that carry a reason, on a fake runtime and clock.
import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../config/model.js';
import type { StateEvent } from '../core/events.js';
import { engineHarness } from '../../test/helpers/engine-harness.js';
import { logCheck, testProject, testService } from '../../test/helpers/specs.js';
import { diffConfigs } from './config-diff.js';

/** db (healthy on "ready") ← api ← web, and a lone worker. */
function specs(over: Partial<Record<string, Partial<ServiceSpec>>> = {}): ServiceSpec[] {
  return [
    testService('db', { healthcheck: logCheck('ready'), ...over.db }),
    testService('api', { dependsOn: { db: 'healthy' }, ...over.api }),
    testService('web', { dependsOn: { api: 'started' }, ...over.web }),
    testService('worker', { ...over.worker }),
  ];
}

async function running() {
  const t = engineHarness(specs());
  t.engine.up();
  await t.settle();
  t.runtime.last('db').print(['ready']);
  await t.settle();
  expect(await t.engine.whenReady()).toMatchObject({ ready: true });
  const pids = Object.fromEntries(['db', 'api', 'web', 'worker'].map((n) => [n, t.view(n).pid]));
  return { ...t, pids };
}

describe('diffConfigs', () => {
  it('names what was added, removed, changed (with the keys, as the file spells them) and left alone', () => {
    const before = testProject(specs());
    const after = testProject([
      testService('db', { healthcheck: logCheck('ready') }),
      testService('api', { dependsOn: { db: 'healthy' }, env: { A: '1' }, stopTimeoutMs: 1 }),
      testService('worker'),
      testService('cron'),
    ]);
    expect(diffConfigs(before, after)).toEqual({
      added: ['cron'],
      removed: ['web'],
      changed: [{ name: 'api', keys: ['env', 'stop_timeout'] }],
      unchanged: ['db', 'worker'],
    });
  });
});

describe('applyConfig', () => {
  it('restarts only a changed service, with the new settings and the reason; the others keep their pids', async () => {
    const t = await running();
    const diff = await t.engine.applyConfig(testProject(specs({ api: { env: { MODE: 'new' } } })));
    expect(diff.changed).toEqual([{ name: 'api', keys: ['env'] }]);
    await t.settle();
    expect(t.view('api').state).toBe('running');
    expect(t.view('api').pid).not.toBe(t.pids.api);
    expect(t.runtime.last('api').spec.env).toEqual({ MODE: 'new' });
    for (const n of ['db', 'web', 'worker']) expect(t.view(n).pid).toBe(t.pids[n]);
    const api = t.events.filter((e): e is StateEvent => e.type === 'state' && e.service === 'api').slice(-5);
    expect(api.map((e) => [e.state, e.reason])).toEqual([
      ['stopping', 'services.yaml changed: env'],
      ['stopped', 'services.yaml changed: env'],
      ['pending', 'services.yaml changed: env'],
      ['starting', 'services.yaml changed: env'],
      ['running', null],
    ]);
  });

  it('restarts changed services dependents first down, dependencies first up', async () => {
    const t = await running();
    const mark = t.states().length;
    const done = t.engine.applyConfig(testProject(specs({ db: { env: { V: '2' } }, api: { env: { V: '2' } } })));
    await t.settle();
    await done;
    await t.settle();
    const after = t.states().slice(mark);
    expect(after.indexOf('api:stopped')).toBeLessThan(after.indexOf('db:stopping'));
    // api waits for db to be healthy again; web, which changed nothing, keeps running throughout.
    expect(t.view('api').state).toBe('pending');
    t.runtime.last('db').print(['ready']);
    await t.settle();
    expect(t.view('db').state).toBe('healthy');
    expect(t.view('api').state).toBe('running');
    expect(t.view('web').pid).toBe(t.pids.web);
    expect(t.view('worker').pid).toBe(t.pids.worker);
  });

  it('starts an added service and stops a removed one, which then no longer counts', async () => {
    const t = await running();
    const next = testProject([...specs().filter((s) => s.name !== 'worker'), testService('cron')]);
    const diff = await t.engine.applyConfig(next);
    expect(diff).toMatchObject({ added: ['cron'], removed: ['worker'] });
    await t.settle();
    expect(t.engine.snapshotNow().map((s) => s.name)).toEqual(['db', 'api', 'web', 'cron']);
    expect(t.view('cron').state).toBe('running');
    expect(t.runtime.last('worker').stopSignals).toEqual(['SIGTERM']);
    const stopped = t.events.filter((e): e is StateEvent => e.type === 'state' && e.service === 'worker').at(-1)!;
    expect([stopped.state, stopped.reason]).toEqual(['stopped', 'removed from services.yaml']);
    expect(await t.engine.whenReady()).toMatchObject({ ready: true });
    await expect(t.engine.restart('worker')).rejects.toThrow(/no service named "worker"/);
  });

  it('keeps a service the user stopped stopped when its settings change', async () => {
    const t = await running();
    await t.engine.stop('worker');
    await t.engine.applyConfig(testProject(specs({ worker: { command: 'run-worker --new' } })));
    await t.settle();
    expect(t.view('worker').state).toBe('stopped');
    await t.engine.start('worker');
    expect(t.runtime.last('worker').spec.kind === 'process' && t.runtime.last('worker').spec.command).toBe('run-worker --new');
  });

  it('an unchanged config changes nothing', async () => {
    const t = await running();
    const mark = t.states().length;
    const diff = await t.engine.applyConfig(testProject(specs()));
    await t.settle();
    expect(diff.changed).toEqual([]);
    expect(t.states().slice(mark)).toEqual([]);
  });
});

describe('restart with a reason', () => {
  it('carries the reason through stopping, stopped, pending and starting; dependents say why', async () => {
    const t = await running();
    const p = t.engine.restart('db', { reason: 'watch: app.js (+3 more)', dependents: true });
    await t.settle();
    t.runtime.last('db').print(['ready']);
    await t.settle();
    await p;
    const db = t.events.filter((e): e is StateEvent => e.type === 'state' && e.service === 'db').slice(-6);
    expect(db.map((e) => [e.state, e.reason])).toEqual([
      ['stopping', 'watch: app.js (+3 more)'],
      ['stopped', 'watch: app.js (+3 more)'],
      ['pending', 'watch: app.js (+3 more)'],
      ['starting', 'watch: app.js (+3 more)'],
      ['running', null],
      ['healthy', null],
    ]);
    expect(t.events.some((e) => e.type === 'state' && e.service === 'api' && e.state === 'stopping' && e.reason === 'db restarted (watch: app.js (+3 more))')).toBe(true);
    // A later plain restart says only "restarting".
    const q = t.engine.restart('worker');
    await t.settle();
    await q;
    const w = t.events.filter((e): e is StateEvent => e.type === 'state' && e.service === 'worker');
    expect(w.find((e) => e.state === 'stopping')!.reason).toBe('restarting');
    expect(w.filter((e) => e.state === 'pending').at(-1)!.reason).toBeNull();
  });
});
