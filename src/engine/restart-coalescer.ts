// Restarts of one service never stack: one in progress, joined while it stops, and at most one more queued.

/** A restart of one service in progress, as the code that carries it out sees it. */
export interface RestartJob {
  /** `stopping` until the service has stopped, then `starting` until it is ready again. */
  phase: 'stopping' | 'starting';
  /** Restart its dependents once it is ready again (any request joining the job may ask for it). */
  dependents: boolean;
  /** Why it restarts (`watch: app.js`), shown in its state changes; null for a plain command. */
  readonly reason: string | null;
}

interface Entry extends RestartJob {
  promise: Promise<void>;
  followUp: Promise<void> | null;
  /** The reason of the latest request the follow-up restart carries out. */
  nextReason: string | null;
}

/**
 * Coalesces restart requests per service: a request while a restart is still stopping the service is
 * that restart; a request while it is starting again queues one follow-up restart that every further
 * request shares (a burst of file changes gives at most two restarts).
 */
export class RestartCoalescer {
  private readonly jobs = new Map<string, Entry>();

  /** How many restarts are in progress. */
  get size(): number {
    return this.jobs.size;
  }

  /** Restarts `name` with `run`, or joins (or queues after) the restart already in progress. */
  request(name: string, dependents: boolean, run: (job: RestartJob) => Promise<void>, reason: string | null = null): Promise<void> {
    const current = this.jobs.get(name);
    if (current) {
      if (dependents) current.dependents = true;
      if (current.phase === 'stopping') return current.promise;
      current.nextReason = reason ?? current.nextReason;
      current.followUp ??= current.promise.catch(() => undefined).then(() => this.request(name, dependents, run, current.nextReason));
      return current.followUp;
    }
    const entry: Entry = { phase: 'stopping', dependents, reason, promise: Promise.resolve(), followUp: null, nextReason: null };
    entry.promise = run(entry).finally(() => {
      if (this.jobs.get(name) === entry) this.jobs.delete(name);
    });
    this.jobs.set(name, entry);
    return entry.promise;
  }
}
