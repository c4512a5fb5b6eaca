// The name column of plain output: long service names are cut so one name cannot widen every line.

/** The widest the name column of plain output gets, in characters. */
export const NAME_COLUMN_MAX = 24;

const ELLIPSIS = '…';

/** A name cut to at most max characters by an ellipsis in the middle (head and tail kept: `payments-ser…eu-primary`). */
export function shortName(name: string, max: number = NAME_COLUMN_MAX): string {
  if (name.length <= max) return name;
  const tail = Math.floor((max - 1) / 2);
  return name.slice(0, max - 1 - tail) + ELLIPSIS + name.slice(name.length - tail);
}

/**
 * The column label of each name: the name itself when it fits, else cut in the middle; names whose
 * cut forms would be the same get another cut point (or, failing that, a `~N` tail) so that every
 * label is different.
 */
export function shortNames(names: readonly string[], max: number = NAME_COLUMN_MAX): Map<string, string> {
  const labels = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) if (name.length <= max) used.add(name);
  for (const name of names) {
    if (labels.has(name)) continue;
    const label = name.length <= max ? name : uniqueCut(name, max, used);
    labels.set(name, label);
    used.add(label);
  }
  return labels;
}

/** The first cut of name not in used: the middle cut, then the cut point moved toward the end, then `~N`. */
function uniqueCut(name: string, max: number, used: ReadonlySet<string>): string {
  const first = shortName(name, max);
  if (!used.has(first)) return first;
  for (let tail = Math.floor((max - 1) / 2) + 1; tail <= max - 2; tail++) {
    const cut = name.slice(0, max - 1 - tail) + ELLIPSIS + name.slice(name.length - tail);
    if (!used.has(cut)) return cut;
  }
  for (let n = 2; ; n++) {
    const suffix = `~${n}`;
    const cut = name.slice(0, max - 1 - suffix.length) + ELLIPSIS + suffix;
    if (!used.has(cut)) return cut;
  }
}
