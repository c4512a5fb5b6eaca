// Shared plumbing of the probes: one settlement, a deadline, abort, and readable error reasons.
import type { ProbeOptions, ProbeResult } from './probe.js';

/** Settles a probe; only the first call counts. */
export type Finish = (result: ProbeResult) => void;

/** Releases what a probe holds; may return a promise the probe result waits for. */
export type Cleanup = () => void | Promise<void>;

/**
 * Runs a probe body under a deadline and an abort signal. The body starts its work, calls
 * finish once it knows the answer and returns a cleanup that runs exactly once, on any outcome.
 * The returned promise never rejects and resolves after the cleanup has finished.
 */
export function guardProbe(
  options: Pick<ProbeOptions, 'timeoutMs' | 'signal'>,
  body: (finish: Finish) => Cleanup,
): Promise<ProbeResult> {
  const { timeoutMs, signal } = options;
  if (signal?.aborted) return Promise.resolve({ ok: false, reason: 'aborted' });
  return new Promise<ProbeResult>((resolve) => {
    let outcome: ProbeResult | null = null;
    let cleanup: Cleanup | null = null;
    let released = false;

    const release = (): void => {
      if (released || !outcome || !cleanup) return;
      released = true;
      const result = outcome;
      let pending: void | Promise<void>;
      try {
        pending = cleanup();
      } catch {
        pending = undefined;
      }
      const done = (): void => resolve(result);
      Promise.resolve(pending).then(done, done);
    };
    const finish: Finish = (result) => {
      if (outcome) return;
      outcome = result;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      release();
    };
    const onAbort = (): void => finish({ ok: false, reason: 'aborted' });

    const timer = setTimeout(
      () => finish({ ok: false, reason: `timed out after ${timeoutMs} ms` }),
      Math.max(0, timeoutMs),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      cleanup = body(finish);
    } catch (err) {
      cleanup = () => undefined;
      finish({ ok: false, reason: describeError(err) });
    }
    release();
  });
}

/** A short reason from an error: its message, or for a multi-address connect the messages of each try. */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    const messages = (err.errors as unknown[]).map((e) => describeError(e));
    return [...new Set(messages)].join(', ');
  }
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return err.message || code || err.name;
  }
  return String(err);
}
