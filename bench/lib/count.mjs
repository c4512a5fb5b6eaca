// Counts the numbered lines of fixtures/spew.mjs that arrived intact, in files or in chunks fed as they come.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

const MARK = Buffer.from('spew:');
const COLON = 58;
const NL = 10;

/**
 * Finds every `spew:ID:SEQ:xxx…` record in bytes fed in order (push), wherever it sits in a line (after
 * a prefix such as `[0] ` or `api | `, or inside a JSON string). A record is intact when its 8-digit
 * sequence number is followed by the full padding of a lineBytes-long line; a line cut by another
 * writer's text is counted as mangled. Works on Buffers (no string per line), so 100 MB take well
 * under a second.
 */
export class SpewCounter {
  constructor({ ids = 1, perId, lineBytes = 100 }) {
    this.ids = ids;
    this.perId = perId;
    this.lineBytes = lineBytes;
    this.seen = Array.from({ length: ids }, () => new Uint8Array(perId + 1));
    this.stats = Array.from({ length: ids }, (_, id) => ({ id, distinct: 0, min: Infinity, max: -Infinity, last: 0, reordered: 0 }));
    this.intact = 0;
    this.mangled = 0;
    this.duplicates = 0;
    this.pad = Buffer.from(':' + 'x'.repeat(lineBytes));
    this.rest = null;
  }

  /** Feeds the next bytes (a Buffer); records split across pushes are joined. */
  push(chunk) {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const lastNl = buf.lastIndexOf(NL);
    if (lastNl === -1) {
      this.rest = Buffer.from(buf);
      return;
    }
    this.records(buf, lastNl + 1);
    this.rest = lastNl + 1 < buf.length ? Buffer.from(buf.subarray(lastNl + 1)) : null;
  }

  /** Checks every record starting in buf[0, end). */
  records(buf, end) {
    let at = buf.indexOf(MARK, 0);
    while (at !== -1 && at < end) {
      this.record(buf, at, end);
      at = buf.indexOf(MARK, at + MARK.length);
    }
  }

  /** Checks the record starting at `at`. */
  record(buf, at, end) {
    let p = at + MARK.length;
    let id = 0;
    const idStart = p;
    while (p < end && buf[p] >= 48 && buf[p] <= 57 && p - idStart < 6) id = id * 10 + (buf[p++] - 48);
    let seq = 0;
    let ok = p > idStart && buf[p] === COLON && id < this.ids;
    if (ok) {
      p++;
      for (let i = 0; i < 8; i++, p++) {
        const c = buf[p];
        if (!(c >= 48 && c <= 57)) {
          ok = false;
          break;
        }
        seq = seq * 10 + (c - 48);
      }
    }
    if (ok) {
      const padLen = this.lineBytes - (p - at) - 1; // text after the sequence number, without "\n"
      ok = seq >= 1 && seq <= this.perId && p + padLen <= end && buf.compare(this.pad, 0, padLen, p, p + padLen) === 0;
    }
    if (!ok) {
      this.mangled++;
      return;
    }
    this.intact++;
    const s = this.stats[id];
    if (seq <= s.last) s.reordered++;
    s.last = seq;
    if (this.seen[id][seq]) {
      this.duplicates++;
      return;
    }
    this.seen[id][seq] = 1;
    s.distinct++;
    if (seq < s.min) s.min = seq;
    if (seq > s.max) s.max = seq;
  }

  /**
   * The counts over all ids 0..ids-1, each expecting sequence numbers 1..perId:
   * { expected, intact, distinct, lost, mangled, duplicates, reordered, perId: [{ id, distinct, min, max, gaps, reordered }] }
   * where `gaps` counts missing numbers between the lowest and highest seen (loss inside what was kept,
   * which is what matters for a rotated log file that keeps only its newest lines), `reordered` the
   * records whose number was not above the one before it of the same id.
   */
  result() {
    if (this.rest) {
      const tail = this.rest;
      this.rest = null;
      this.records(tail, tail.length);
    }
    const expected = this.ids * this.perId;
    const distinct = this.stats.reduce((a, s) => a + s.distinct, 0);
    return {
      expected,
      intact: this.intact,
      distinct,
      lost: expected - distinct,
      mangled: this.mangled,
      duplicates: this.duplicates,
      reordered: this.stats.reduce((a, s) => a + s.reordered, 0),
      perId: this.stats.map((stat) => {
        const s = { ...stat };
        delete s.last;
        return { ...s, gaps: s.distinct === 0 ? 0 : s.max - s.min + 1 - s.distinct };
      }),
    };
  }
}

/** Feeds a file to a counter, in 4 MiB reads (a missing file feeds nothing). */
export function feedFile(counter, file) {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      counter.push(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads files (in order) through one SpewCounter and returns its result (see SpewCounter.result). */
export async function countSpew(files, options) {
  const counter = new SpewCounter(options);
  for (const file of files) feedFile(counter, file);
  return counter.result();
}
