import { describe, expect, it } from 'vitest';
import { dependencyClosure, findCycles, topoLayers, type DependencyMap, dependentsClosure } from './graph.js';

const shop: DependencyMap = {
  db: {},
  cache: {},
  migrate: { db: 'healthy' },
  api: { migrate: 'completed', db: 'healthy', cache: 'started' },
  worker: { db: 'started' },
  web: { api: 'started' },
  lonely: {},
};

describe('findCycles', () => {
  it.each([
    [{}, null],
    [shop, null],
    [{ api: { api: 'started' } }, ['api', 'api']],
    [{ api: { worker: 'started' }, worker: { api: 'started' } }, ['api', 'worker', 'api']],
    [{ a: { b: 1 }, b: { c: 1 }, c: { a: 1 }, d: { a: 1 } }, ['a', 'b', 'c', 'a']],
    [{ d: { a: 1 }, a: { b: 1 }, b: { a: 1 } }, ['a', 'b', 'a']],
    [{ a: { missing: 1 } }, null],
  ] as [DependencyMap, string[] | null][])('%j → first cycle %j', (deps, cycle) => {
    expect(findCycles(deps, 1)).toEqual(cycle ? [cycle] : []);
  });

  it('finds separate cycles', () => {
    expect(findCycles({ a: { b: 1 }, b: { a: 1 }, c: { d: 1 }, d: { c: 1 } })).toEqual([
      ['a', 'b', 'a'],
      ['c', 'd', 'c'],
    ]);
  });
});

describe('topoLayers', () => {
  it.each([
    [Object.keys(shop), [['db', 'cache', 'lonely'], ['migrate', 'worker'], ['api'], ['web']]],
    [['web', 'api'], [['api'], ['web']]],
    [['api', 'db'], [['db'], ['api']]],
    [['lonely'], [['lonely']]],
    [[], []],
  ])('%j → %j', (names, layers) => {
    expect(topoLayers(names, shop)).toEqual(layers);
  });

  it('throws on a cycle', () => {
    expect(() => topoLayers(['a', 'b'], { a: { b: 1 }, b: { a: 1 } })).toThrow(/cycle/);
  });
});

describe('dependencyClosure', () => {
  it.each([
    [['web'], ['db', 'cache', 'migrate', 'api', 'web']],
    [['worker'], ['db', 'worker']],
    [['lonely', 'db'], ['db', 'lonely']],
    [['nope'], ['nope']],
    [[], []],
  ])('%j → %j', (names, closure) => {
    expect(dependencyClosure(names, shop)).toEqual(closure);
  });
});

describe('long chains and cycles (no recursion)', () => {
  const n = 20_000;
  const chain: Record<string, Record<string, string>> = {};
  for (let i = 0; i < n; i++) chain[`s${i}`] = i > 0 ? { [`s${i - 1}`]: 'started' } : {};
  const ring: Record<string, Record<string, string>> = {};
  for (let i = 0; i < n; i++) ring[`s${i}`] = { [`s${(i + 1) % n}`]: 'started' };

  it('finds a 20,000-service cycle', () => {
    const cycles = findCycles(ring);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n + 1);
    expect(findCycles(chain)).toEqual([]);
  });

  it('stops after `limit` cycles', () => {
    const many: Record<string, Record<string, string>> = { hub: {} };
    for (let i = 0; i < 100; i++) {
      many[`s${i}`] = { hub: 'started' };
      many.hub![`s${i}`] = 'started';
    }
    expect(findCycles(many)).toHaveLength(100);
    expect(findCycles(many, 3)).toHaveLength(3);
  });

  it('layers and closes over a 20,000-service chain', () => {
    const names = Object.keys(chain);
    const layers = topoLayers(names, chain);
    expect(layers).toHaveLength(n);
    expect(layers[n - 1]).toEqual([`s${n - 1}`]);
    expect(dependencyClosure([`s${n - 1}`], chain)).toHaveLength(n);
    expect(() => topoLayers(Object.keys(ring), ring)).toThrow(/cycle/);
  });
});

describe('dependentsClosure', () => {
  const dependents: Record<string, string[]> = { db: ['api', 'worker'], api: ['web'], web: [], worker: ['api'], loop: ['loop2'], loop2: ['loop'] };
  it.each([
    ['db', ['api', 'web', 'worker']],
    ['api', ['web']],
    ['web', []],
    ['loop', ['loop2']],
  ])('%s', (name, expected) => {
    expect(dependentsClosure(name, (n) => dependents[n] ?? []).sort()).toEqual(expected);
  });
});
