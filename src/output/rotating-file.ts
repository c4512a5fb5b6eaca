// An append-only log file written synchronously, rotated by size (FILE → FILE.1 → FILE.2 …).
import { closeSync, ftruncateSync, openSync, readdirSync, renameSync, rmSync, unlink, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsReason } from '../core/fs-reason.js';
import { writeFully } from './write-fully.js';

/** Options of a RotatingFile. */
export interface RotatingFileOptions {
  /** Rotate before the file would grow past this many bytes (a single longer line still goes in whole). */
  readonly maxBytes: number;
  /** How many rotated files to keep (FILE.1 … FILE.keep). */
  readonly keep: number;
  /** Called once if writing fails; the file then ends with the last line written whole and stops taking text. */
  readonly onError?: (err: Error) => void;
}

const NL = 10;

/**
 * A file started fresh (truncated, old rotations removed) that takes whole lines with append().
 * Each append is written at once with a synchronous write: nothing is held in memory, nothing is
 * lost or reordered, and a run that prints faster than the disk takes it is slowed, not buffered
 * (as pino's synchronous destination does). Rotation cuts on line boundaries.
 */
export class RotatingFile {
  private fd: number;
  private size = 0;
  private closed = false;
  private failed = false;

  constructor(
    readonly path: string,
    private readonly options: RotatingFileOptions,
  ) {
    for (let i = 1; i <= options.keep; i++) rmSync(`${path}.${i}`, { force: true });
    this.fd = openSync(path, 'w');
  }

  /** Writes whole lines (each ending in `\n`) after everything appended before. */
  append(data: string | Buffer): void {
    if (this.closed || this.failed || data.length === 0) return;
    try {
      const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      if (this.size + bytes <= this.options.maxBytes) {
        writeFully(this.fd, data);
        this.size += bytes;
      } else {
        this.writeRotating(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      }
    } catch (err) {
      this.failed = true;
      const error = err instanceof Error ? err : new Error(String(err));
      this.endAfterFailure(error);
      this.options.onError?.(error);
    }
  }

  /** Closes the file (everything appended is already written); later appends are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /**
   * After a failed write: cuts off the part of a line that went in (the file ends with the last line
   * written whole) and, if there is room, says there why the file stops. Best effort: nothing here throws.
   */
  private endAfterFailure(err: Error): void {
    if (this.fd < 0) return;
    try {
      ftruncateSync(this.fd, this.size);
      // At the end of what is left: the file offset is still past the cut-off part.
      const note = Buffer.from(`[msdev] this log file stops here: ${fsReason(err)}\n`);
      if (writeSync(this.fd, note, 0, note.length, this.size) !== note.length) throw new Error('short write');
    } catch {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // the file stays as the failed write left it
      }
    }
  }

  /** Writes buf, rotating first whenever the next part would not fit; cuts only after a newline. */
  private writeRotating(buf: Buffer): void {
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
          this.rotate();
          continue;
        }
      }
      writeFully(this.fd, buf.subarray(pos, end));
      this.size += end - pos;
      pos = end;
    }
  }

  /** FILE.(keep-1) → FILE.keep … FILE → FILE.1, then a fresh FILE. */
  private rotate(): void {
    closeSync(this.fd);
    this.fd = -1;
    const { keep } = this.options;
    // Freeing a 10 MB file takes the file system a while: the oldest is moved aside and deleted off the main thread.
    const doomed = `${this.path}.${keep}.deleting-${process.pid}`;
    if (keep >= 1 && renameIfExists(`${this.path}.${keep}`, doomed)) unlink(doomed, () => {});
    for (let i = keep - 1; i >= 1; i--) renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    if (keep >= 1) renameIfExists(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'w');
    this.size = 0;
  }
}

/** Removes the rotations an earlier msdev was still deleting in dir when it was stopped (FILE.N.deleting-PID). */
export function removeLeftovers(dir: string): void {
  try {
    for (const name of readdirSync(dir)) {
      if (name.includes('.deleting-')) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // nothing to clean
  }
}

/** Renames a file; false when there was none. */
function renameIfExists(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return false;
  }
}

