// Batched output to stdout (or any stream): one write per tick, backpressure-aware, memory-capped.
import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import { writeFully } from './write-fully.js';

/** Options of a StdoutWriter. */
export interface StdoutWriterOptions {
  /** While the stream is blocked, at most this many characters are held (here and in the stream); beyond, lines are dropped. Default 64 MiB. */
  readonly maxBufferChars?: number;
  /** Write at once, without waiting for the next tick, when this many characters are buffered. Default 1 MiB. */
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
}

/**
 * Collects output and writes it once per tick (setImmediate). When the target is a regular file (or a
 * non-terminal character device such as /dev/null) it writes synchronously to the fd: nothing is ever
 * dropped. Otherwise (a pipe, a socket, a terminal) it writes to the stream and honours its
 * backpressure: while the stream is blocked output is buffered up to maxBufferChars, after that whole
 * writes are dropped until it drains, and one dropNote marks the gap.
 */
export class StdoutWriter {
  private readonly stream: OutputStream;
  private readonly fd: number | null;
  private readonly maxBuffer: number;
  private readonly threshold: number;
  private readonly dropNote: (dropped: number) => string;
  private readonly onError: ((err: Error) => void) | undefined;
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
    this.maxBuffer = options.maxBufferChars ?? 64 * 1024 * 1024;
    this.threshold = options.flushThresholdChars ?? 1024 * 1024;
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
    if (this.blocked && (this.dropping || this.buffered + (this.stream.writableLength ?? 0) + text.length > this.maxBuffer)) {
      this.dropping = true;
      const n = countLines(text);
      this.pendingDrops += n;
      this.totalDrops += n;
      return;
    }
    this.parts.push(text);
    this.buffered += text.length;
    if (this.blocked) return;
    if (this.buffered >= this.threshold) this.writeOut();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onTick);
    }
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
    this.parts.push(text);
    this.buffered += text.length;
    if (this.blocked) return;
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
    this.wake();
  };

  /** Writes everything buffered (and the drop note, if lines were dropped) in one write. */
  private writeOut(): void {
    if (this.dead || (this.parts.length === 0 && this.pendingDrops === 0)) return;
    let text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.buffered = 0;
    if (this.pendingDrops > 0) {
      text += this.dropNote(this.pendingDrops);
      this.pendingDrops = 0;
    }
    if (this.fd !== null) {
      this.writeSyncFd(text);
      return;
    }
    this.inflight++;
    const ok = this.stream.write(text, this.onWritten);
    if (!ok && !this.dead) {
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
    if (this.inflight === 0) this.wake();
  };

  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.parts = [];
    this.buffered = 0;
    this.onError?.(err);
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

/** How many `\n` text holds (a dropped write is whole lines). */
function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Creates a StdoutWriter on process.stdout (or the given stream). */
export function createStdoutWriter(stream: OutputStream = process.stdout, options: StdoutWriterOptions = {}): StdoutWriter {
  return new StdoutWriter(stream, options);
}
