// Walks yaml nodes against a schema (schema-dsl.ts), producing plain values and positioned problems.
import { isAlias, isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import { closest, didYouMean } from './did-you-mean.js';
import { DURATION_FORMS, MAX_DURATION_MS, MAX_DURATION_TEXT, parseDuration } from './duration.js';
import { expand, type Expansion } from './interpolate.js';
import type { ProblemList } from './problem-list.js';
import { quote } from './quote.js';
import { describe, type Infer, type Path, type SchemaNode } from './schema-dsl.js';
import { entries, isEmptyScalar, resolveAlias } from './yaml-source.js';

/** What the walker needs besides the schema. */
export interface WalkContext {
  readonly doc: Document;
  readonly problems: ProblemList;
  /** First interpolation pass (environment variables) of a string value at a path. */
  readonly interpolate: (text: string, path: Path) => Expansion;
}

type Category = 'string' | 'number' | 'boolean' | 'null' | 'map' | 'seq' | 'other';

interface ScalarView {
  readonly category: Category;
  readonly value: unknown;
  /** Source spelling of a plain scalar (keeps `1.10` as written). */
  readonly source: string;
  /** Pass-1 text of a string (escapes and service references still in). */
  readonly text: string;
  /** The string held a `${`. */
  readonly interpolated: boolean;
  /** Interpolation failed (already reported). */
  readonly failed: boolean;
}

interface Pending {
  readonly path: Path;
  readonly message: string;
  readonly node: unknown;
}

const SERVICE_REF_HERE =
  'cannot be used here: ${port} and ${services.…} work in command, entrypoint, image, build, cwd, env, volumes, healthcheck and watch values';

/** Validates `node` against `schema`; returns the value, or undefined when it is invalid (problems are in ctx.problems). */
export function validateTree<S extends SchemaNode>(schema: S, node: unknown, path: Path, ctx: WalkContext): Infer<S> | undefined {
  const walker = new Walker(ctx);
  const v = walker.check(schema, node, path, null);
  for (const p of walker.pending) ctx.problems.addAtNode(p.path, p.message, p.node);
  return v as Infer<S> | undefined;
}

class Walker {
  pending: Pending[] = [];
  private readonly scalars = new Map<object, ScalarView>();
  constructor(private readonly ctx: WalkContext) {}

  private report(path: Path, message: string, node: unknown): undefined {
    this.pending.push({ path, message, node });
    return undefined;
  }

  /** Where to point for a value: the key when the value is empty. */
  private spot(node: unknown, keyNode: unknown): unknown {
    return isEmptyScalar(node) && keyNode ? keyNode : node;
  }

  private view(node: unknown, path: Path): ScalarView {
    if (!isScalar(node)) {
      const category: Category = node === null || node === undefined ? 'null' : isMap(node) ? 'map' : isSeq(node) ? 'seq' : 'other';
      return { category, value: undefined, source: '', text: '', interpolated: false, failed: false };
    }
    const cached = this.scalars.get(node);
    if (cached) return cached;
    const value = node.value;
    const source = typeof node.source === 'string' && node.type === 'PLAIN' ? node.source : String(value);
    let v: ScalarView;
    if (typeof value === 'string' && value.includes('\0')) {
      this.ctx.problems.addAtNode(path, NUL_HERE, node);
      v = { category: 'string', value, source, text: value, interpolated: false, failed: true };
    } else if (typeof value === 'string') {
      const e = value.includes('$') ? this.ctx.interpolate(value, path) : { text: value, errors: [] };
      for (const m of e.errors) this.ctx.problems.addAtNode(path, m, node);
      v = { category: 'string', value, source, text: e.text, interpolated: value.includes('${'), failed: e.errors.length > 0 };
    } else {
      const category: Category = value === null ? 'null' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'other';
      v = { category, value, source, text: source, interpolated: false, failed: false };
    }
    this.scalars.set(node, v);
    return v;
  }

  /** The final text of a string: escapes undone, service references refused. */
  private final(v: ScalarView, path: Path, node: unknown): string | undefined {
    if (!v.text.includes('$')) return v.text;
    const e = expand(v.text, (name) => ({ error: `\${${name}} ${SERVICE_REF_HERE}` }), false);
    if (e.errors.length) {
      for (const m of e.errors) this.report(path, m, node);
      return undefined;
    }
    return e.text;
  }

  private typeError(schema: SchemaNode, v: ScalarView, path: Path, node: unknown): undefined {
    return this.report(path, `expected ${describe(schema)}, got ${show(v)}`, node);
  }

  check(schema: SchemaNode, raw: unknown, path: Path, keyNode: unknown): unknown {
    const node = resolveAlias(this.ctx.doc, raw);
    const v = this.view(node, path);
    if (v.failed) return undefined;
    // A problem with an aliased value points at the alias (where it is used), not at the anchor.
    const at = isAlias(raw) ? raw : this.spot(node, keyNode);
    switch (schema.kind) {
      case 'str': {
        if (v.category !== 'string') return this.typeError(schema, v, path, at);
        if (schema.late) return { late: v.text, path };
        const text = this.final(v, path, at);
        if (text === undefined) return undefined;
        const problem = schema.check ? schema.check(text) : schema.pattern && !patternOf(schema.pattern).test(text) ? `expected ${describe(schema)}, got ${show(v)}` : null;
        return problem ? this.report(path, problem, at) : text;
      }
      case 'int': {
        let n: number | undefined;
        if (v.category === 'number') n = v.value as number;
        else if (v.category === 'string' && v.interpolated) {
          const text = this.final(v, path, at);
          if (text === undefined) return undefined;
          if (/^\s*-?\d+\s*$/.test(text)) n = Number(text);
          else return this.report(path, `expected ${describe(schema)}, got ${quote(text)} (from ${quote(String(v.value))})`, at);
        }
        if (n === undefined || !Number.isInteger(n)) return this.typeError(schema, v, path, at);
        const got = v.category === 'number' ? v.source : quote(String(n));
        if (!Number.isSafeInteger(n)) return this.report(path, `expected ${describe(schema)}, got ${shortNumber(got)}, which is too large`, at);
        if ((schema.min !== undefined && n < schema.min) || (schema.max !== undefined && n > schema.max)) {
          return this.report(path, `expected ${describe(schema)}, got ${shortNumber(got)}`, at);
        }
        return n;
      }
      case 'enum': {
        let value: unknown = v.value;
        if (v.category === 'string') {
          value = this.final(v, path, at);
          if (value === undefined) return undefined;
        }
        if ((schema.values as readonly unknown[]).includes(value)) return value;
        const words = schema.values.filter((x): x is string => typeof x === 'string');
        const hint = typeof value === 'string' ? didYouMean(value, words) : '';
        const got = v.interpolated ? `${quote(String(value))} (from ${quote(String(v.value))})` : show(v);
        return this.report(path, `expected ${describe(schema)}, got ${got}${hint}`, at);
      }
      case 'duration': {
        let input: string | number;
        if (v.category === 'number') input = v.value as number;
        else if (v.category === 'string') {
          const text = this.final(v, path, at);
          if (text === undefined) return undefined;
          input = text;
        } else return this.typeError(schema, v, path, at);
        const ms = parseDuration(input);
        const shown = typeof input === 'string' ? quote(input) : shortNumber(v.source);
        if (ms === null) return this.report(path, `${shown} is not a duration: use ${DURATION_FORMS}`, at);
        if (ms > MAX_DURATION_MS) return this.report(path, `${shown} is too long: a duration can be at most ${MAX_DURATION_TEXT}`, at);
        return ms;
      }
      case 'scalar':
        if (v.category === 'string') return { late: v.text, path };
        if (v.category === 'number' || v.category === 'boolean') return { late: v.source, path };
        return this.typeError(schema, v, path, at);
      case 'null':
        return v.category === 'null' ? null : this.typeError(schema, v, path, at);
      case 'list': {
        if (!isSeq(node)) return this.typeError(schema, v, path, at);
        // One bad item drops the whole list, so that indexes in later problems stay right.
        const out: unknown[] = [];
        let bad = false;
        node.items.forEach((item, i) => {
          const x = this.check(schema.items, item, [...path, i], null);
          if (x === undefined) bad = true;
          out.push(x);
        });
        return bad ? undefined : out;
      }
      case 'map':
      case 'obj':
        return isMap(node) ? this.mapping(schema, node, path) : this.typeError(schema, v, path, at);
      case 'union':
        return this.union(schema, raw, v, path, keyNode, at);
    }
  }

  private union(schema: Extract<SchemaNode, { kind: 'union' }>, raw: unknown, v: ScalarView, path: Path, keyNode: unknown, at: unknown): unknown {
    const saved = this.pending;
    const tries: Pending[][] = [];
    for (const branch of schema.anyOf) {
      this.pending = [];
      const value = this.check(branch, raw, path, keyNode);
      const got = this.pending;
      this.pending = saved;
      if (got.length === 0 && value !== undefined) return value;
      tries.push(got);
    }
    // A service reference where none may be is the same problem for every branch: say that.
    const refs = tries.find((t) => t.length > 0 && t.every((p) => p.message.includes(SERVICE_REF_HERE)));
    if (refs) {
      this.pending.push(...refs);
      return undefined;
    }
    const accepting = schema.anyOf.map((b, i) => [b, i] as const).filter(([b]) => accepts(b, v));
    const structured = v.category === 'map' || v.category === 'seq';
    if (accepting.length === 1 && (structured || !schema.what)) {
      this.pending.push(...tries[accepting[0]![1]]!);
      return undefined;
    }
    return this.typeError(schema, v, path, at);
  }

  private mapping(schema: Extract<SchemaNode, { kind: 'map' | 'obj' }>, node: YAMLMap, path: Path): unknown {
    // No prototype: keys such as "__proto__" or "constructor" are plain keys here.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const firstAt = new Map<string, unknown>();
    const known = schema.kind === 'obj' ? Object.keys(schema.props) : [];
    let exact: string | undefined;
    for (const e of entries(this.ctx.doc, node)) {
      if (!isScalar(e.keyNode) || e.keyNode.value === null || typeof e.keyNode.value === 'object') {
        this.report(path, 'keys must be plain strings', e.keyNode);
        continue;
      }
      const prev = firstAt.get(e.key);
      if (prev !== undefined) {
        this.report(path, `duplicate key ${quote(e.key)} (first at line ${lineOf(this.ctx, prev)})`, e.keyNode);
        continue;
      }
      firstAt.set(e.key, e.keyNode);
      if (e.key.includes('\0')) {
        this.report(path, `the key ${quote(e.key)} ${NUL_HERE}`, e.keyNode);
        continue;
      }
      if (schema.kind === 'map') {
        if (schema.keyPattern && !patternOf(schema.keyPattern).test(e.key)) {
          this.report(path, `${quote(e.key)} is not a valid name: ${schema.keyRule ?? `it must match ${schema.keyPattern}`}`, e.keyNode);
          continue;
        }
        const x = this.check(schema.values, e.value, [...path, e.key], e.keyNode);
        if (x !== undefined) out[e.key] = x;
        continue;
      }
      const prop = Object.hasOwn(schema.props, e.key) ? schema.props[e.key] : undefined;
      if (!prop) {
        if (schema.extensions && e.key.startsWith('x-')) continue;
        const hint = closest(e.key, known);
        const list = hint === undefined && known.length <= 6 ? ` (allowed: ${known.join(', ')})` : '';
        this.report(path, `unknown key ${quote(e.key)}${hint === undefined ? list : ` (did you mean "${hint}"?)`}`, e.keyNode);
        continue;
      }
      if (schema.exactlyOne?.includes(e.key)) {
        if (exact !== undefined) this.report(path, `"${exact}" and "${e.key}" both given: use only one of ${schema.exactlyOne.join(', ')}`, e.keyNode);
        else exact = e.key;
      }
      const x = this.check(prop, e.value, [...path, e.key], e.keyNode);
      if (x !== undefined) out[e.key] = x;
    }
    if (schema.kind === 'obj') {
      for (const r of schema.required ?? []) if (!firstAt.has(r)) this.report(path, `missing required key "${r}"`, node);
      if (schema.exactlyOne && exact === undefined) this.report(path, `needs one of ${schema.exactlyOne.join(', ')}`, node);
    }
    return out;
  }
}

const NUL_HERE = 'contains a NUL character (\\0), which no command, path or environment variable can hold; remove it';

const patterns = new Map<string, RegExp>();

/** A compiled schema pattern (compiled once, not per value). */
function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(source)));
  return re;
}

/** A number as written, cut when very long (99999999999999999999999…). */
function shortNumber(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function lineOf(ctx: WalkContext, node: unknown): number {
  return ctx.problems.lineOf(node);
}

function accepts(schema: SchemaNode, v: ScalarView): boolean {
  switch (schema.kind) {
    case 'str':
      return v.category === 'string';
    case 'int':
      return v.category === 'number' || (v.category === 'string' && v.interpolated);
    case 'enum':
      return schema.values.some((x) => typeof x === v.category);
    case 'duration':
      return v.category === 'number' || v.category === 'string';
    case 'scalar':
      return v.category === 'string' || v.category === 'number' || v.category === 'boolean';
    case 'null':
      return v.category === 'null';
    case 'list':
      return v.category === 'seq';
    case 'map':
    case 'obj':
      return v.category === 'map';
    case 'union':
      return schema.anyOf.some((b) => accepts(b, v));
  }
}

function show(v: ScalarView): string {
  switch (v.category) {
    case 'string':
      return quote(String(v.value));
    case 'number':
    case 'boolean':
      return shortNumber(v.source);
    case 'null':
      return 'nothing';
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    default:
      return 'something else';
  }
}
