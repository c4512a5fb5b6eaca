import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFilter, listContext } from './build-context.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp context holding these files (a value of null makes an empty folder). */
function context(files: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), 'msdev-ctx-'));
  dirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    if (content === null) {
      mkdirSync(join(dir, rel), { recursive: true });
    } else {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
  }
  return dir;
}

async function listed(files: Record<string, string | null>, dockerfile = 'Dockerfile'): Promise<string[]> {
  return (await listContext(context(files), dockerfile)).map((e) => (e.kind === 'dir' ? `${e.rel}/` : e.rel));
}

describe('contextFilter (Docker rules)', () => {
  it.each([
    ['node_modules', 'node_modules/a/b.js', true],
    ['node_modules', 'src/node_modules/x', false],
    ['*.log', 'a.log', true],
    ['*.log', 'sub/a.log', false],
    ['**/*.log', 'sub/deep/a.log', true],
    ['*.log\n!keep.log', 'keep.log', false],
    ['/build/', 'build/out', true],
    ['# a comment\n\n', 'x', false],
  ])('%j on %s → %s', (rules, path, ignored) => {
    expect(contextFilter(rules).ignores(path)).toBe(ignored);
  });
});

describe('listContext', () => {
  it('lists every file sorted, with no .dockerignore', async () => {
    expect(await listed({ Dockerfile: 'FROM x', 'b.txt': 'b', 'a/z.txt': 'z', 'a/b/c.txt': 'c' })).toEqual([
      'Dockerfile',
      'a/b/c.txt',
      'a/z.txt',
      'b.txt',
    ]);
  });

  it('honours .dockerignore, but the Dockerfile and .dockerignore are always sent', async () => {
    const files = {
      Dockerfile: 'FROM x',
      '.dockerignore': '*\n!src\n!keep.txt',
      'src/a.js': 'a',
      'keep.txt': 'k',
      'notes.md': 'n',
      'node_modules/m/index.js': 'm',
    };
    expect(await listed(files)).toEqual(['.dockerignore', 'Dockerfile', 'keep.txt', 'src/a.js']);
  });

  it('re-adds a file inside an ignored folder through an exception', async () => {
    const files = { Dockerfile: 'FROM x', '.dockerignore': 'logs\n!logs/keep.log', 'logs/a.log': 'a', 'logs/keep.log': 'k' };
    expect(await listed(files)).toEqual(['.dockerignore', 'Dockerfile', 'logs/keep.log']);
  });

  it('keeps a Dockerfile elsewhere in the context', async () => {
    const files = { '.dockerignore': 'docker', 'docker/Dockerfile.dev': 'FROM x', 'docker/other': 'o', 'app.js': 'a' };
    expect(await listed(files, 'docker/Dockerfile.dev')).toEqual(['.dockerignore', 'app.js', 'docker/Dockerfile.dev']);
  });

  it('lists symlinks as links (not followed), empty folders, and file modes and sizes', async () => {
    const dir = context({ Dockerfile: 'FROM x', 'run.sh': 'echo hi', empty: null, 'full/f': 'f' });
    chmodSync(join(dir, 'run.sh'), 0o755);
    symlinkSync('run.sh', join(dir, 'link'));
    symlinkSync('full', join(dir, 'dirlink'));
    const entries = await listContext(dir, 'Dockerfile');
    expect(entries.map((e) => [e.rel, e.kind])).toEqual([
      ['Dockerfile', 'file'],
      ['dirlink', 'symlink'],
      ['empty', 'dir'],
      ['full/f', 'file'],
      ['link', 'symlink'],
      ['run.sh', 'file'],
    ]);
    expect(entries.find((e) => e.rel === 'run.sh')).toMatchObject({ mode: 0o755, size: 7 });
  });
});
