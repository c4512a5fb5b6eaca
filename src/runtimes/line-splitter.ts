// Splits the byte chunks of a child's stdout/stderr into complete lines, one batch per chunk.

import { LineBatch } from '../core/line-batch.js';

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
    this.onLines(new LineBatch(lines.join('\n'), lines, stripCrBeforeLf(bytes)));
  }

  /** Flushes a last line that had no final newline. */
  end(): void {
    if (this.pendingBytes === 0) return;
    const bytes = this.takePending();
    const end = bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    // The file gets the line's own bytes (not a re-encoding of its text) and the newline it lacked.
    const out = new ByteLines();
    out.add(bytes, 0, end, bytes.toString('utf8', 0, end));
    this.onLines(out.batch());
  }

  /** Keeps the bytes of an incomplete line (copied: the caller may reuse its buffer); emits pieces once it is too long. */
  private keep(bytes: Buffer): void {
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
    if (this.pendingBytes <= this.maxLineBytes) return;
    const all = this.takePending();
    const pieces = new ByteLines();
    const rest = this.cutPieces(all, 0, all.length, pieces, false);
    if (rest < all.length) {
      this.pending.push(all.subarray(rest));
      this.pendingBytes = all.length - rest;
    }
    this.onLines(pieces.batch());
  }

  /** The slow path for a chunk holding (possibly) a line longer than maxLineBytes: line by line. */
  private pushLong(chunk: Buffer): void {
    const buf = this.pendingBytes === 0 ? chunk : Buffer.concat([...this.pending, chunk]);
    this.pending = [];
    this.pendingBytes = 0;
    const lines = new ByteLines();
    let pos = 0;
    for (let nl = buf.indexOf(NL, pos); nl !== -1; nl = buf.indexOf(NL, pos)) {
      const end = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
      if (end - pos <= this.maxLineBytes) lines.add(buf, pos, end, buf.toString('utf8', pos, end));
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
    if (lines.length > 0) this.onLines(lines.batch());
  }

  /**
   * Cuts buf[start, end) into pieces of at most maxLineBytes (on UTF-8 character boundaries) into out.
   * With all=false, stops while what is left fits in one piece and returns where it starts.
   */
  private cutPieces(buf: Buffer, start: number, end: number, out: ByteLines, all: boolean): number {
    const max = this.maxLineBytes;
    let pos = start;
    while (end - pos > max) {
      let cut = pos + max;
      // Back off over UTF-8 continuation bytes (10xxxxxx), at most 3, so no character is split.
      let back = 0;
      while (back < 3 && (buf[cut - back]! & 0xc0) === 0x80) back++;
      if (back < 3 || (buf[cut - back]! & 0xc0) !== 0x80) cut -= back;
      out.add(buf, pos, cut, buf.toString('utf8', pos, cut));
      pos = cut;
    }
    if (all && pos < end) {
      out.add(buf, pos, end, buf.toString('utf8', pos, end));
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

const NEWLINE = Buffer.from('\n');

/** Lines gathered one by one on a slow path, each with its own bytes, so files get what the service wrote. */
class ByteLines {
  private readonly lines: string[] = [];
  private readonly parts: Buffer[] = [];
  private size = 0;

  get length(): number {
    return this.lines.length;
  }

  /** Adds the line buf[start, end) (without its newline), decoded as text. */
  add(buf: Buffer, start: number, end: number, text: string): void {
    this.lines.push(text);
    this.parts.push(buf.subarray(start, end), NEWLINE);
    this.size += end - start + 1;
  }

  /** The batch of every line added, with their bytes (each line followed by `\n`). */
  batch(): LineBatch {
    return new LineBatch(this.lines.join('\n'), this.lines, Buffer.concat(this.parts, this.size));
  }
}

/** The bytes with the `\r` of every `\r\n` removed, as the lines' text has them. */
function stripCrBeforeLf(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  let from = 0;
  for (let cr = bytes.indexOf('\r\n', 0); cr !== -1; cr = bytes.indexOf('\r\n', cr + 2)) {
    parts.push(bytes.subarray(from, cr));
    size += cr - from;
    from = cr + 1;
  }
  if (from === 0) return bytes;
  parts.push(bytes.subarray(from));
  size += bytes.length - from;
  return Buffer.concat(parts, size);
}
