// Time, injected so that back-off, probe intervals and timeouts can be driven by tests.

/** A cancellable timer handle. */
export interface TimerHandle {
  cancel(): void;
}

/** The engine's only source of time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs fn after ms milliseconds unless cancelled. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

/** The real clock, backed by Date.now and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};
