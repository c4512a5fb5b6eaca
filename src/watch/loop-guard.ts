// Spots a service that keeps triggering its own hot reload (it writes into the files it watches):
// more than `limit` triggers within a sliding window.

/** Counts triggers in a sliding window; says when there are too many. */
export class LoopGuard {
  private times: number[] = [];

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a trigger at `now` (ms); true when it makes more than `limit` within the window: pause. */
  record(now: number): boolean {
    this.times = this.times.filter((t) => t > now - this.windowMs);
    this.times.push(now);
    return this.times.length > this.limit;
  }

  /** Forgets every trigger so far. */
  reset(): void {
    this.times = [];
  }
}
