// Path containment on plain strings: the watch rules run for every entry chokidar scans, and
// path.relative (two resolves each) was a third of their time.
import { resolve, sep } from 'node:path';

/** A path with `//`, `/./`, `/../` or a trailing separator in it, which the string tests below cannot take. */
const ODD = /\/\.{0,2}(?:\/|$)/;

/** p as an absolute, normalized path (resolved only when it is not one already). */
export function normalized(p: string): string {
  return sep === '/' && p.startsWith('/') && (p === '/' || !ODD.test(p)) ? p : resolve(p);
}

/** The path of p relative to dir when p is dir ('') or inside it; null when outside. Both normalized. */
export function below(dir: string, p: string): string | null {
  if (p === dir) return '';
  if (dir === sep) return p.startsWith(sep) ? p.slice(1) : null;
  return p.length > dir.length && p[dir.length] === sep && p.startsWith(dir) ? p.slice(dir.length + 1) : null;
}
