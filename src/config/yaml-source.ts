// The parsed file: the yaml Document with node positions, its syntax problems, and a way to find
// the line and column of any key path (used for problems found after validation).
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { ConfigProblem } from './errors.js';
import { formatPath } from './problem-list.js';
import { shorten } from './quote.js';
import type { Path } from './schema-dsl.js';
import { entryOf, resolveAlias } from './yaml-merge.js';
import { checkStructure, MAX_DEPTH } from './yaml-structure.js';

export { entries, resolveAlias, type Entry } from './yaml-merge.js';

/** 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** The parsed file and position lookups. */
export interface YamlSource {
  /** The file as shown to the user. */
  readonly file: string;
  readonly doc: Document;
  /** YAML syntax and structure problems; when there are any the document is not validated further. */
  readonly problems: readonly ConfigProblem[];
  /** Position of a node (its first character). */
  at(node: unknown): Position;
  /** Position of the value at a key path (or of its key with `key: true`); the nearest existing ancestor when absent. */
  locate(path: Path, options?: { readonly key?: boolean }): Position;
  /** The node at a key path, or undefined. */
  nodeAt(path: Path): unknown;
}

/** At most this many YAML syntax errors are listed (then one line says how many more). */
const MAX_SYNTAX_ERRORS = 20;

/** Parses the text of a config file, keeping positions. Duplicate keys are left for the validator. */
export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  let doc: Document;
  let thrown: string | undefined;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
  } catch (err) {
    // The parser itself gave up (it recurses on nesting): no document, one problem at the top.
    doc = new Document(null);
    thrown = err instanceof RangeError ? tooDeepToParse : `the YAML parser failed: ${shorten(String(err))}`;
  }
  const source = sourceOf(doc, lineCounter, file);
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const problems: ConfigProblem[] = thrown ? [{ file, line: 1, col: 1, path: '', message: thrown }] : syntaxProblems(doc, file, pos);
  if (problems.length === 0) {
    for (const p of checkStructure(doc)) problems.push({ file, ...source.at(p.node), path: shortPath(p.path), message: p.message });
  }
  return { ...source, problems };
}

/**
 * A source over a document whose nodes carry ranges into a text the line counter has counted: a parsed
 * YAML file, or a document built from another format (a Procfile) with each node's range set to where
 * it came from, so problems found in it point into that file.
 */
export function sourceOf(doc: Document, lineCounter: LineCounter, file: string): YamlSource {
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const at = (node: unknown): Position => {
    // A pair (an item of !!omap or a flow `[a: 1]`) has no range of its own: use its key's or value's.
    const n = isPair(node) ? (node.key ?? node.value) : node;
    const range = (n as { range?: [number, number, number] } | null)?.range;
    return range ? pos(range[0]) : { line: 1, col: 1 };
  };
  const walk = (path: Path): { node: unknown; keyNode?: unknown; depth: number } => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (let i = 0; i < path.length; i++) {
      node = resolveAlias(doc, node);
      const seg = path[i]!;
      let next: unknown;
      let nextKey: unknown;
      if (isMap(node)) {
        const e = entryOf(doc, node, String(seg));
        if (e) {
          next = e.value;
          nextKey = e.keyNode;
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (next === undefined) return { node: nextKey ?? node, keyNode, depth: i };
      node = next;
      keyNode = nextKey;
    }
    return { node, keyNode, depth: path.length };
  };
  return {
    file,
    doc,
    problems: [],
    at,
    locate(path, options = {}) {
      const { node, keyNode, depth } = walk(path);
      if (depth === path.length && (options.key || isEmptyScalar(node)) && keyNode) return at(keyNode);
      return at(node ?? keyNode);
    },
    nodeAt(path) {
      const r = walk(path);
      return r.depth === path.length ? resolveAlias(doc, r.node) : undefined;
    },
  };
}

/** True for a `key:` with nothing after it. */
export function isEmptyScalar(node: unknown): boolean {
  return node === null || (isScalar(node) && node.value === null && (node.source ?? '') === '');
}

const tooDeepToParse = `nesting too deep to parse; more than ${MAX_DEPTH} levels are refused`;

function syntaxProblems(doc: Document, file: string, pos: (offset: number) => Position): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  let deep = false;
  for (const e of doc.errors) {
    const exhausted = e.code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(e.message);
    if (exhausted && deep) continue;
    deep ||= exhausted;
    const p = pos(e.pos[0]);
    if (out.length === MAX_SYNTAX_ERRORS) {
      out.push({ file, line: p.line, col: p.col, path: '', message: `YAML syntax: and ${doc.errors.length - MAX_SYNTAX_ERRORS} more errors from here on` });
      break;
    }
    const message = exhausted ? tooDeepToParse : `YAML syntax: ${shorten(e.message.replace(/\s+/g, ' ').trim(), 300)}`;
    out.push({ file, line: p.line, col: p.col, path: '', message });
  }
  return out;
}

/** A key path for a problem; a very deep one is cut after a few keys. */
function shortPath(path: Path): string {
  return path.length > 8 ? `${formatPath(path.slice(0, 8))}…` : formatPath(path);
}
