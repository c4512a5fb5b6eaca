// "did you mean …?" suggestions for misspelt keys, service names and values.
import { quote } from './quote.js';

/** Edit distance between two strings (insert, delete, substitute, and swap of neighbours). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** Words longer than this get no edit-distance suggestion (only an exact or prefix match): the distance costs length². */
const MAX_COMPARED = 64;

/** Work left for suggestions (edit-distance cells and candidates looked at); shared across many lookups to bound them. */
export interface SuggestBudget {
  left: number;
}

/** The closest candidate within edit distance 2 (1 for words of up to 3 letters; case-insensitive) or sharing a prefix, else undefined. */
export function closest(word: string, candidates: Iterable<string>, budget: SuggestBudget = { left: Infinity }): string | undefined {
  const w = word.toLowerCase();
  const limit = w.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (budget.left <= 0) break;
    budget.left--;
    const l = c.toLowerCase();
    if (l === w) return c;
    let d = Infinity;
    if (Math.abs(l.length - w.length) <= limit && w.length <= MAX_COMPARED && l.length <= MAX_COMPARED) {
      budget.left -= w.length * l.length;
      d = editDistance(w, l);
    }
    const prefix = w.length >= 2 && (l.startsWith(w) || w.startsWith(l));
    const score = d <= limit ? d : prefix ? 3 : Infinity;
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>, budget?: SuggestBudget): string {
  const c = closest(word, candidates, budget);
  return c === undefined ? '' : ` (did you mean ${quote(c)}?)`;
}

/** didYouMean over fixed candidates for many words: answers are remembered, and all of them together do bounded work. */
export function suggester(candidates: Iterable<string>, work = 20_000_000): (word: string) => string {
  const list = [...candidates];
  const memo = new Map<string, string>();
  const budget: SuggestBudget = { left: work };
  return (word) => {
    let hint = memo.get(word);
    if (hint === undefined) memo.set(word, (hint = didYouMean(word, list, budget)));
    return hint;
  };
}
