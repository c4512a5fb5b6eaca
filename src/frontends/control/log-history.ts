// The last lines of each service, kept by the control server for `msdev logs -n N` and `up --attach`.
import type { LogEvent, LogStream } from '../../core/events.js';
import { countNewlines } from '../../core/newlines.js';

/** Lines kept per service. */
export const HISTORY_LINES = 1000;
/** Characters kept per service, whatever the line count (a service of 1 MiB lines must not hold 1 GiB). */
export const HISTORY_CHARS = 1024 * 1024;

/** A batch of lines as kept: in arrival order across services (`seq`). */
export interface HistoryBatch {
  readonly seq: number;
  readonly ts: number;
  readonly service: string;
  readonly stream: LogStream;
  readonly text: string;
  /** How many lines text holds. */
  readonly count: number;
}

/** The batches of one service, oldest first, with their totals. */
interface ServiceHistory {
  /** null before `head`: a dropped batch is let go at once, its slot reclaimed at the next compaction. */
  batches: (HistoryBatch | null)[];
  /** Index of the oldest batch still kept (the array is compacted now and then, not shifted per batch). */
  head: number;
  lines: number;
  chars: number;
}


/** The last lines of every service, bounded by line count and size; batches are kept whole, not split per line. */
export class LogHistory {
  private readonly services = new Map<string, ServiceHistory>();
  private seq = 0;

  constructor(
    private readonly maxLines: number = HISTORY_LINES,
    private readonly maxChars: number = HISTORY_CHARS,
  ) {}

  /** Keeps a log batch, dropping the oldest batches of its service beyond the bounds. */
  add(event: LogEvent): void {
    let h = this.services.get(event.service);
    if (h === undefined) {
      h = { batches: [], head: 0, lines: 0, chars: 0 };
      this.services.set(event.service, h);
    }
    const count = countNewlines(event.text) + 1;
    h.batches.push({ seq: this.seq++, ts: event.ts, service: event.service, stream: event.stream, text: event.text, count });
    h.lines += count;
    h.chars += event.text.length;
    // The newest batch stays even when it alone is over the bounds: reading trims it.
    while (h.batches.length - h.head > 1 && (h.lines - h.batches[h.head]!.count >= this.maxLines || h.chars > this.maxChars)) {
      const old = h.batches[h.head]!;
      h.lines -= old.count;
      h.chars -= old.text.length;
      // Its text goes now: up to 1,024 dropped batches of 64 KiB would otherwise wait for the compaction.
      h.batches[h.head] = null;
      h.head++;
    }
    if (h.head > 1024 && h.head * 2 > h.batches.length) {
      h.batches = h.batches.slice(h.head);
      h.head = 0;
    }
  }

  /**
   * The last `n` lines of each of `services` (null: every service), as batches in arrival order across
   * services; a batch cut by `n` keeps only its last lines.
   */
  last(n: number, services: readonly string[] | null): HistoryBatch[] {
    const out: HistoryBatch[] = [];
    if (n <= 0) return out;
    const names = services ?? [...this.services.keys()];
    for (const name of names) {
      const h = this.services.get(name);
      if (h === undefined) continue;
      let taken = 0;
      const mine: HistoryBatch[] = [];
      for (let i = h.batches.length - 1; i >= h.head && taken < n; i--) {
        const b = h.batches[i]!;
        const want = n - taken;
        mine.push(b.count <= want ? b : trimTo(b, want));
        taken += Math.min(b.count, want);
      }
      for (let i = mine.length - 1; i >= 0; i--) out.push(mine[i]!);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }
}

/** The batch with only its last `want` lines. */
function trimTo(b: HistoryBatch, want: number): HistoryBatch {
  let cut = b.text.length;
  for (let k = 0; k < want; k++) cut = b.text.lastIndexOf('\n', cut - 1);
  return { ...b, text: b.text.slice(cut + 1), count: want };
}
