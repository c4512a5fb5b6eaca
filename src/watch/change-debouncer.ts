// Gathers file changes into one batch: a trailing debounce on an injected clock, so a burst (a git
// checkout, a formatter over 1,000 files, an editor's save-rename dance) becomes one flush.
import type { Clock, TimerHandle } from '../core/clock.js';

/** One file-system change, as the watcher reports it. */
export interface FileChange {
  readonly path: string;
  readonly kind: 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';
}

/** A pending change and whether its path was created within this batch. */
interface Pending {
  change: FileChange;
  /** Added in this batch: if it is then unlinked, it was a temp file that came and went. */
  bornHere: boolean;
}

/** A burst that never pauses is flushed anyway after this many debounce periods. */
const CAP_FACTOR = 10;

/**
 * Gathers changes until `debounceMs` passes with none, then calls onFlush once with them. One change
 * per path (the last kind). A temp file created and deleted within the batch (an editor's write-then-
 * rename) is still part of it, but listed after the others, so the file it replaced is named first.
 * Hard cap: after 10 × debounceMs of changes that never pause, the batch is flushed anyway and a new
 * one starts, so a never-ending stream still triggers.
 */
export class ChangeDebouncer {
  private pending = new Map<string, Pending>();
  private burstStart = 0;
  private lastAt = 0;
  private timer: TimerHandle | null = null;
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly debounceMs: number,
    private readonly onFlush: (changes: readonly FileChange[]) => void,
  ) {}

  /** Adds a change to the batch and (re)starts the quiet period. */
  add(change: FileChange): void {
    if (this.disposed) return;
    const now = this.clock.now();
    if (this.pending.size === 0) this.burstStart = now;
    this.lastAt = now;
    const before = this.pending.get(change.path);
    const bornHere = before ? before.bornHere : change.kind === 'add' || change.kind === 'addDir';
    // Delete first so the path moves to the end: the batch is in the order of each path's last change.
    this.pending.delete(change.path);
    this.pending.set(change.path, { change, bornHere });
    // One timer per batch: when it fires early (changes kept coming) it is set again for the rest.
    if (!this.timer) this.schedule(this.debounceMs);
  }

  /** Drops the changes gathered so far without flushing them. */
  clear(): void {
    this.timer?.cancel();
    this.timer = null;
    this.pending.clear();
  }

  /** Drops pending changes and ignores any later ones. */
  dispose(): void {
    this.disposed = true;
    this.clear();
  }

  /** The time at which the batch is due: the quiet period after the last change, or the cap. */
  private dueAt(): number {
    return Math.min(this.lastAt + this.debounceMs, this.burstStart + CAP_FACTOR * this.debounceMs);
  }

  private schedule(ms: number): void {
    this.timer = this.clock.setTimeout(() => this.fire(), ms);
  }

  private fire(): void {
    this.timer = null;
    if (this.disposed || this.pending.size === 0) return;
    const wait = this.dueAt() - this.clock.now();
    if (wait > 0) {
      this.schedule(wait);
      return;
    }
    const all = [...this.pending.values()];
    this.pending.clear();
    const transient = (p: Pending): boolean => p.bornHere && (p.change.kind === 'unlink' || p.change.kind === 'unlinkDir');
    const changes = [...all.filter((p) => !transient(p)), ...all.filter(transient)].map((p) => p.change);
    this.onFlush(changes);
  }
}
