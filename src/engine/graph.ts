// Pure functions on the dependency graph: service name → (dependency name → anything, e.g. its condition).
// Dependencies on names that are not keys of the map are ignored everywhere.

/** Service name → its dependencies (name → condition or anything else). */
export type DependencyMap = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

function depsOf(name: string, deps: DependencyMap): string[] {
  const d = Object.hasOwn(deps, name) ? deps[name] : undefined;
  return d ? Object.keys(d).filter((n) => Object.hasOwn(deps, n)) : [];
}

/** Every cycle reachable in file order, each as a closed path like ['api', 'worker', 'api']; one per back edge. */
export function findCycles(deps: DependencyMap): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of depsOf(n, deps)) {
      const s = state.get(d);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of Object.keys(deps)) if (!state.has(n)) visit(n);
  return cycles;
}

/** The first dependency cycle as a closed path like ['api', 'worker', 'api'], or null. */
export function findCycle(deps: DependencyMap): string[] | null {
  return findCycles(deps)[0] ?? null;
}

/**
 * Start order in waves: layer 0 has no dependencies among `names`, layer k depends only on earlier
 * layers. Dependencies outside `names` are ignored. Throws on a cycle (config validation prevents it).
 */
export function topoLayers(names: readonly string[], deps: DependencyMap): string[][] {
  const set = new Set(names);
  const layerOf = new Map<string, number>();
  const onPath = new Set<string>();
  const depth = (n: string): number => {
    const known = layerOf.get(n);
    if (known !== undefined) return known;
    if (onPath.has(n)) throw new Error(`cycle through ${n}`);
    onPath.add(n);
    let l = 0;
    for (const d of depsOf(n, deps)) if (set.has(d)) l = Math.max(l, depth(d) + 1);
    onPath.delete(n);
    layerOf.set(n, l);
    return l;
  };
  const layers: string[][] = [];
  for (const n of names) {
    const l = depth(n);
    (layers[l] ??= []).push(n);
  }
  return layers.filter((x) => x !== undefined);
}

/** `names` plus everything they depend on, transitively, in the order of the map's keys (unknown names last). */
export function dependencyClosure(names: readonly string[], deps: DependencyMap): string[] {
  const seen = new Set<string>();
  const add = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of depsOf(n, deps)) add(d);
  };
  for (const n of names) add(n);
  const ordered = Object.keys(deps).filter((n) => seen.has(n));
  return [...ordered, ...names.filter((n) => !Object.hasOwn(deps, n) && ordered.indexOf(n) < 0).filter((n, i, a) => a.indexOf(n) === i)];
}

/** The services that depend on `name` (directly, or transitively with `transitive: true`), in the order of the map's keys. */
export function dependentsOf(name: string, deps: DependencyMap, options: { readonly transitive?: boolean } = {}): string[] {
  const found = new Set<string>();
  const add = (target: string): void => {
    for (const n of Object.keys(deps)) {
      if (found.has(n) || !depsOf(n, deps).includes(target)) continue;
      found.add(n);
      if (options.transitive) add(n);
    }
  };
  add(name);
  found.delete(name);
  return Object.keys(deps).filter((n) => found.has(n));
}
