// A tiny schema language: one description of services.yaml from which the validator
// (validate-tree.ts), the TypeScript types (Infer) and the JSON Schema (json-schema.ts) all come.

/** A key path inside the file, e.g. ['services', 'api', 'ports', 0]. */
export type Path = readonly (string | number)[];

/** A string value that may still hold `${port}` / `${services.…}` references and `$$` escapes; resolved per service in normalize. */
export interface Late {
  readonly late: string;
  /** Where the string sits in the file, for problems found when resolving it. */
  readonly path: Path;
}

interface Meta {
  /** Shown in editors (JSON Schema `description`) and in docs/services-yaml.md; a default goes in a last sentence `Default: ….`. */
  readonly description?: string;
  /** A value shown as the key's example in docs/services-yaml.md; never used when validating. */
  readonly example?: unknown;
}

/** A string. `late` strings keep service references for normalize; others are fully resolved while validating. */
export interface StrNode<L extends boolean = boolean> extends Meta {
  readonly kind: 'str';
  readonly late: L;
  /** Regex (JSON Schema `pattern`) the final text must match; checked only when `check` is absent. */
  readonly pattern?: string;
  /** Extra check on the final text: a problem message, or null when fine. */
  readonly check?: (text: string) => string | null;
  /** How to describe the accepted values in a problem ("a port mapping like "8080:80""). */
  readonly what?: string;
}

/** An integer within [min, max]. */
export interface IntNode extends Meta {
  readonly kind: 'int';
  readonly min?: number;
  readonly max?: number;
}

/** One of a few literal values. */
export interface EnumNode<V extends string | boolean = string | boolean> extends Meta {
  readonly kind: 'enum';
  readonly values: readonly V[];
  /** Replaces the generated list of values in problems. */
  readonly what?: string;
}

/** A duration (`250ms`, `2s`, `1m30s`, or a number of seconds), yielding milliseconds. */
export interface DurationNode extends Meta {
  readonly kind: 'duration';
}

/** A string, number or boolean, yielding its text (numbers keep their source spelling). */
export interface ScalarNode extends Meta {
  readonly kind: 'scalar';
}

/** An explicit empty value (`key:` with nothing, or `~`). */
export interface NullNode extends Meta {
  readonly kind: 'null';
}

/** A list of items. */
export interface ListNode<I extends SchemaNode = SchemaNode> extends Meta {
  readonly kind: 'list';
  readonly items: I;
}

/** A mapping with free keys, each value of one schema. */
export interface MapNode<V extends SchemaNode = SchemaNode> extends Meta {
  readonly kind: 'map';
  readonly values: V;
  /** Regex every key must match, and how to explain it. */
  readonly keyPattern?: string;
  readonly keyRule?: string;
}

/** A mapping with known keys; any other key is a problem (with a did-you-mean). */
export interface ObjNode<P extends Record<string, SchemaNode> = Record<string, SchemaNode>> extends Meta {
  readonly kind: 'obj';
  readonly props: P;
  readonly required?: readonly string[];
  /** Exactly one of these keys must be present. */
  readonly exactlyOne?: readonly string[];
  /** Keys starting with `x-` are allowed and ignored (compose-style extension fields). */
  readonly extensions?: boolean;
}

/** The first branch that accepts the value wins. */
export interface UnionNode<B extends readonly SchemaNode[] = readonly SchemaNode[]> extends Meta {
  readonly kind: 'union';
  readonly anyOf: B;
  /** Replaces the generated "A or B" in problems. */
  readonly what?: string;
}

/** Any schema node. */
export type SchemaNode =
  | StrNode
  | IntNode
  | EnumNode
  | DurationNode
  | ScalarNode
  | NullNode
  | ListNode
  | MapNode
  | ObjNode
  | UnionNode;

/** The value type a schema node validates to. */
export type Infer<S> = S extends StrNode<infer L>
  ? L extends true
    ? Late
    : string
  : S extends IntNode
    ? number
    : S extends EnumNode<infer V>
      ? V
      : S extends DurationNode
        ? number
        : S extends ScalarNode
          ? Late
          : S extends NullNode
            ? null
            : S extends ListNode<infer I>
              ? Infer<I>[]
              : S extends MapNode<infer V>
                ? Record<string, Infer<V>>
                : S extends ObjNode<infer P>
                  ? { [K in keyof P]?: Infer<P[K]> }
                  : S extends UnionNode<infer B>
                    ? Infer<B[number]>
                    : never;

type StrOptions = Omit<StrNode, 'kind' | 'late'>;

/** A fully-resolved string (no service references allowed). */
export function str(options: StrOptions = {}): StrNode<false> {
  return { kind: 'str', late: false, ...options };
}

/** A string resolved per service later: may use `${port}` and `${services.NAME.…}`. */
export function lateStr(options: StrOptions = {}): StrNode<true> {
  return { kind: 'str', late: true, ...options };
}

/** An integer, optionally bounded. */
export function int(options: Omit<IntNode, 'kind'> = {}): IntNode {
  return { kind: 'int', ...options };
}

/** One of the given literals. */
export function oneOf<const V extends string | boolean>(values: readonly V[], options: Meta & { readonly what?: string } = {}): EnumNode<V> {
  return { kind: 'enum', values, ...options };
}

/** A duration in milliseconds. */
export function duration(options: Meta = {}): DurationNode {
  return { kind: 'duration', ...options };
}

/** A string, number or boolean taken as text (a late string: may use service references). */
export function scalar(options: Meta = {}): ScalarNode {
  return { kind: 'scalar', ...options };
}

/** An explicit empty value. */
export function nul(options: Meta = {}): NullNode {
  return { kind: 'null', ...options };
}

/** A list. */
export function list<I extends SchemaNode>(items: I, options: Meta = {}): ListNode<I> {
  return { kind: 'list', items, ...options };
}

/** A mapping with free keys. */
export function map<V extends SchemaNode>(values: V, options: Omit<MapNode, 'kind' | 'values'> = {}): MapNode<V> {
  return { kind: 'map', values, ...options };
}

/** A mapping with known keys. */
export function obj<P extends Record<string, SchemaNode>>(props: P, options: Omit<ObjNode, 'kind' | 'props'> = {}): ObjNode<P> {
  return { kind: 'obj', props, ...options };
}

/** Any of the given schemas, tried in order. */
export function union<const B extends readonly SchemaNode[]>(anyOf: B, options: Omit<UnionNode, 'kind' | 'anyOf'> = {}): UnionNode<B> {
  return { kind: 'union', anyOf, ...options };
}

/** Words for what a node accepts, used in "expected X, got Y". */
export function describe(node: SchemaNode): string {
  switch (node.kind) {
    case 'str':
      return node.what ?? 'a string';
    case 'int':
      if (node.min !== undefined && node.max !== undefined) return `an integer from ${node.min} to ${node.max}`;
      if (node.min !== undefined) return node.min === 0 ? 'a whole number (0 or more)' : `an integer of at least ${node.min}`;
      return 'an integer';
    case 'enum': {
      if (node.what) return node.what;
      const shown = node.values.filter((v): v is Extract<typeof v, string> => typeof v === 'string').map((v) => `"${v}"`);
      // Only booleans (keep, restart_dependents): "true or false". Otherwise the words; a boolean among them is an alias.
      if (shown.length === 0) return node.values.map(String).join(' or ');
      return shown.length === 1 ? shown[0]! : `one of ${shown.join(', ')}`;
    }
    case 'duration':
      return 'a duration (250ms, 2s, 1m, 1m30s, 1h, or a number of seconds)';
    case 'scalar':
      return 'a string, number or boolean';
    case 'null':
      return 'nothing';
    case 'list':
      return 'a list';
    case 'map':
    case 'obj':
      return 'a mapping';
    case 'union':
      return node.what ?? node.anyOf.map(describe).join(' or ');
  }
}
