// A tiny YAML writer for generated documents: a tree whose leaves are YAML source text, written in
// block or flow style with a chosen indent, so the generator controls every character.
import type { Rng } from './prng.js';

/** A generated YAML node: raw scalar source, a sequence, or a mapping of raw key source to node. */
export type YNode = string | { readonly seq: readonly YNode[] } | { readonly map: readonly (readonly [string, YNode])[] };

/** A mapping node. */
export const ymap = (entries: readonly (readonly [string, YNode])[]): YNode => ({ map: entries });
/** A sequence node. */
export const yseq = (items: readonly YNode[]): YNode => ({ seq: items });

/** How to write: indent width and how often nested collections switch to flow style. */
export interface EmitStyle {
  readonly indent: number;
  readonly flow: number;
}

/** A random writing style. */
export function randomStyle(rng: Rng): EmitStyle {
  return { indent: rng.weighted([[6, 2], [2, 4], [1, 1], [1, 3]]), flow: rng.pick([0, 0, 0.2, 0.5, 1]) };
}

/** Flow-style text of a node (`{a: 1, b: [x]}`). */
export function flow(node: YNode): string {
  if (typeof node === 'string') return node;
  if ('seq' in node) return `[${node.seq.map(flow).join(', ')}]`;
  return `{${node.map.map(([k, v]) => `${k}: ${flow(v)}`).join(', ')}}`;
}

/** The document text of a top-level mapping, in block style with some collections in flow style. */
export function emitDocument(root: YNode, style: EmitStyle, rng: Rng): string {
  const out: string[] = [];
  const pad = (depth: number): string => ' '.repeat(depth * style.indent);
  const write = (node: YNode, depth: number): void => {
    if (typeof node === 'string') return void out.push(`${pad(depth)}${node}`);
    if ('seq' in node) {
      for (const item of node.seq) {
        if (typeof item === 'string' || rng.chance(style.flow) || isEmpty(item)) out.push(`${pad(depth)}- ${flow(item)}`);
        else {
          out.push(`${pad(depth)}-`);
          write(item, depth + 1);
        }
      }
      return;
    }
    for (const [k, v] of node.map) {
      if (typeof v === 'string' || isEmpty(v) || (depth > 0 && rng.chance(style.flow))) out.push(`${pad(depth)}${k}: ${flow(v)}`);
      else {
        out.push(`${pad(depth)}${k}:`);
        write(v, depth + 1);
      }
    }
  };
  write(root, 0);
  return `${out.join('\n')}\n`;
}

function isEmpty(node: YNode): boolean {
  return typeof node !== 'string' && ('seq' in node ? node.seq.length === 0 : node.map.length === 0);
}
