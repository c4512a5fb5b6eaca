// Counts the numbered lines of fixtures/spew.mjs that arrived intact in output files.
import { createReadStream, existsSync } from 'node:fs';

const MARK = 'spew:';

/**
 * Reads files (in order) and finds every `spew:ID:SEQ:xxx…` record, wherever it sits in a line (after a
 * prefix such as `[0] ` or `api | `). A record is intact when its 8-digit sequence number is followed by
 * the full padding of a lineBytes-long line; a line cut by another writer's text is counted as mangled.
 *
 * Returns, over all ids 0..ids-1, each expecting sequence numbers 1..perId:
 * { expected, intact, lost, mangled, duplicates, perId: [{ id, distinct, min, max, gaps }] }
 * where `gaps` counts missing numbers between the lowest and highest seen (loss inside what was kept,
 * which is what matters for a rotated log file that keeps only its newest lines).
 */
export async function countSpew(files, { ids = 1, perId, lineBytes = 100 }) {
  const seen = Array.from({ length: ids }, () => new Uint8Array(perId + 1));
  const stats = Array.from({ length: ids }, (_, id) => ({ id, distinct: 0, min: Infinity, max: -Infinity }));
  let intact = 0;
  let mangled = 0;
  let duplicates = 0;
  const pad = ':' + 'x'.repeat(lineBytes); // long enough; each record's own pad length is checked below

  const onLine = (line) => {
    let at = line.indexOf(MARK);
    while (at !== -1) {
      const idEnd = line.indexOf(':', at + MARK.length);
      const id = idEnd === -1 ? NaN : Number(line.slice(at + MARK.length, idEnd));
      const seqText = idEnd === -1 ? '' : line.slice(idEnd + 1, idEnd + 9);
      const seq = /^\d{8}$/.test(seqText) ? Number(seqText) : NaN;
      const padLen = lineBytes - (idEnd + 9 - at) - 1; // text after the sequence number, without "\n"
      const ok =
        Number.isInteger(id) && id >= 0 && id < ids && seq >= 1 && seq <= perId && line.startsWith(pad.slice(0, padLen), idEnd + 9);
      if (ok) {
        intact++;
        if (seen[id][seq]) duplicates++;
        else {
          seen[id][seq] = 1;
          const s = stats[id];
          s.distinct++;
          if (seq < s.min) s.min = seq;
          if (seq > s.max) s.max = seq;
        }
      } else {
        mangled++;
      }
      at = line.indexOf(MARK, at + MARK.length);
    }
  };

  for (const file of files) {
    if (!existsSync(file)) continue;
    await new Promise((resolve, reject) => {
      let rest = '';
      const stream = createReadStream(file, { encoding: 'latin1', highWaterMark: 4 * 1024 * 1024 });
      stream.on('data', (chunk) => {
        const text = rest + chunk;
        let start = 0;
        for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
          onLine(text.slice(start, nl));
          start = nl + 1;
        }
        rest = text.slice(start);
      });
      stream.on('end', () => {
        if (rest.length > 0) onLine(rest);
        resolve();
      });
      stream.on('error', reject);
    });
  }

  const expected = ids * perId;
  const distinct = stats.reduce((a, s) => a + s.distinct, 0);
  return {
    expected,
    intact,
    distinct,
    lost: expected - distinct,
    mangled,
    duplicates,
    perId: stats.map((s) => ({ ...s, gaps: s.distinct === 0 ? 0 : s.max - s.min + 1 - s.distinct })),
  };
}
