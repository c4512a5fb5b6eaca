// Stopping a whole stack: every service once its dependents have stopped, independent ones in parallel.
import { topoLayers, type DependencyMap } from '../core/graph.js';
import type { StopCause, Supervisor } from './supervisor.js';

/**
 * Stops every service after all its dependents (reverse start order), built without recursion (a chain may be
 * thousands long). Nothing waiting may start meanwhile: pending and back-off services stop first. A service the
 * user stopped stays stopped by the user when the cause is a restart.
 */
export async function stopInReverseOrder(
  supervisors: ReadonlyMap<string, Supervisor>,
  deps: DependencyMap,
  dependents: ReadonlyMap<string, readonly Supervisor[]>,
  cause: StopCause,
): Promise<void> {
  for (const sup of supervisors.values()) if (sup.state === 'pending' || sup.state === 'crashed') void sup.stop(cause);
  const stops = new Map<Supervisor, Promise<void>>();
  const order = topoLayers([...supervisors.keys()], deps).reverse().flat();
  for (const sup of order.map((n) => supervisors.get(n)!)) {
    const after = (dependents.get(sup.name) ?? []).flatMap((d) => stops.get(d) ?? []);
    stops.set(sup, Promise.all(after).then(() => (sup.userStopped && cause === 'restart' ? undefined : sup.stop(cause))));
  }
  await Promise.all(stops.values());
}

/**
 * Stops some of the services, each after those of its dependents that are among them (the others keep
 * running), with `stopOne` saying how (cause and reason per service).
 */
export async function stopSomeInReverseOrder(
  going: ReadonlyMap<string, Supervisor>,
  deps: DependencyMap,
  dependents: ReadonlyMap<string, readonly Supervisor[]>,
  stopOne: (sup: Supervisor) => Promise<void>,
): Promise<void> {
  const stops = new Map<string, Promise<void>>();
  for (const name of topoLayers([...going.keys()], deps).reverse().flat()) {
    const after = (dependents.get(name) ?? []).flatMap((d) => stops.get(d.name) ?? []);
    stops.set(name, Promise.all(after).then(() => stopOne(going.get(name)!)));
  }
  await Promise.all(stops.values());
}
