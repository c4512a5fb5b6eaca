import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../config/model.js';
import { FakeRuntime } from '../../test/helpers/fake-runtime.js';
import type { Handle, StartOptions } from '../runtimes/runtime.js';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { Engine } from './engine.js';
import type { StateEvent } from '../core/events.js';
import { testProject, testService } from '../../test/helpers/specs.js';

/** Starts each service in its own turn of the event loop, as the process runtime does (one spawn per turn). */
class OnePerTurnRuntime extends FakeRuntime {
  override async start(spec: ServiceSpec, options: StartOptions): Promise<Handle> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return super.start(spec, options);
  }
}

/** Wraps specs so that every read of the fields readiness and dependency checks use is counted. */
function counted(specs: ServiceSpec[]): { specs: ServiceSpec[]; reads: () => number } {
  let reads = 0;
  const watched = new Set<PropertyKey>(['healthcheck', 'oneShot', 'dependsOn']);
  const wrapped = specs.map(
    (spec) =>
      new Proxy(spec, {
        get(target, prop, receiver) {
          if (watched.has(prop)) reads++;
          return Reflect.get(target, prop, receiver) as unknown;
        },
      }),
  );
  return { specs: wrapped, reads: () => reads };
}

function names(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `s${i}`);
}

async function upAndDown(specs: ServiceSpec[]): Promise<{ engine: Engine; states: StateEvent[] }> {
  const runtime = new OnePerTurnRuntime();
  const engine = new Engine(testProject(specs), { runtimeFor: () => runtime, clock: new FakeClock(), baseEnv: {} });
  const states: StateEvent[] = [];
  engine.subscribe((e) => {
    if (e.type === 'state') states.push(e);
  });
  engine.up();
  const outcome = await engine.whenReady();
  expect(outcome.ready).toBe(true);
  await engine.shutdown();
  return { engine, states };
}

// Issue 6 item 17: `up` of 1,000 services. Each service starts in its own turn, so every start is
// its own state change; the engine must not look at every service on each one (that was quadratic).
describe('engine at scale', () => {
  const N = 2_000;

  it('does a bounded amount of work per state change for independent services', async () => {
    const { specs, reads } = counted(names(N).map((n) => testService(n)));
    const { engine, states } = await upAndDown(specs);
    expect(engine.snapshotNow().every((s) => s.state === 'stopped')).toBe(true);
    expect(states.filter((e) => e.state === 'running')).toHaveLength(N);
    // A handful of reads per service per state change; the old checks read every service on every change (~N²/2).
    expect(reads()).toBeLessThan(100 * N);
  }, 60_000);

  it('does a bounded amount of work per state change along a dependency chain', async () => {
    const list = names(N);
    const { specs, reads } = counted(list.map((n, i) => testService(n, i > 0 ? { dependsOn: { [list[i - 1] as string]: 'started' } } : {})));
    const { engine, states } = await upAndDown(specs);
    expect(engine.snapshotNow().every((s) => s.state === 'stopped')).toBe(true);
    const running = states.filter((e) => e.state === 'running').map((e) => e.service);
    expect(running).toEqual(list);
    const stopped = states.filter((e) => e.state === 'stopped').map((e) => e.service);
    expect(stopped).toEqual([...list].reverse());
    expect(reads()).toBeLessThan(100 * N);
  }, 60_000);

  it('shuts down a 20,000-service dependency chain without running out of stack', async () => {
    const list = names(20_000);
    const specs = list.map((n, i) => testService(n, i > 0 ? { dependsOn: { [list[i - 1] as string]: 'started' } } : {}));
    const engine = new Engine(testProject(specs), { runtimeFor: () => new FakeRuntime(), clock: new FakeClock(), baseEnv: {} });
    await expect(engine.shutdown()).resolves.toBeUndefined();
    expect(engine.snapshotNow().every((s) => s.state === 'stopped')).toBe(true);
  }, 60_000);
});
