import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALWAYS_IGNORED, createWatchRules, readMsdevignore } from './watch-rules.js';

const ROOT = '/proj';
const at = (rel: string): string => join(ROOT, rel);

function rules(o: { paths?: string[]; ignore?: string[]; msdevignore?: string | null } = {}) {
  return createWatchRules({ root: ROOT, paths: o.paths ?? [ROOT], ignore: o.ignore ?? [], msdevignore: o.msdevignore ?? null });
}

describe('ALWAYS_IGNORED', () => {
  it('ignores the always-ignored names at any depth, as files and as folders', () => {
    const r = rules();
    const cases: [string, boolean][] = [
      ['.git', true],
      ['node_modules', true],
      ['dist', true],
      ['.msdev', true],
      ['__pycache__', true],
      ['a/b/node_modules', true],
      ['svc/.git', true],
      ['py/pkg/__pycache__', true],
    ];
    for (const [rel, isDir] of cases) expect(r.ignored(at(rel), isDir), rel).toBe(true);
    for (const rel of ['node_modules/x/index.js', 'a/node_modules/y.js', '.git/HEAD', 'dist/app.js', '.msdev/logs/api.log']) {
      expect(r.ignored(at(rel), false), rel).toBe(true);
      expect(r.matches(at(rel)), rel).toBe(false);
    }
  });

  it('ignores editors temp and swap files', () => {
    const r = rules();
    for (const rel of [
      'src/.app.js.swp',
      'src/.app.js.swo',
      'src/.app.js.swx',
      'app.js.swp',
      'src/app.js~',
      'src/4913',
      'src/.#app.js',
      'src/#app.js#',
      'src/app.js___jb_tmp___',
      'src/app.js___jb_old___',
      'src/.subl1a2.tmp',
      'src/.goutputstream-AB12CD',
      'src/.app.js.kate-swp',
      'src/.DS_Store',
    ]) {
      expect(r.ignored(at(rel), false), rel).toBe(true);
    }
  });

  it('does not ignore ordinary source files', () => {
    const r = rules();
    for (const rel of ['app.js', 'src/app.js', 'src/dist.js', 'src/4913.js', 'src/node_modules.md', '.env', 'src/.eslintrc.js', 'README']) {
      expect(r.ignored(at(rel), false), rel).toBe(false);
      expect(r.matches(at(rel)), rel).toBe(true);
    }
    expect(r.ignored(at('src'), true)).toBe(false);
  });

  it('lists each pattern once', () => {
    expect(new Set(ALWAYS_IGNORED).size).toBe(ALWAYS_IGNORED.length);
  });
});

describe('.msdevignore', () => {
  const text = '# comment\n*.log\n!keep.log\nbuild/\n/tmp\ncache/**\n';

  it('applies gitignore patterns, negation included', () => {
    const r = rules({ msdevignore: text });
    expect(r.ignored(at('x.log'), false)).toBe(true);
    expect(r.ignored(at('src/deep/y.log'), false)).toBe(true);
    expect(r.ignored(at('keep.log'), false)).toBe(false);
    expect(r.ignored(at('src/keep.log'), false)).toBe(false);
    expect(r.matches(at('keep.log'))).toBe(true);
    expect(r.matches(at('x.log'))).toBe(false);
  });

  it('a folder-only pattern ignores the folder and everything in it, not a file of that name', () => {
    const r = rules({ msdevignore: text });
    expect(r.ignored(at('build'), true)).toBe(true);
    expect(r.ignored(at('src/build'), true)).toBe(true);
    expect(r.ignored(at('build/out.js'), false)).toBe(true);
    expect(r.ignored(at('build'), false)).toBe(false);
  });

  it('an anchored pattern applies at the config folder only', () => {
    const r = rules({ msdevignore: text });
    expect(r.ignored(at('tmp'), true)).toBe(true);
    expect(r.ignored(at('tmp/a.js'), false)).toBe(true);
    expect(r.ignored(at('src/tmp'), true)).toBe(false);
    expect(r.matches(at('src/tmp/a.js'))).toBe(true);
  });

  it('still applies after many paths (the rule caches are renewed to bound memory)', () => {
    const r = rules({ msdevignore: text });
    for (let i = 0; i < 60_000; i++) r.ignored(at(`gen/f${i}.js`), false);
    expect(r.ignored(at('x.log'), false)).toBe(true);
    expect(r.ignored(at('keep.log'), false)).toBe(false);
    expect(r.ignored(at('node_modules'), true)).toBe(true);
  });

  it('is case-sensitive on Linux, like git there', () => {
    if (process.platform !== 'linux') return;
    const r = rules({ msdevignore: 'Secret.txt\n' });
    expect(r.ignored(at('Secret.txt'), false)).toBe(true);
    expect(r.ignored(at('secret.txt'), false)).toBe(false);
  });
});

describe('service ignore globs', () => {
  it('ignores matching files at any depth, relative to the config folder', () => {
    const r = rules({ paths: [at('src')], ignore: ['**/*.test.ts', 'src/generated/', '*.snap'] });
    expect(r.matches(at('src/app.ts'))).toBe(true);
    expect(r.matches(at('src/app.test.ts'))).toBe(false);
    expect(r.matches(at('src/a/b/app.test.ts'))).toBe(false);
    expect(r.matches(at('src/__snapshots__/x.snap'))).toBe(false);
    expect(r.ignored(at('src/generated'), true)).toBe(true);
    expect(r.matches(at('src/generated/api.ts'))).toBe(false);
  });

  it('sit on top of .msdevignore, whose negations cannot undo them', () => {
    const r = rules({ msdevignore: '*.log\n!keep.log\n', ignore: ['keep.log'] });
    expect(r.matches(at('keep.log'))).toBe(false);
  });

  it('blank entries are harmless', () => {
    const r = rules({ ignore: ['', '  '] });
    expect(r.matches(at('app.js'))).toBe(true);
  });
});

describe('paths', () => {
  it('a folder: everything inside it, nothing outside', () => {
    const r = rules({ paths: [at('src')] });
    expect(r.roots).toEqual([at('src')]);
    expect(r.matches(at('src'), true)).toBe(true);
    expect(r.matches(at('src/a/b.js'))).toBe(true);
    expect(r.matches(at('srcx/b.js'))).toBe(false);
    expect(r.matches(at('lib/b.js'))).toBe(false);
  });

  it('a single file: that file only', () => {
    const r = rules({ paths: [at('package.json')] });
    expect(r.roots).toEqual([at('package.json')]);
    expect(r.matches(at('package.json'))).toBe(true);
    expect(r.matches(at('package-lock.json'))).toBe(false);
    expect(r.matches(at('package.json.bak'))).toBe(false);
  });

  it('a glob: its static base is the root, the pattern filters', () => {
    const r = rules({ paths: [at('src/**/*.js'), at('*.json')] });
    expect(r.roots).toEqual([at('src'), ROOT]);
    expect(r.matches(at('src/app.js'))).toBe(true);
    expect(r.matches(at('src/a/b/c.js'))).toBe(true);
    expect(r.matches(at('src/.hidden.js'))).toBe(true);
    expect(r.matches(at('src/app.ts'))).toBe(false);
    expect(r.matches(at('lib/app.js'))).toBe(false);
    expect(r.matches(at('package.json'))).toBe(true);
    expect(r.matches(at('src/x.json'))).toBe(false);
    // Glob matches are still subject to the ignores.
    expect(r.matches(at('src/node_modules/x.js'))).toBe(false);
  });

  it('glob characters in the config folder name itself are literal', () => {
    const root = '/home/me/proj[1]';
    const r = createWatchRules({ root, paths: [join(root, 'src/*.js'), join(root, 'lib')], ignore: [], msdevignore: null });
    expect(r.roots).toEqual([join(root, 'src'), join(root, 'lib')]);
    expect(r.matches(join(root, 'src/a.js'))).toBe(true);
    expect(r.matches(join(root, 'lib/b.ts'))).toBe(true);
  });

  it('a path outside the config folder works, ignores matched from its own root', () => {
    const shared = '/shared';
    const r = rules({ paths: [at('src'), shared], msdevignore: '*.log\n/generated/\n', ignore: ['**/*.test.js'] });
    expect(r.roots).toEqual([at('src'), shared]);
    expect(r.matches('/shared/util.js')).toBe(true);
    expect(r.matches('/shared/lib/util.js')).toBe(true);
    expect(r.matches('/shared/node_modules/x/index.js')).toBe(false);
    expect(r.ignored('/shared/node_modules', true)).toBe(true);
    expect(r.matches('/shared/debug.log')).toBe(false);
    expect(r.matches('/shared/util.test.js')).toBe(false);
    expect(r.ignored('/shared/generated', true)).toBe(true);
    expect(r.matches('/other/x.js')).toBe(false);
    // Never throws, whatever the path.
    expect(() => r.ignored('/', true)).not.toThrow();
    expect(() => r.ignored('/elsewhere/deep/file', false)).not.toThrow();
    expect(() => r.matches('/')).not.toThrow();
  });

  it('a folder named in paths is watched even if its name is always ignored; what is below it still obeys the rules', () => {
    const r = rules({ paths: [at('dist')] });
    expect(r.ignored(at('dist'), true)).toBe(false);
    expect(r.matches(at('dist/app.js'))).toBe(true);
    expect(r.ignored(at('dist/node_modules'), true)).toBe(true);
    expect(r.matches(at('dist/app.js.swp'))).toBe(false);
  });

  it('reports an ignored folder as ignored, so the watcher does not descend into it', () => {
    const r = rules({ msdevignore: 'fixtures/\n', ignore: ['coverage'] });
    for (const rel of ['node_modules', 'a/node_modules', '.git', 'fixtures', 'coverage', 'pkg/coverage']) {
      expect(r.ignored(at(rel), true), rel).toBe(true);
    }
    // Roots and the folders on the way to them are never ignored.
    const deep = rules({ paths: [at('node_modules/my-linked-lib/src')] });
    expect(deep.ignored(at('node_modules'), true)).toBe(false);
    expect(deep.ignored(at('node_modules/my-linked-lib'), true)).toBe(false);
    expect(deep.matches(at('node_modules/my-linked-lib/src/a.js'))).toBe(true);
    expect(deep.ignored(at('node_modules/other'), true)).toBe(true);
  });
});

describe('readMsdevignore', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('reads the file, or gives null when there is none', () => {
    dir = mkdtempSync(join(tmpdir(), 'msdev-watch-rules-'));
    expect(readMsdevignore(dir)).toBeNull();
    writeFileSync(join(dir, '.msdevignore'), '*.log\n');
    expect(readMsdevignore(dir)).toBe('*.log\n');
  });

  it('names the file when it cannot be read', () => {
    dir = mkdtempSync(join(tmpdir(), 'msdev-watch-rules-'));
    mkdirSync(join(dir, '.msdevignore'));
    expect(() => readMsdevignore(dir!)).toThrow(`${join(dir, '.msdevignore')}: cannot read it: `);
    if (process.getuid?.() === 0) return;
    rmSync(join(dir, '.msdevignore'), { recursive: true });
    writeFileSync(join(dir, '.msdevignore'), 'x\n');
    chmodSync(join(dir, '.msdevignore'), 0o000);
    expect(() => readMsdevignore(dir!)).toThrow(/\.msdevignore: cannot read it: permission denied \(EACCES\)/);
  });
});
