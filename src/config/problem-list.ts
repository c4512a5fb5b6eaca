// Collects problems with their positions, so that every problem in the file is reported at once.
import type { ConfigProblem } from './errors.js';
import { quote } from './quote.js';
import type { Path } from './schema-dsl.js';
import type { Position, YamlSource } from './yaml-source.js';

const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** `services.web.ports[0]`: the dotted key path of a problem; a key that is not a plain word is quoted (`env["A B"]`). */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (!PLAIN_SEGMENT.test(seg)) out += `[${quote(seg)}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** Every prefix of a path as formatPath writes it, the path itself included. */
function prefixes(path: Path): string[] {
  const out: string[] = [];
  for (let i = 1; i <= path.length; i++) out.push(formatPath(path.slice(0, i)));
  return out;
}

/** A growing list of problems in one config file. */
export class ProblemList {
  readonly items: ConfigProblem[] = [];
  /** Paths (and their prefixes) that have a problem, for hasUnder. */
  private readonly under = new Set<string>();
  constructor(private readonly source: YamlSource) {}

  /** Adds a problem at a position (or at the node/key the path names when no position is given). */
  add(path: Path, message: string, where?: Position | { readonly key: true }): void {
    const pos = where && 'line' in where ? where : this.source.locate(path, { key: where !== undefined });
    this.items.push({ file: this.source.file, line: pos.line, col: pos.col, path: formatPath(path), message });
    for (const p of prefixes(path)) this.under.add(p);
  }

  /** Adds a problem at the first character of a yaml node. */
  addAtNode(path: Path, message: string, node: unknown): void {
    this.add(path, message, this.source.at(node));
  }

  /** Adds a problem that is not in this file (an env file line, a command-line name). */
  addRaw(problem: ConfigProblem): void {
    this.items.push(problem);
  }

  /** Position of the value (or key) at a path. */
  locate(path: Path, key = false): Position {
    return this.source.locate(path, { key });
  }

  /** The 1-based line of a yaml node. */
  lineOf(node: unknown): number {
    return this.source.at(node).line;
  }

  /** True when a problem was reported at `path` or inside it. */
  hasUnder(path: Path): boolean {
    return this.under.has(formatPath(path));
  }

  /** True when nothing was reported. */
  get empty(): boolean {
    return this.items.length === 0;
  }

  /** The problems in file order (line, then column), duplicates removed. */
  sorted(): ConfigProblem[] {
    const seen = new Set<string>();
    const unique = this.items.filter((p) => {
      const k = `${p.file}:${p.line}:${p.col}:${p.path}:${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const rank = (p: ConfigProblem): number => (p.file === this.source.file ? 0 : 1);
    return unique.sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
  }
}
