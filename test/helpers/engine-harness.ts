// An engine on a fake runtime and a fake clock, with what its unit tests look at.
import type { ServiceSpec } from '../../src/config/model.js';
import { CommandError, type StackEvent } from '../../src/core/control.js';
import type { StateEvent } from '../../src/core/events.js';
import { Engine } from '../../src/engine/engine.js';
import { FakeClock } from './fake-clock.js';
import { FakeRuntime } from './fake-runtime.js';
import { testProject } from './specs.js';

/** Builds an engine over these services on a fake runtime and clock, subscribed to from the start. */
export function engineHarness(services: ServiceSpec[]) {
  const clock = new FakeClock();
  const runtime = new FakeRuntime();
  const engine = new Engine(testProject(services), { runtimeFor: () => runtime, clock, baseEnv: {} });
  const events: StackEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const stateEvents = (name?: string) => events.filter((e): e is StateEvent => e.type === 'state' && (!name || e.service === name));
  return {
    clock,
    runtime,
    engine,
    events,
    /** `service:state` of every state event (of one service, when named), in order. */
    states: (name?: string) => stateEvents(name).map((e) => `${e.service}:${e.state}`),
    /** The states one service went through, in order. */
    transitions: (name: string) => stateEvents(name).map((e) => e.state),
    /** The service's view now. */
    view: (name: string) => engine.snapshotNow().find((s) => s.name === name)!,
    /** The service's state now. */
    stateOf: (name: string) => engine.snapshotNow().find((s) => s.name === name)?.state,
    /** Lets timers due now and pending callbacks run. */
    settle: () => clock.advance(0),
    /** A promise's outcome so far: 'pending', 'ok' or `rejected: reason`. */
    track: (p: Promise<unknown>) => {
      const box = { result: 'pending' as string };
      p.then(
        () => (box.result = 'ok'),
        (err: unknown) => (box.result = err instanceof CommandError ? `rejected: ${err.message}` : `threw ${String(err)}`),
      );
      return box;
    },
  };
}
