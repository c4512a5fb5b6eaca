import { describe, expect, it } from 'vitest';
import { LogStore } from './log-store.js';

describe('LogStore', () => {
  it('keeps lines per service and interleaved in arrival order', () => {
    const store = new LogStore(10);
    store.add('api', ['a1', 'a2']);
    store.add('db', ['d1']);
    store.add('api', ['a3']);
    expect(store.last(null, 10).map((l) => `${l.source}:${l.text}`)).toEqual(['api:a1', 'api:a2', 'db:d1', 'api:a3']);
    expect(store.last('api', 2).map((l) => l.text)).toEqual(['a2', 'a3']);
    expect(store.last('nobody', 5)).toEqual([]);
    expect([store.size(null), store.size('api'), store.size('nobody')]).toEqual([4, 3, 0]);
    expect([store.added(null), store.added('db')]).toEqual([4, 1]);
  });

  it('is bounded: only the last `capacity` lines stay', () => {
    const store = new LogStore(3);
    store.add('api', ['1', '2', '3', '4', '5']);
    store.add('api', ['6']);
    expect(store.last('api', 10).map((l) => l.text)).toEqual(['4', '5', '6']);
    expect(store.last(null, 10).map((l) => l.text)).toEqual(['4', '5', '6']);
    expect([store.size('api'), store.added('api')]).toEqual([3, 6]);
  });

  it('files msdev lines about a service under that service too', () => {
    const store = new LogStore(5);
    store.add('msdev', ['api: healthy'], 'api');
    expect(store.last('api', 5)).toEqual([{ source: 'msdev', text: 'api: healthy' }]);
  });

  it('clears everything', () => {
    const store = new LogStore(5);
    store.add('api', ['x']);
    store.clear();
    expect(store.last(null, 5)).toEqual([]);
    expect(store.last('api', 5)).toEqual([]);
  });
});
