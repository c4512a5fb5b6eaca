import { describe, expect, it } from 'vitest';
import { dependencyClosure, dependentsOf, findCycle, findCycles, topoLayers, type DependencyMap } from './graph.js';

const shop: DependencyMap = {
  db: {},
  cache: {},
  migrate: { db: 'healthy' },
  api: { migrate: 'completed', db: 'healthy', cache: 'started' },
  worker: { db: 'started' },
  web: { api: 'started' },
  lonely: {},
};

describe('findCycle', () => {
  it.each([
    [{}, null],
    [shop, null],
    [{ api: { api: 'started' } }, ['api', 'api']],
    [{ api: { worker: 'started' }, worker: { api: 'started' } }, ['api', 'worker', 'api']],
    [{ a: { b: 1 }, b: { c: 1 }, c: { a: 1 }, d: { a: 1 } }, ['a', 'b', 'c', 'a']],
    [{ d: { a: 1 }, a: { b: 1 }, b: { a: 1 } }, ['a', 'b', 'a']],
    [{ a: { missing: 1 } }, null],
  ] as [DependencyMap, string[] | null][])('%j → %j', (deps, cycle) => {
    expect(findCycle(deps)).toEqual(cycle);
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

describe('dependentsOf', () => {
  it.each([
    ['db', false, ['migrate', 'api', 'worker']],
    ['db', true, ['migrate', 'api', 'worker', 'web']],
    ['migrate', true, ['api', 'web']],
    ['web', true, []],
    ['nope', false, []],
  ] as const)('%s (transitive: %s) → %j', (name, transitive, dependents) => {
    expect(dependentsOf(name, shop, { transitive })).toEqual(dependents);
  });
});
