// Pure functions on the dependency graph: service name → (dependency name → anything, e.g. its condition).
// Dependencies on names that are not keys of the map are ignored everywhere.

/** Service name → its dependencies (name → condition or anything else). */
export type DependencyMap = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

function depsOf(name: string, deps: DependencyMap): string[] {
  const d = Object.hasOwn(deps, name) ? deps[name] : undefined;
  return d ? Object.keys(d).filter((n) => Object.hasOwn(deps, n)) : [];
}

/** Every cycle reachable in file order, each as a closed path like ['api', 'worker', 'api']; one per back edge, at most `limit`. Iterative: any depth. */
export function findCycles(deps: DependencyMap, limit = Infinity): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const at = new Map<string, number>();
  const cycles: string[][] = [];
  for (const root of Object.keys(deps)) {
    if (state.has(root)) continue;
    const frames: { name: string; deps: string[]; next: number }[] = [];
    const enter = (n: string): void => {
      state.set(n, 'open');
      at.set(n, stack.length);
      stack.push(n);
      frames.push({ name: n, deps: depsOf(n, deps), next: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.next === f.deps.length) {
        frames.pop();
        stack.pop();
        at.delete(f.name);
        state.set(f.name, 'done');
        continue;
      }
      const d = f.deps[f.next++]!;
      const s = state.get(d);
      if (s === 'open') {
        if (cycles.length >= limit) return cycles;
        cycles.push([...stack.slice(at.get(d)), d]);
      } else if (s === undefined) enter(d);
    }
  }
  return cycles;
}

/**
 * Start order in waves: layer 0 has no dependencies among `names`, layer k depends only on earlier
 * layers. Dependencies outside `names` are ignored. Throws on a cycle (config validation prevents it).
 */
export function topoLayers(names: readonly string[], deps: DependencyMap): string[][] {
  const set = new Set(names);
  const layerOf = new Map<string, number>();
  const onPath = new Set<string>();
  const inNames = (n: string): string[] => depsOf(n, deps).filter((d) => set.has(d));
  for (const root of names) {
    if (layerOf.has(root)) continue;
    const frames: { name: string; deps: string[]; next: number; layer: number }[] = [{ name: root, deps: inNames(root), next: 0, layer: 0 }];
    onPath.add(root);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.next < f.deps.length) {
        const d = f.deps[f.next++]!;
        const known = layerOf.get(d);
        if (known !== undefined) f.layer = Math.max(f.layer, known + 1);
        else if (onPath.has(d)) throw new Error(`cycle through ${d}`);
        else {
          onPath.add(d);
          frames.push({ name: d, deps: inNames(d), next: 0, layer: 0 });
        }
        continue;
      }
      frames.pop();
      onPath.delete(f.name);
      layerOf.set(f.name, f.layer);
      const parent = frames[frames.length - 1];
      if (parent) parent.layer = Math.max(parent.layer, f.layer + 1);
    }
  }
  const layers: string[][] = [];
  for (const n of names) (layers[layerOf.get(n)!] ??= []).push(n);
  return layers.filter((x) => x !== undefined);
}

/** `names` plus everything they depend on, transitively, in the order of the map's keys (unknown names last). */
export function dependencyClosure(names: readonly string[], deps: DependencyMap): string[] {
  const seen = new Set<string>();
  const todo = [...names];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const d of depsOf(n, deps)) if (!seen.has(d)) todo.push(d);
  }
  const ordered = Object.keys(deps).filter((n) => seen.has(n));
  const unknown = new Set(names.filter((n) => !Object.hasOwn(deps, n)));
  return [...ordered, ...unknown];
}

/** Every name that depends on `name`, directly or not (not `name` itself), given each name's direct dependents. */
export function dependentsClosure(name: string, dependentsOf: (name: string) => Iterable<string>): string[] {
  const seen = new Set<string>();
  const queue = [name];
  while (queue.length > 0) {
    for (const d of dependentsOf(queue.pop()!)) {
      if (d === name || seen.has(d)) continue;
      seen.add(d);
      queue.push(d);
    }
  }
  return [...seen];
}
