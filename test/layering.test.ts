// The import graph goes one way (cli → frontends → engine → health, runtimes, watch → process, config → core):
// every relative import of a file under src/ is checked against what its folder may import.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** What each top-level folder of src/ may import, besides itself; `.` is the files at the top (index.ts, create-engine.ts). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  config: ['core'],
  process: ['core'],
  output: ['core'],
  runtimes: ['config', 'process', 'core'],
  health: ['config', 'process', 'core'],
  watch: ['config', 'core'],
  engine: ['config', 'runtimes', 'health', 'watch', 'core'],
  frontends: ['engine', 'output', 'config', 'core'],
  '.': ['engine', 'runtimes', 'watch', 'config', 'core'],
  cli: ['.', 'frontends', 'engine', 'runtimes', 'health', 'watch', 'process', 'output', 'config', 'core'],
};

/** Every .ts file under dir, tests included (a unit test may import anything its own folder may). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** The top-level folder of a path under src/ (`.` for a file at the top). */
function layerOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? '.' : parts[0]!;
}

/** The relative imports (static and dynamic) of a source text. */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm)) found.push(m[1]!);
  return found;
}

/** The imports of src/ that break the layering, as `file → target`. */
function violations(): string[] {
  const out: string[] = [];
  for (const file of sources(SRC)) {
    const from = layerOf(file);
    const allowed = ALLOWED[from];
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + sep)) continue;
      const to = layerOf(target);
      if (to === from) continue;
      if (!allowed?.includes(to)) out.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
    }
  }
  return out;
}

describe('layering', () => {
  it('every folder of src/ is in the table', () => {
    const layers = new Set(sources(SRC).map(layerOf));
    expect([...layers].filter((l) => !(l in ALLOWED))).toEqual([]);
  });

  it('imports go one way only', () => {
    expect(violations()).toEqual([]);
  });

  it('finds static, type-only and dynamic imports', () => {
    const text = `import type { A } from '../engine/a.js';\nimport '../x/side.js';\nconst m = await import('../frontends/tui.js');\nexport { b } from './b.js';`;
    expect(importsOf(text)).toEqual(['../engine/a.js', '../x/side.js', '../frontends/tui.js', './b.js']);
  });

  it('the rules forbid what the issue names', () => {
    expect(ALLOWED.engine).not.toContain('frontends');
    expect(ALLOWED.engine).not.toContain('output');
    expect(ALLOWED.runtimes).not.toContain('engine');
    expect(ALLOWED.health).not.toContain('engine');
  });
});
