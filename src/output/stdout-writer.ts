// Batched output to stdout (or any stream): one write per tick, backpressure-aware, memory-capped: when the
// reader falls behind it asks for the services to be paused (no line lost), or drops lines when told to.
import { countNewlines } from '../core/newlines.js';
import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import { writeFully } from './write-fully.js';

/** Options of a StdoutWriter. */
export interface StdoutWriterOptions {
  /**
   * How many characters may be held (here and in the stream) while the reader is behind: beyond it the
   * writer is `behind` (overflow 'pause') or drops lines (overflow 'drop'). Default 1 Mi (more only grew msdev's memory: 4 Mi held meant ~180 MB peak RSS through a pipe, 1 Mi ~100 MB).
   */
  readonly maxBufferChars?: number;
  /**
   * What happens when the reader falls behind: 'pause' (default) keeps every line and calls onBehind(true)
   * so that the services are paused until it caught up (onBehind(false)); 'drop' drops lines, with a note.
   */
  readonly overflow?: 'pause' | 'drop';
  /** Told when the writer falls behind (held > maxBufferChars) and when it caught up again (held ≤ a quarter of it). */
  readonly onBehind?: (behind: boolean) => void;
  /** Write at once, without waiting for the next tick, when this many characters are buffered. Default 256 Ki. */
  readonly flushThresholdChars?: number;
  /** The note written where lines were dropped, once output catches up (must end with `\n`). */
  readonly dropNote?: (dropped: number) => string;
  /** Called once when the stream fails (e.g. EPIPE: the reader went away); output is then discarded. */
  readonly onError?: (err: Error) => void;
}

/** What a drop note says, without framing: the same words in plain (`msdev | …`) and JSON (`{"type":"message"}`) output. */
export function dropNoteText(dropped: number): string {
  return `… ${dropped} lines dropped (screen too slow; the log files have every line)`;
}

/** Writes at least this long go to the stream at once when nothing is queued (a log batch is ~64 KiB). */
const DIRECT_CHARS = 16 * 1024;

/** The default (plain) note for lines dropped from the screen. */
export function defaultDropNote(dropped: number): string {
  return `msdev | ${dropNoteText(dropped)}\n`;
}

/** The writable side StdoutWriter needs; process.stdout is one. */
export interface OutputStream {
  write(chunk: string, callback?: (err?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  readonly fd?: unknown;
  /** What the stream itself still holds (counted against maxBufferChars while it is blocked). */
  readonly writableLength?: number;
  /** Holds writes until uncork(), then hands them over together (one writev). */
  cork?(): void;
  uncork?(): void;
}

/**
 * Collects output and writes it once per tick (setImmediate). When the target is a regular file (or a
 * non-terminal character device such as /dev/null) it writes synchronously to the fd: nothing is ever
 * dropped. Otherwise (a pipe, a socket, a terminal) it writes to the stream and honours its
 * backpressure: while the stream is blocked output is buffered; past maxBufferChars it says it is behind
 * (onBehind) so that the services are paused, and keeps every line; under overflow 'drop' whole writes are
 * dropped instead until it drains, and one dropNote marks the gap.
 */
export class StdoutWriter {
  private readonly stream: OutputStream;
  private readonly fd: number | null;
  private readonly maxBuffer: number;
  private readonly threshold: number;
  private readonly dropNote: (dropped: number) => string;
  private readonly onError: ((err: Error) => void) | undefined;
  private readonly drops: boolean;
  private readonly onBehind: ((behind: boolean) => void) | undefined;
  private behind = false;
  private parts: string[] = [];
  private buffered = 0;
  private scheduled = false;
  private blocked = false;
  private dropping = false;
  private pendingDrops = 0;
  private totalDrops = 0;
  private inflight = 0;
  private dead = false;
  private waiters: (() => void)[] = [];

  constructor(stream: OutputStream = process.stdout, options: StdoutWriterOptions = {}) {
    this.stream = stream;
    this.fd = syncFd(stream);
    this.maxBuffer = options.maxBufferChars ?? 1024 * 1024;
    this.drops = options.overflow === 'drop';
    this.onBehind = options.onBehind;
    this.threshold = options.flushThresholdChars ?? 256 * 1024;
    this.dropNote = options.dropNote ?? defaultDropNote;
    this.onError = options.onError;
    if (this.fd === null) stream.on('error', (err) => this.fail(err));
  }

  /** True when output goes straight to a file descriptor (a file), so it is never dropped. */
  get synchronous(): boolean {
    return this.fd !== null;
  }

  /** How many lines were dropped from the screen during the run. */
  get droppedLines(): number {
    return this.totalDrops;
  }

  /** Queues text (whole lines, each ending in `\n`); it is written on the next tick at the latest. */
  write(text: string): void {
    if (this.dead || text.length === 0) return;
    if (this.fd !== null) {
      // A file takes everything at once: holding text back would only keep it alive longer.
      this.writeSyncFd(text);
      return;
    }
    if (this.drops && this.blocked && (this.dropping || this.buffered + (this.stream.writableLength ?? 0) + text.length > this.maxBuffer)) {
      this.dropping = true;
      const n = countNewlines(text);
      this.pendingDrops += n;
      this.totalDrops += n;
      return;
    }
    if (!this.blocked && this.parts.length === 0 && text.length >= DIRECT_CHARS) {
      // A big write with nothing queued goes out at once: no copy into a joined string a tick later.
      this.send(text);
      this.checkBehind();
      return;
    }
    this.enqueue(text);
  }

  /** True while the reader is behind and the services should be paused (overflow 'pause'). */
  get isBehind(): boolean {
    return this.behind;
  }

  /**
   * Queues text that is never dropped, even while the stream is blocked (the last line of a run, such as
   * --json's exit event); a note of lines dropped before it goes first, so the order stays true.
   */
  writeKept(text: string): void {
    if (this.dead || text.length === 0) return;
    if (this.fd !== null) {
      this.writeSyncFd(text);
      return;
    }
    if (this.pendingDrops > 0) {
      const note = this.dropNote(this.pendingDrops);
      this.pendingDrops = 0;
      this.parts.push(note);
      this.buffered += note.length;
    }
    this.enqueue(text);
  }

  /** Queues text for the next tick (at once past the threshold); while blocked, says when it fell behind. */
  private enqueue(text: string): void {
    this.parts.push(text);
    this.buffered += text.length;
    if (this.blocked) {
      if (!this.behind) this.checkBehind();
      return;
    }
    if (this.buffered >= this.threshold) this.writeOut();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onTick);
    }
  }

  /** Writes out everything queued and resolves once the stream has taken it all (call before exiting). */
  async flush(): Promise<void> {
    for (;;) {
      if (!this.blocked) this.writeOut();
      if (this.dead || (this.parts.length === 0 && this.pendingDrops === 0 && this.inflight === 0)) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private readonly onTick = (): void => {
    this.scheduled = false;
    if (!this.blocked) this.writeOut();
  };

  private readonly onDrain = (): void => {
    this.blocked = false;
    this.dropping = false;
    this.writeOut();
    this.checkBehind();
    this.wake();
  };

  /** Says when the writer fell behind (more than maxBuffer held) or caught up (a quarter of it); never while dropping lines. */
  private checkBehind(): void {
    if (this.drops || !this.onBehind) return;
    const held = this.dead ? 0 : this.buffered + (this.stream.writableLength ?? 0);
    if (!this.behind && held > this.maxBuffer) {
      this.behind = true;
      this.onBehind(true);
    } else if (this.behind && held <= this.maxBuffer / 4) {
      this.behind = false;
      this.onBehind(false);
    }
  }

  /** Writes everything buffered (and the drop note, if lines were dropped) in one write. */
  private writeOut(): void {
    if (this.dead || (this.parts.length === 0 && this.pendingDrops === 0)) return;
    const parts = this.parts;
    this.parts = [];
    this.buffered = 0;
    if (this.pendingDrops > 0) {
      parts.push(this.dropNote(this.pendingDrops));
      this.pendingDrops = 0;
    }
    if (this.fd !== null) {
      this.writeSyncFd(parts.length === 1 ? parts[0]! : parts.join(''));
      return;
    }
    const groups = this.stream.cork ? coalesce(parts) : [parts.join('')];
    if (groups.length === 1) {
      this.send(groups[0]!);
      return;
    }
    // Corked, the groups leave in one writev: big parts are not copied into one joined string.
    this.stream.cork?.();
    for (const group of groups) this.send(group);
    this.stream.uncork?.();
  }

  /** Hands text to the stream; a full stream blocks the writer until it drains. */
  private send(text: string): void {
    this.inflight++;
    const ok = this.stream.write(text, this.onWritten);
    if (!ok && !this.dead && !this.blocked) {
      this.blocked = true;
      this.stream.once('drain', this.onDrain);
    }
  }

  /** Writes to the file descriptor at once; a failure ends the writer. */
  private writeSyncFd(text: string): void {
    try {
      writeFully(this.fd!, text);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private readonly onWritten = (): void => {
    this.inflight--;
    if (this.behind) this.checkBehind();
    if (this.inflight === 0) this.wake();
  };

  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.parts = [];
    this.buffered = 0;
    this.onError?.(err);
    // Nothing is written any more: nothing to wait for.
    this.checkBehind();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The fd to write to synchronously when the stream is a regular file or a non-terminal character device. */
function syncFd(stream: OutputStream): number | null {
  const fd = stream.fd;
  if (typeof fd !== 'number') return null;
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() || (stat.isCharacterDevice() && !isatty(fd))) return fd;
  } catch {
    // not a usable fd: fall back to the stream
  }
  return null;
}

/** The parts as a few strings: runs of small parts joined, each part of DIRECT_CHARS or more on its own. */
function coalesce(parts: readonly string[]): string[] {
  const groups: string[] = [];
  let run: string[] = [];
  for (const part of parts) {
    if (part.length < DIRECT_CHARS) {
      run.push(part);
      continue;
    }
    if (run.length > 0) groups.push(run.join(''));
    run = [];
    groups.push(part);
  }
  if (run.length > 0) groups.push(run.join(''));
  return groups;
}

/** Creates a StdoutWriter on process.stdout (or the given stream). */
export function createStdoutWriter(stream: OutputStream = process.stdout, options: StdoutWriterOptions = {}): StdoutWriter {
  return new StdoutWriter(stream, options);
}
