// Hot reload in the engine, on a fake runtime, a fake clock and a fake file watcher.
import { describe, expect, it } from 'vitest';
import type { ServiceSpec, WatchSpec } from '../config/model.js';
import type { StackEvent } from '../core/control.js';
import type { StateEvent, WatchEvent } from '../core/events.js';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { FakeRuntime } from '../../test/helpers/fake-runtime.js';
import { testProject, testService } from '../../test/helpers/specs.js';
import type { ServiceWatch, WatchTrigger } from '../watch/service-watch.js';
import { Engine } from './engine.js';

/** One fake service watch: what it was made with, and a way to fire it. */
interface FakeWatch {
  readonly service: string;
  readonly spec: WatchSpec;
  /** What the engine says of a change at `at`: the service's own doing? */
  readonly ownChange: ((at: number) => boolean) | undefined;
  enabled: boolean;
  paused: boolean;
  closed: boolean;
  fire(reason: string): void;
  pause(message: string): void;
}

function watchSpec(over: Partial<WatchSpec> = {}): WatchSpec {
  return { paths: ['/tmp/src'], ignore: [], action: 'restart', debounceMs: 200, restartDependents: false, ...over };
}

function setup(services: ServiceSpec[], file = '/tmp/services.yaml') {
  const clock = new FakeClock();
  const runtime = new FakeRuntime();
  const watches: FakeWatch[] = [];
  const project = { ...testProject(services), file, envFiles: ['/tmp/.env'] };
  const engine = new Engine(project, {
    runtimeFor: () => runtime,
    clock,
    baseEnv: {},
    watch: {
      enabled: true,
      poll: false,
      readIgnore: () => Promise.resolve(null),
      watchService: (o) => {
        const w: FakeWatch = {
          service: o.service,
          spec: o.spec,
          ownChange: o.ownChange,
          enabled: true,
          paused: false,
          closed: false,
          fire: (reason) => {
            if (w.enabled && !w.paused && !w.closed) o.onTrigger({ reason, files: reason, changes: [] } satisfies WatchTrigger);
          },
          pause: (message) => {
            w.paused = true;
            o.onPause(message);
          },
        };
        watches.push(w);
        const handle: ServiceWatch = {
          get enabled() {
            return w.enabled;
          },
          get paused() {
            return w.paused;
          },
          setEnabled(on) {
            w.enabled = on;
            if (on) w.paused = false;
          },
          close() {
            w.closed = true;
            return Promise.resolve();
          },
          ready: Promise.resolve(),
        };
        return Promise.resolve(handle);
      },
    },
  });
  const events: StackEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const view = (name: string) => engine.snapshotNow().find((v) => v.name === name)!;
  const settle = () => clock.advance(0);
  const open = (name: string) => watches.filter((w) => w.service === name && !w.closed);
  return { clock, runtime, engine, events, watches, view, settle, open };
}

describe('hot reload in the engine', () => {
  it('watches the services with watch: once they are asked for, and a trigger restarts one with the change as the reason', async () => {
    const t = setup([testService('api', { watch: watchSpec() }), testService('db')]);
    expect(t.watches).toEqual([]);
    t.engine.up();
    await t.engine.watchReady();
    await t.settle();
    expect(t.watches.map((w) => w.service)).toEqual(['api']);
    expect(t.view('api').watch).toBe('on');
    expect(t.view('db').watch).toBeNull();
    // The config's own files are left to the config reload.
    expect(t.watches[0]!.spec.ignore).toEqual(['/services.yaml', '/.env']);
    const pid = t.view('api').pid;
    t.watches[0]!.fire('watch: app.js (+3 more)');
    await t.settle();
    expect(t.view('api').pid).not.toBe(pid);
    const reasons = t.events.filter((e): e is StateEvent => e.type === 'state' && e.service === 'api' && e.state === 'stopping').map((e) => e.reason);
    expect(reasons).toEqual(['watch: app.js (+3 more)']);
    expect(t.events.some((e) => e.type === 'message' && e.text === 'watching for changes: api')).toBe(true);
  });

  it('counts a change as the service’s own only within 3 s of its start (so a user’s edits never pause its watch)', async () => {
    const t = setup([testService('api', { watch: watchSpec() })]);
    t.engine.up();
    await t.engine.watchReady();
    await t.settle();
    const own = t.watches[0]!.ownChange!;
    const started = t.view('api').startedAt!;
    expect([own(started + 500), own(started + 3000), own(started + 3001), own(started - 1)]).toEqual([true, true, false, false]);
  });

  it('leaves a service the user stopped alone, and brings back one that failed', async () => {
    const t = setup([testService('api', { watch: watchSpec(), maxRestarts: 1 })]);
    t.engine.up();
    await t.engine.watchReady();
    await t.settle();
    await t.engine.stop('api');
    t.watches[0]!.fire('watch: a.js');
    await t.settle();
    expect(t.view('api').state).toBe('stopped');
    await t.engine.start('api');
    // Crash it until it fails; a change then starts it again (a fix saved after a crash).
    t.runtime.last('api').exit(1);
    await t.clock.advance(1000);
    t.runtime.last('api').exit(1);
    await t.settle();
    expect(t.view('api').state).toBe('failed');
    t.watches[0]!.fire('watch: a.js');
    await t.settle();
    expect(t.view('api').state).toBe('running');
  });

  it('restart_dependents restarts what depends on it once it is ready again', async () => {
    const t = setup([testService('db', { watch: watchSpec({ restartDependents: true }) }), testService('api', { dependsOn: { db: 'started' } })]);
    t.engine.up();
    await t.engine.watchReady();
    await t.settle();
    const api = t.view('api').pid;
    t.watches[0]!.fire('watch: schema.sql');
    await t.settle();
    await t.settle();
    expect(t.view('api').pid).not.toBe(api);
    expect(t.events.some((e) => e.type === 'state' && e.service === 'api' && e.state === 'stopping' && e.reason === 'db restarted (watch: schema.sql)')).toBe(true);
  });

  it('the switch turns every watch off and on (on lifts a pause); a pause is an event and a warning', async () => {
    const t = setup([testService('api', { watch: watchSpec() }), testService('web', { watch: watchSpec() })]);
    t.engine.up();
    await t.engine.watchReady();
    await t.settle();
    t.watches[1]!.pause('web: watching paused: 6 restarts within a minute');
    expect(t.view('web').watch).toBe('paused');
    const pauseEvent = t.events.filter((e): e is WatchEvent => e.type === 'watch').at(-1)!;
    expect(pauseEvent).toMatchObject({ enabled: true, paused: ['web'] });
    expect(t.events.some((e) => e.type === 'message' && e.level === 'warn' && /watching paused/.test(e.text))).toBe(true);
    t.engine.setWatching(false);
    expect([t.view('api').watch, t.view('web').watch]).toEqual(['off', 'off']);
    const pid = t.view('api').pid;
    t.watches[0]!.fire('watch: x');
    await t.settle();
    expect(t.view('api').pid).toBe(pid);
    t.engine.setWatching(true);
    expect([t.view('api').watch, t.view('web').watch]).toEqual(['on', 'on']);
    expect(t.events.filter((e): e is WatchEvent => e.type === 'watch').map((e) => [e.enabled, e.paused])).toEqual([
      [true, []],
      [true, ['web']],
      [false, ['web']],
      [true, []],
    ]);
    let snapshot: StackEvent | null = null;
    t.engine.subscribe((e) => (snapshot ??= e))();
    expect(snapshot).toMatchObject({ type: 'snapshot', watching: true });
  });

  it('a reload re-watches a service whose watch changed, closes a removed one, and leaves the rest', async () => {
    const t = setup([testService('api', { watch: watchSpec() }), testService('web', { watch: watchSpec() }), testService('old', { watch: watchSpec() })]);
    t.engine.up();
    await t.engine.watchReady();
    await t.settle();
    const [api, web, old] = t.watches;
    await t.engine.applyConfig({ ...testProject([testService('api', { watch: watchSpec({ debounceMs: 50 }) }), testService('web', { watch: watchSpec() })]), file: '/tmp/services.yaml', envFiles: ['/tmp/.env'] });
    await t.engine.watchReady();
    await t.settle();
    expect([api!.closed, web!.closed, old!.closed]).toEqual([true, false, true]);
    expect(t.open('api').map((w) => w.spec.debounceMs)).toEqual([50]);
    await t.engine.shutdown();
    expect(t.watches.every((w) => w.closed)).toBe(true);
  });

  it('watches nothing when no service has watch: (snapshot says null) and setWatching does nothing', async () => {
    const t = setup([testService('api')]);
    t.engine.up();
    await t.engine.watchReady();
    t.engine.setWatching(false);
    expect(t.watches).toEqual([]);
    expect(t.events.find((e) => e.type === 'snapshot')).toMatchObject({ watching: null });
    expect(t.events.some((e) => e.type === 'watch' || (e.type === 'message' && /watching/.test(e.text)))).toBe(false);
  });
});
