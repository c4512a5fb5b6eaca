// Where the log pane looks: following the newest line, or scrolled back by some lines; and the search
// that moves it from match to match. Pure: lines in, offsets out.
import type { PaneLine } from './log-store.js';

/** The scroll position of the pane: how many lines above the newest the bottom row shows (0: follow). */
export class PaneScroll {
  private back = 0;

  /** Lines between the newest one and the one on the bottom row. */
  get offset(): number {
    return this.back;
  }

  /** Following: the newest line is on the bottom row and new lines scroll in. */
  get following(): boolean {
    return this.back === 0;
  }

  /** n new lines arrived in the shown view: a scrolled pane keeps showing the same lines. */
  added(n: number, total: number): void {
    if (this.back > 0) this.back = Math.min(this.back + n, Math.max(0, total - 1));
  }

  /** Scrolls by n lines (positive: older) within `total` lines; back at the bottom, it follows again. */
  scroll(n: number, total: number): void {
    this.back = Math.max(0, Math.min(this.back + n, Math.max(0, total - 1)));
  }

  /** To the oldest line (Home) or back to following (End). */
  jump(to: 'oldest' | 'newest', total: number): void {
    this.back = to === 'newest' ? 0 : Math.max(0, total - 1);
  }

  /** Puts the line `offset` lines above the newest on the bottom row. */
  set(offset: number): void {
    this.back = Math.max(0, offset);
  }
}

/**
 * The offset that puts the next line matching `re` on the bottom row, searching `older` (up) or newer
 * (down) from the line now at `offset`; null when there is none. `lines` are oldest first.
 */
export function findMatch(lines: readonly PaneLine[], re: RegExp, offset: number, direction: 'older' | 'newer'): number | null {
  const bottom = lines.length - 1 - offset;
  const step = direction === 'older' ? -1 : 1;
  for (let i = bottom + step; i >= 0 && i < lines.length; i += step) {
    if (re.test(stripSgr(lines[i]!.text))) return lines.length - 1 - i;
  }
  return null;
}

const SGR = /\x1b\[[0-9;]*m/g;

/** The text without SGR colour codes. */
export function stripSgr(text: string): string {
  return text.replace(SGR, '');
}

/** A search pattern as a RegExp (case-insensitive unless it has a capital), or an error message. */
export function parseSearch(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern, /[A-Z]/.test(pattern) ? '' : 'i');
  } catch (err) {
    return err instanceof Error ? err.message : 'bad pattern';
  }
}
