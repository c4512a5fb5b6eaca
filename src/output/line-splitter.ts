// Splits the byte chunks of a child's stdout/stderr into complete lines, one batch per chunk.

import { LineBatch } from './line-batch.js';

/** Receives the complete lines found in one chunk, in order, as one batch. */
export type LinesCallback = (batch: LineBatch) => void;

/** Options of a LineSplitter. */
export interface LineSplitterOptions {
  /** A line longer than this many bytes is emitted in pieces of (at most) this size. Default 1 MiB. */
  readonly maxLineBytes?: number;
}

/** The default cap on one line's length, in bytes. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NL = 10;
const CR = 13;

/**
 * Splits a byte stream into lines (without the trailing `\n`, a trailing `\r` stripped), calling back
 * once per pushed chunk with every complete line in it. Searches bytes with indexOf/lastIndexOf and
 * decodes once per chunk; an incomplete last line is kept as bytes, so a multi-byte UTF-8 character
 * split between chunks is decoded whole.
 */
export class LineSplitter {
  private readonly onLines: LinesCallback;
  private readonly maxLineBytes: number;
  /** Bytes of the current, incomplete line. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(onLines: LinesCallback, options: LineSplitterOptions = {}) {
    this.onLines = onLines;
    const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(max) || max < 4) throw new RangeError(`maxLineBytes must be an integer >= 4, got ${max}`);
    this.maxLineBytes = max;
  }

  /** Feeds one chunk; calls back once with its complete lines, if it has any. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const last = chunk.lastIndexOf(NL);
    if (last === -1) {
      this.keep(chunk);
      return;
    }
    // Only a chunk that could hold an over-long line takes the slow path.
    if (this.pendingBytes + last > this.maxLineBytes) {
      this.pushLong(chunk);
      return;
    }
    let bytes: Buffer;
    if (this.pendingBytes === 0) {
      bytes = chunk.subarray(0, last + 1);
    } else {
      this.pending.push(chunk.subarray(0, last + 1));
      bytes = Buffer.concat(this.pending, this.pendingBytes + last + 1);
      this.pending = [];
      this.pendingBytes = 0;
    }
    if (last + 1 < chunk.length) this.keep(chunk.subarray(last + 1));
    const text = bytes.toString('utf8', 0, bytes.length - 1);
    if (text.indexOf('\r') === -1) {
      // The common case: the lines stay one string until a front end needs them apart, and files get the bytes.
      this.onLines(new LineBatch(text, null, bytes));
      return;
    }
    const lines = text.split('\n');
    stripCarriageReturns(lines);
    this.onLines(LineBatch.of(lines));
  }

  /** Flushes a last line that had no final newline. */
  end(): void {
    if (this.pendingBytes === 0) return;
    const bytes = this.takePending();
    const end = bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    this.onLines(LineBatch.of([bytes.toString('utf8', 0, end)]));
  }

  /** Keeps the bytes of an incomplete line (copied: the caller may reuse its buffer); emits pieces once it is too long. */
  private keep(bytes: Buffer): void {
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
    if (this.pendingBytes <= this.maxLineBytes) return;
    const all = this.takePending();
    const pieces: string[] = [];
    const rest = this.cutPieces(all, 0, all.length, pieces, false);
    if (rest < all.length) {
      this.pending.push(all.subarray(rest));
      this.pendingBytes = all.length - rest;
    }
    this.onLines(LineBatch.of(pieces));
  }

  /** The slow path for a chunk holding (possibly) a line longer than maxLineBytes: line by line. */
  private pushLong(chunk: Buffer): void {
    const buf = this.pendingBytes === 0 ? chunk : Buffer.concat([...this.pending, chunk]);
    this.pending = [];
    this.pendingBytes = 0;
    const lines: string[] = [];
    let pos = 0;
    for (let nl = buf.indexOf(NL, pos); nl !== -1; nl = buf.indexOf(NL, pos)) {
      const end = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
      if (end - pos <= this.maxLineBytes) lines.push(buf.toString('utf8', pos, end));
      else this.cutPieces(buf, pos, end, lines, true);
      pos = nl + 1;
    }
    if (pos < buf.length) {
      // The rest has no newline; keep() cuts it if it is too long on its own.
      const rest = buf.subarray(pos);
      if (rest.length <= this.maxLineBytes) {
        this.pending.push(Buffer.from(rest));
        this.pendingBytes = rest.length;
      } else {
        const rem = this.cutPieces(rest, 0, rest.length, lines, false);
        if (rem < rest.length) {
          this.pending.push(Buffer.from(rest.subarray(rem)));
          this.pendingBytes = rest.length - rem;
        }
      }
    }
    if (lines.length > 0) this.onLines(LineBatch.of(lines));
  }

  /**
   * Cuts buf[start, end) into pieces of at most maxLineBytes (on UTF-8 character boundaries) into out.
   * With all=false, stops while what is left fits in one piece and returns where it starts.
   */
  private cutPieces(buf: Buffer, start: number, end: number, out: string[], all: boolean): number {
    const max = this.maxLineBytes;
    let pos = start;
    while (end - pos > max) {
      let cut = pos + max;
      // Back off over UTF-8 continuation bytes (10xxxxxx), at most 3, so no character is split.
      let back = 0;
      while (back < 3 && (buf[cut - back]! & 0xc0) === 0x80) back++;
      if (back < 3 || (buf[cut - back]! & 0xc0) !== 0x80) cut -= back;
      out.push(buf.toString('utf8', pos, cut));
      pos = cut;
    }
    if (all && pos < end) {
      out.push(buf.toString('utf8', pos, end));
      return end;
    }
    return pos;
  }

  private takePending(): Buffer {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return bytes;
  }
}

/** Removes one trailing `\r` from each line that has one. */
function stripCarriageReturns(lines: string[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === CR) lines[i] = line.slice(0, -1);
  }
}
