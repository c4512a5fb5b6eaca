// The process-compose file with its override merged in, as process-compose merges them, each node still
// knowing which file it came from: problems point into that file, and msdev's document gets ranges only
// from the main file (the one its line counter counts).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isNode, isScalar, isSeq, Pair, visit, YAMLMap, YAMLSeq } from 'yaml';
import type { ConfigProblem } from '../../errors.js';
import { entries, parseYaml, resolveAlias, type Entry, type YamlSource } from '../../yaml-source.js';
import { rangeOf, type Range } from '../node-build.js';

/** The merged file and where each of its nodes came from. */
export interface PcView {
  /** The merged top-level mapping (or whatever the main file holds at the top). */
  readonly root: unknown;
  /** The override file as shown, when one was merged. */
  readonly overrideFile: string | null;
  /** Follows an alias in whichever file it is. */
  resolve(node: unknown): unknown;
  /** The keys of a mapping of either file (merge keys applied). */
  entries(map: YAMLMap): Entry[];
  /** A problem at a node, in the file the node came from. */
  problem(node: unknown, path: string, message: string): ConfigProblem;
  /** The node's range when it is the main file's, else `fallback`. */
  range(node: unknown, fallback: Range): Range;
}

/** The override file process-compose reads beside `process-compose.yaml|yml`, if any. */
export function overridePath(path: string): string | null {
  const m = /^process-compose\.ya?ml$/i.exec(basename(path));
  if (!m) return null;
  for (const name of ['process-compose.override.yml', 'process-compose.override.yaml']) {
    const p = join(dirname(path), name);
    if (existsSync(p)) return p;
  }
  return null;
}

/** Reads the override beside the file (if any) and merges it in; its syntax problems are returned instead. */
export function buildView(main: YamlSource, path: string): { view: PcView; problems: readonly ConfigProblem[] } {
  const ovPath = overridePath(path);
  const ovShown = ovPath ? join(dirname(main.file), basename(ovPath)) : null;
  const over = ovPath && ovShown ? parseYaml(readFileSync(ovPath, 'utf8'), ovShown) : null;
  if (over && over.problems.length > 0) return { view: plainView(main, null, new Set()), problems: over.problems };
  const owned = new Set<unknown>();
  if (over) {
    visit(over.doc, (_key, node) => {
      if (isNode(node)) owned.add(node);
    });
  }
  const view = plainView(main, over, owned);
  if (!over || over.doc.contents === null) return { view, problems: [] };
  const merged = mergeNode(view, main.doc.contents, over.doc.contents, '');
  return { view: { ...view, root: merged }, problems: [] };
}

function plainView(main: YamlSource, over: YamlSource | null, owned: ReadonlySet<unknown>): PcView {
  const sourceOf = (node: unknown): YamlSource => (over && owned.has(node) ? over : main);
  return {
    root: main.doc.contents,
    overrideFile: over?.file ?? null,
    resolve: (node) => resolveAlias(sourceOf(node).doc, node),
    entries: (map) => entries(sourceOf(map).doc, map),
    problem(node, path, message) {
      const s = sourceOf(node);
      return { file: s.file, ...s.at(node), path, message };
    },
    range: (node, fallback) => (owned.has(node) ? fallback : (rangeOf(node) ?? fallback)),
  };
}

/** process-compose (mergo, WithOverride): an empty value in the override leaves the base's. */
function isZero(node: unknown): boolean {
  return isScalar(node) && (node.value === null || node.value === false || node.value === 0 || node.value === '');
}

/** The name of a `K=V` entry of an environment list. */
function envName(view: PcView, item: unknown): string | null {
  const v = view.resolve(item);
  return isScalar(v) && typeof v.value === 'string' ? v.value.split('=')[0]! : null;
}

/** Mappings merge key by key; `environment` lists by variable name; other lists are appended; scalars replaced. */
function mergeNode(view: PcView, base: unknown, over: unknown, key: string): unknown {
  const b = view.resolve(base);
  const o = view.resolve(over);
  if (o === undefined || o === null || isZero(o)) return base;
  if (isMap(b) && isMap(o)) {
    const m = new YAMLMap();
    if (b.range) m.range = b.range;
    const index = new Map<string, Pair>();
    for (const e of view.entries(b)) {
      const p = new Pair(e.keyNode, e.value);
      m.items.push(p);
      index.set(e.key, p);
    }
    for (const e of view.entries(o)) {
      const p = index.get(e.key);
      if (p) p.value = mergeNode(view, p.value, e.value, e.key);
      else {
        const np = new Pair(e.keyNode, e.value);
        m.items.push(np);
        index.set(e.key, np);
      }
    }
    return m;
  }
  if (isSeq(b) && isSeq(o)) {
    const s = new YAMLSeq();
    if (b.range) s.range = b.range;
    if (key !== 'environment') {
      s.items = [...b.items, ...o.items];
      return s;
    }
    const names = new Map<string, number>();
    for (const item of b.items) {
      const n = envName(view, item);
      if (n !== null) names.set(n, s.items.length);
      s.items.push(item);
    }
    for (const item of o.items) {
      const n = envName(view, item);
      const at = n === null ? undefined : names.get(n);
      if (at === undefined) s.items.push(item);
      else s.items[at] = item;
    }
    return s;
  }
  return over;
}
