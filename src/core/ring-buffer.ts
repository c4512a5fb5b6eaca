// A fixed-size buffer of the most recent items (the last N log lines of a service).

/** Keeps the last `capacity` items pushed, oldest first; O(1) per push, no allocation after construction. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  /** Index of the next write. */
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** How many items it holds (at most capacity). */
  get size(): number {
    return this.count;
  }

  /** Adds one item, dropping the oldest when full. */
  push(item: T): void {
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Adds many items in order; only the last `capacity` of them are touched. */
  pushAll(items: readonly T[]): void {
    const from = items.length > this.capacity ? items.length - this.capacity : 0;
    for (let i = from; i < items.length; i++) this.push(items[i]!);
  }

  /** The last n items (all by default), oldest first. */
  last(n: number = this.count): T[] {
    const k = Math.max(0, Math.min(n, this.count));
    const out = new Array<T>(k);
    let idx = (this.head - k + this.capacity) % this.capacity;
    for (let i = 0; i < k; i++) {
      out[i] = this.items[idx] as T;
      idx = (idx + 1) % this.capacity;
    }
    return out;
  }

  /** Empties it. */
  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.count = 0;
  }
}
