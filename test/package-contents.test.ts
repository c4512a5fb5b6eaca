// What ships: dist/ holds the built sources only, no tests, fakes or fixtures (package.json "files": bin, dist, schema).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

describe('package contents', () => {
  it('dist/ has no test code, fakes or fixtures', () => {
    const dist = join(ROOT, 'dist');
    const files = readdirSync(dist, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(dist, join(e.parentPath, e.name)));
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => /\.test\.|(^|\/)fake-|fixtures|test-specs|helpers\//.test(f))).toEqual([]);
  });
});
