// An append-only text file written asynchronously in batches, rotated by size (FILE → FILE.1 → FILE.2 …).
import { close, closeSync, open, openSync, rename, rmSync, write } from 'node:fs';

/** Options of a RotatingFile. */
export interface RotatingFileOptions {
  /** Rotate before the file would grow past this many bytes (a single longer line still goes in whole). */
  readonly maxBytes: number;
  /** How many rotated files to keep (FILE.1 … FILE.keep). */
  readonly keep: number;
  /** Called once if writing fails; the file then stops taking text. */
  readonly onError?: (err: Error) => void;
}

const NL = 10;

/**
 * A file started fresh (truncated, old rotations removed) that takes text with append(): the text is
 * queued in memory and written by a single in-flight write per file, everything queued so far in one
 * write, so nothing is lost or reordered. Rotation cuts on line boundaries.
 */
export class RotatingFile {
  private fd: number;
  private size = 0;
  private queue: string[] = [];
  private draining = false;
  private closed = false;
  private failed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly path: string,
    private readonly options: RotatingFileOptions,
  ) {
    for (let i = 1; i <= options.keep; i++) rmSync(`${path}.${i}`, { force: true });
    this.fd = openSync(path, 'w');
  }

  /** Queues text (whole lines, each ending in `\n`) to be written after everything queued before it. */
  append(text: string): void {
    if (this.closed || this.failed || text.length === 0) return;
    this.queue.push(text);
    if (!this.draining) {
      this.draining = true;
      void this.drain();
    }
  }

  /** Resolves once everything appended so far is written. */
  flush(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Writes everything queued, then closes the file; later appends are ignored. */
  async close(): Promise<void> {
    if (this.closed) return this.flush();
    await this.flush();
    this.closed = true;
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const text = this.queue.length === 1 ? this.queue[0]! : this.queue.join('');
        this.queue = [];
        await this.writeText(Buffer.from(text, 'utf8'));
      }
    } catch (err) {
      this.failed = true;
      this.queue = [];
      this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.draining = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Writes buf, rotating first whenever the next part would not fit; cuts only after a newline. */
  private async writeText(buf: Buffer): Promise<void> {
    let pos = 0;
    while (pos < buf.length) {
      let end = buf.length;
      const room = this.options.maxBytes - this.size;
      if (end - pos > room) {
        const cut = room > 0 ? buf.lastIndexOf(NL, pos + room - 1) : -1;
        if (cut >= pos) {
          end = cut + 1;
        } else if (this.size === 0) {
          // One line longer than the whole file limit: it goes in whole, alone.
          const nl = buf.indexOf(NL, pos);
          end = nl === -1 ? buf.length : nl + 1;
        } else {
          await this.rotate();
          continue;
        }
      }
      await writeAll(this.fd, buf, pos, end);
      this.size += end - pos;
      pos = end;
    }
  }

  /** FILE.(keep-1) → FILE.keep … FILE → FILE.1, then a fresh FILE. */
  private async rotate(): Promise<void> {
    const fd = this.fd;
    this.fd = -1;
    await new Promise<void>((resolve, reject) => close(fd, (err) => (err ? reject(err) : resolve())));
    const { keep } = this.options;
    for (let i = keep - 1; i >= 1; i--) await renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    if (keep >= 1) await renameIfExists(this.path, `${this.path}.1`);
    this.fd = await new Promise<number>((resolve, reject) =>
      open(this.path, 'w', (err, fd) => (err ? reject(err) : resolve(fd))),
    );
    this.size = 0;
  }
}

/** Writes buf[start, end) completely (looping over short writes). */
function writeAll(fd: number, buf: Buffer, start: number, end: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (pos: number): void => {
      if (pos >= end) {
        resolve();
        return;
      }
      write(fd, buf, pos, end - pos, null, (err, written) => (err ? reject(err) : step(pos + written)));
    };
    step(start);
  });
}

function renameIfExists(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) =>
    rename(from, to, (err) => (err && err.code !== 'ENOENT' ? reject(err) : resolve())),
  );
}
