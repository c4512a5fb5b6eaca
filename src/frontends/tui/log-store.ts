// The lines the TUI's log pane can show: a bounded ring per service and one of everything interleaved
// (the log files keep every line; the screen keeps only the last few thousand of each).
import { RingBuffer } from '../../core/ring-buffer.js';

/** How many lines each service (and the interleaved view) keeps for the screen. */
const LINES_PER_SERVICE = 5000;

/** One line of the pane: who wrote it and what. */
export interface PaneLine {
  /** The service, or `msdev` for msdev's own lines. */
  readonly source: string;
  readonly text: string;
}

/** The bounded lines of every service, and of all of them interleaved in arrival order. */
export class LogStore {
  private readonly rings = new Map<string, RingBuffer<PaneLine>>();
  private readonly all: RingBuffer<PaneLine>;
  /** How many lines were ever added, per service and (under '') in all. */
  private readonly counts = new Map<string, number>();

  constructor(private readonly capacity: number = LINES_PER_SERVICE) {
    this.all = new RingBuffer<PaneLine>(capacity);
  }

  /** Adds lines of one source (to its own ring unless `msdev`, and to the interleaved one). */
  add(source: string, lines: readonly string[], alsoUnder?: string): void {
    const owner = alsoUnder ?? source;
    let ring = this.rings.get(owner);
    if (ring === undefined) {
      ring = new RingBuffer<PaneLine>(this.capacity);
      this.rings.set(owner, ring);
    }
    this.counts.set(owner, (this.counts.get(owner) ?? 0) + lines.length);
    this.counts.set('', (this.counts.get('') ?? 0) + lines.length);
    const from = Math.max(0, lines.length - this.capacity);
    for (let i = from; i < lines.length; i++) {
      const line: PaneLine = { source, text: lines[i]! };
      ring.push(line);
      this.all.push(line);
    }
  }

  /** The last n lines of one service, or of all interleaved when service is null; oldest first. */
  last(service: string | null, n: number): PaneLine[] {
    if (service === null) return this.all.last(n);
    return this.rings.get(service)?.last(n) ?? [];
  }

  /** How many lines one service (or all, for null) holds now. */
  size(service: string | null): number {
    return service === null ? this.all.size : (this.rings.get(service)?.size ?? 0);
  }

  /** How many lines were ever added for one service (or all, for null): grows by one a line, clear or not. */
  added(service: string | null): number {
    return this.counts.get(service ?? '') ?? 0;
  }

  /** Forgets every line. */
  clear(): void {
    this.all.clear();
    for (const ring of this.rings.values()) ring.clear();
  }
}
