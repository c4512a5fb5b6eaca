import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the last items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.last()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.last()).toEqual([1, 2]);
    ring.pushAll([3, 4, 5]);
    expect(ring.last()).toEqual([3, 4, 5]);
    expect(ring.last(2)).toEqual([4, 5]);
    expect(ring.last(10)).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });

  it('takes only the tail of a batch larger than its capacity', () => {
    const ring = new RingBuffer<number>(20);
    ring.pushAll(Array.from({ length: 1000 }, (_, i) => i));
    expect(ring.last()).toEqual(Array.from({ length: 20 }, (_, i) => 980 + i));
  });

  it('clears', () => {
    const ring = new RingBuffer<string>(2);
    ring.pushAll(['a', 'b']);
    ring.clear();
    expect(ring.size).toBe(0);
    ring.push('c');
    expect(ring.last()).toEqual(['c']);
  });

  it('rejects a zero capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
