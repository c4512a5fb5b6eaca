// Building msdev's nodes from compose's: each placed at the range of the compose node it comes from.
import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import { mapAt, scalarAt, seqAt, set } from '../node-build.js';
import type { CNode, Loc } from './tree.js';

/** A scalar at where `from` was written. */
export function sc(value: unknown, from: CNode | Loc): Node {
  return scalarAt(value, rangeOfC(from));
}

/** An empty mapping at where `from` was written. */
export function mapOut(from: CNode | Loc): YAMLMap {
  return mapAt(rangeOfC(from));
}

/** An empty sequence at where `from` was written. */
export function seqOut(from: CNode | Loc): YAMLSeq {
  return seqAt(rangeOfC(from));
}

/** Adds `key: value`, the key at where `keyFrom` was written. */
export function put(map: YAMLMap, key: string, value: Node, keyFrom: CNode | Loc): void {
  set(map, key, value, rangeOfC(keyFrom));
}

function rangeOfC(from: CNode | Loc): [number, number, number] {
  return 'kind' in from ? from.at.range : from.range;
}
