// Finds the obviously catastrophic shape of a regular expression: a repetition nested directly in another.

/** One parsed item of a pattern: a character, class, group or zero-width assertion, with its quantifier. */
interface Item {
  readonly kind: 'char' | 'group' | 'assert';
  /** A group's alternatives (each a sequence of items); empty for the others. */
  readonly alts: readonly (readonly Item[])[];
  min: number;
  max: number;
  readonly start: number;
  end: number;
}

/**
 * The part of a JavaScript regular expression (valid, no flags) that repeats without bound a group one
 * of whose alternatives is made only of repetitions, e.g. `(a+)+`, `(\w+\s?)*`, `(?:x*y*)+`: on a line
 * that almost matches, a backtracking engine tries every way of sharing the characters between the two
 * levels (exponential time). Null when there is none. Overlapping alternatives such as `(a|aa)+` are not
 * caught here: that is left to the matcher's time bound.
 */
export function nestedRepetition(pattern: string): string | null {
  let found: Item | null = null;
  const visit = (items: readonly Item[]): void => {
    for (const item of items) {
      if (found) return;
      if (item.kind === 'group' && item.max === Infinity && item.alts.some(onlyRepetitions)) found = item;
      else for (const alt of item.alts) visit(alt);
    }
  };
  try {
    for (const alt of new Parser(pattern).parse()) visit(alt);
  } catch {
    return null;
  }
  const hit = found as Item | null;
  return hit ? pattern.slice(hit.start, hit.end) : null;
}

/** An item that repeats without bound, or a group that holds such an alternative. */
function unbounded(item: Item): boolean {
  return item.max === Infinity || (item.kind === 'group' && item.alts.some(onlyRepetitions));
}

/** An item whose length varies: quantified with a range, or a group that holds an alternative of only such items. */
function loose(item: Item): boolean {
  return item.min !== item.max || (item.kind === 'group' && item.alts.some(onlyRepetitions));
}

/** An alternative made only of items of varying length (assertions aside), at least one repeating without bound. */
function onlyRepetitions(alt: readonly Item[]): boolean {
  const items = alt.filter((i) => i.kind !== 'assert');
  return items.length > 0 && items.every(loose) && items.some(unbounded);
}

/** A small recursive-descent reader of JavaScript regular expression syntax (enough to see structure). */
class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parse(): Item[][] {
    const alts = this.alternatives();
    if (this.pos < this.src.length) throw new SyntaxError('unbalanced )');
    return alts;
  }

  private alternatives(): Item[][] {
    const alts: Item[][] = [[]];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (c === ')') break;
      if (c === '|') {
        this.pos++;
        alts.push([]);
        continue;
      }
      const item = this.atom();
      this.quantifier(item);
      alts[alts.length - 1]!.push(item);
    }
    return alts;
  }

  private atom(): Item {
    const start = this.pos;
    const c = this.src[this.pos++]!;
    const simple = (kind: Item['kind']): Item => ({ kind, alts: [], min: 1, max: 1, start, end: this.pos });
    if (c === '^' || c === '$') return simple('assert');
    if (c === '\\') {
      const e = this.src[this.pos++] ?? '';
      if (e === 'b' || e === 'B') return simple('assert');
      if (e === 'x') this.skip(/^[0-9a-fA-F]{2}/);
      else if (e === 'u') this.skip(/^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]+\})/);
      else if (e === 'c') this.skip(/^[A-Za-z]/);
      else if (e === 'k') this.skip(/^<[^>]*>/);
      else if (e === 'p' || e === 'P') this.skip(/^\{[^}]*\}/);
      else if (/[1-9]/.test(e)) this.skip(/^\d*/);
      return simple('char');
    }
    if (c === '[') {
      if (this.src[this.pos] === '^') this.pos++;
      while (this.pos < this.src.length && this.src[this.pos] !== ']') this.pos += this.src[this.pos] === '\\' ? 2 : 1;
      this.pos++;
      return simple('char');
    }
    if (c === '(') {
      let kind: Item['kind'] = 'group';
      const head = /^\?(?:<[=!]|[=!:]|<[^>]*>)/.exec(this.src.slice(this.pos, this.pos + 200));
      if (head) {
        if (/^\?<?[=!]/.test(head[0])) kind = 'assert';
        this.pos += head[0].length;
      }
      const alts = this.alternatives();
      if (this.src[this.pos] !== ')') throw new SyntaxError('unterminated group');
      this.pos++;
      return { kind, alts, min: 1, max: 1, start, end: this.pos };
    }
    return simple('char');
  }

  /** Reads a quantifier after item, if any, into its min and max. */
  private quantifier(item: Item): void {
    const c = this.src[this.pos];
    let range: [number, number] | null = null;
    if (c === '*') range = [0, Infinity];
    else if (c === '+') range = [1, Infinity];
    else if (c === '?') range = [0, 1];
    if (range) this.pos++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 40));
      if (!m) return;
      const min = Number(m[1]);
      range = [min, m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])];
      this.pos += m[0].length;
    } else return;
    if (this.src[this.pos] === '?') this.pos++;
    item.min = range[0];
    item.max = range[1];
    item.end = this.pos;
  }

  private skip(re: RegExp): void {
    const m = re.exec(this.src.slice(this.pos, this.pos + 40));
    if (m) this.pos += m[0].length;
  }
}
