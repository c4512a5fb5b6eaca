// Real chokidar in temp folders: what gets reported, what gets watched at all.
import { linkSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileChange } from './change-debouncer.js';
import { watchErrorMessage, watchFiles, type FileWatcher } from './file-watcher.js';
import { createWatchRules } from './watch-rules.js';

const dirs: string[] = [];
const watchers: FileWatcher[] = [];

afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp project folder with the given files (relative path → content). */
function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'msdev-watch-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  return dir;
}

function write(dir: string, rel: string, text = 'x'): void {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
}

/** Polls until cond holds (fails the test after 10 s). */
async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts a watcher on `paths` (relative to dir) and returns the changes it reports, as `kind rel`. */
async function watch(dir: string, o: { paths?: string[]; ignore?: string[]; msdevignore?: string | null } = {}) {
  const rules = createWatchRules({
    root: dir,
    paths: (o.paths ?? ['.']).map((p) => join(dir, p)),
    ignore: o.ignore ?? [],
    msdevignore: o.msdevignore ?? null,
  });
  const events: string[] = [];
  const errors: string[] = [];
  const watcher = await watchFiles(rules, (c: FileChange) => events.push(`${c.kind} ${c.path.slice(dir.length + 1)}`), {
    onError: (m) => errors.push(m),
  });
  watchers.push(watcher);
  await watcher.ready;
  /** Writes `rel`, waits for its event: everything written before it has been seen by then. */
  const sentinel = async (rel = 'sentinel.txt'): Promise<void> => {
    write(dir, rel, String(Math.random()));
    await waitFor(() => events.some((e) => e.endsWith(` ${rel}`)), `the event for ${rel}`);
    // A little longer, for anything that was still on its way.
    await new Promise((r) => setTimeout(r, 150));
  };
  return { watcher, events, errors, sentinel };
}

describe('watchFiles', () => {
  it('a write to a watched file gives one change event', async () => {
    const dir = project({ 'src/app.js': 'v1' });
    const w = await watch(dir, { paths: ['src'] });
    write(dir, 'src/app.js', 'v2');
    await w.sentinel('src/other.js');
    expect(w.events).toEqual(['change src/app.js', 'add src/other.js']);
    expect(w.errors).toEqual([]);
  });

  it('reports adds and deletes of files and folders; files already there are not reported at start', async () => {
    const dir = project({ 'src/app.js': 'v1' });
    const w = await watch(dir, { paths: ['src'] });
    write(dir, 'src/lib/util.js');
    await waitFor(() => w.events.includes('add src/lib/util.js'), 'the add');
    rmSync(join(dir, 'src/lib'), { recursive: true });
    // chokidar holds an unlink back 100 ms (atomic writes: an add within that time makes it a change).
    await waitFor(() => w.events.length === 4, 'the unlinks');
    expect(w.events.sort()).toEqual(['add src/lib/util.js', 'addDir src/lib', 'unlink src/lib/util.js', 'unlinkDir src/lib']);
  });

  it('changes under node_modules, .git, dist, .msdevignore and ignore globs give none', async () => {
    const dir = project({ 'app.js': '', 'node_modules/x/index.js': '', '.git/HEAD': '', 'logs/a.log': '', 'src/a.test.js': '' });
    const w = await watch(dir, { msdevignore: 'logs/\n*.tmp.js\n', ignore: ['**/*.test.js'] });
    write(dir, 'node_modules/x/index.js', 'v2');
    write(dir, 'node_modules/y/new.js');
    write(dir, '.git/HEAD', 'v2');
    write(dir, '.git/objects/ab/cdef');
    write(dir, 'dist/app.js');
    write(dir, 'logs/a.log', 'v2');
    write(dir, 'logs/b.log');
    write(dir, 'src/scratch.tmp.js');
    write(dir, 'src/a.test.js', 'v2');
    write(dir, 'src/.app.js.swp');
    write(dir, 'src/4913');
    write(dir, 'src/app.js~');
    await w.sentinel();
    expect(w.events).toEqual(['add sentinel.txt']);
  });

  it("an editor's save (swap file, probe file, rename over) is one change of the file", async () => {
    const dir = project({ 'app.js': 'v1' });
    const w = await watch(dir);
    write(dir, 'app.js.swp', 'swap');
    write(dir, '4913', '');
    rmSync(join(dir, '4913'));
    write(dir, 'app.js___jb_tmp___', 'v2');
    renameSync(join(dir, 'app.js___jb_tmp___'), join(dir, 'app.js'));
    await w.sentinel();
    expect(w.events).toEqual(['change app.js', 'add sentinel.txt']);
  });

  it('does not scan an ignored folder, however big (50,000 files in node_modules)', async () => {
    const dir = project({ 'src/app.js': '', 'package.json': '{}', seed: '' });
    // Hard links to one empty file: as many entries to scan, without creating 50,000 inodes (10-30 s here).
    for (let d = 0; d < 500; d++) {
      const sub = join(dir, 'node_modules', `pkg${d}`);
      mkdirSync(sub, { recursive: true });
      for (let f = 0; f < 100; f++) linkSync(join(dir, 'seed'), join(sub, `f${f}.js`));
    }
    const w = await watch(dir);
    const watched = w.watcher.watchedPaths();
    expect(watched.filter((p) => p.includes('node_modules'))).toEqual([]);
    expect(watched.length).toBeLessThan(10);
    expect(watched).toContain(join(dir, 'seed'));
    expect(watched).toContain(join(dir, 'src', 'app.js'));
    // And it still works.
    write(dir, 'src/app.js', 'v2');
    await waitFor(() => w.events.includes('change src/app.js'), 'the change');
  });

  it('a single file: only that file is watched, and a rename over it is seen', async () => {
    const dir = project({ 'package.json': '{}', 'other.json': '{}', 'src/app.js': '' });
    const w = await watch(dir, { paths: ['package.json'] });
    // Its folder is watched (so a rename over the file is seen), none of the folder's other entries.
    expect(w.watcher.watchedPaths().filter((p) => p.startsWith(dir))).toEqual([dir, join(dir, 'package.json')]);
    write(dir, 'other.json', '{"a":1}');
    write(dir, 'src/app.js', 'v2');
    write(dir, 'package.json.tmp', '{"v":2}');
    renameSync(join(dir, 'package.json.tmp'), join(dir, 'package.json'));
    await waitFor(() => w.events.length > 0, 'the change');
    rmSync(join(dir, 'package.json'));
    await waitFor(() => w.events.includes('unlink package.json'), 'the unlink');
    write(dir, 'package.json', '{"v":3}');
    await waitFor(() => w.events.includes('add package.json'), 'the add');
    expect(w.events).toEqual(['change package.json', 'unlink package.json', 'add package.json']);
  });

  it('a glob path: only matching files are reported (and watched)', async () => {
    const dir = project({ 'src/a.js': '', 'src/b.ts': '', 'src/deep/c.js': '', 'lib/d.js': '' });
    const w = await watch(dir, { paths: ['src/**/*.js'] });
    expect(w.watcher.watchedPaths()).not.toContain(join(dir, 'src/b.ts'));
    expect(w.watcher.watchedPaths()).toContain(join(dir, 'src/deep/c.js'));
    write(dir, 'src/b.ts', 'v2');
    write(dir, 'lib/d.js', 'v2');
    write(dir, 'src/deep/c.js', 'v2');
    write(dir, 'src/new/e.js');
    await w.sentinel('src/zz.js');
    expect(w.events.sort()).toEqual(['add src/new/e.js', 'add src/zz.js', 'change src/deep/c.js']);
  });

  it('a path that does not exist yet is picked up when it is created; its siblings are not scanned', async () => {
    const dir = project({ 'big/a.js': '', 'other.js': '' });
    const w = await watch(dir, { paths: ['gen/out'] });
    expect(w.watcher.watchedPaths().filter((p) => p.includes('big'))).toEqual([]);
    write(dir, 'other.js', 'v2');
    write(dir, 'gen/out/x.js');
    await waitFor(() => w.events.includes('add gen/out/x.js'), 'the add in the new folder');
    write(dir, 'gen/out/x.js', 'v2');
    await waitFor(() => w.events.includes('change gen/out/x.js'), 'the change in the new folder');
    expect(w.events).toEqual(['addDir gen/out', 'add gen/out/x.js', 'change gen/out/x.js']);
  });

  it('a watched folder deleted and created again is watched again; its siblings are not scanned', async () => {
    const dir = project({ 'src/a.js': '', 'big/b.js': '', 'other.js': '' });
    const w = await watch(dir, { paths: ['src'] });
    expect(w.watcher.watchedPaths().filter((p) => p.includes('big'))).toEqual([]);
    rmSync(join(dir, 'src'), { recursive: true, force: true });
    await waitFor(() => w.events.includes('unlinkDir src'), 'the folder gone');
    // (Created again within chokidar's 100 ms atomic-write window, the folder's old watch stays: a known limit.)
    await new Promise((r) => setTimeout(r, 300));
    write(dir, 'src/a.js', 'back');
    await waitFor(() => w.events.includes('add src/a.js'), 'the file in the folder created again');
    write(dir, 'src/a.js', 'v3');
    await waitFor(() => w.events.includes('change src/a.js'), 'a change in the folder created again');
    write(dir, 'other.js', 'v2');
    write(dir, 'big/b.js', 'v2');
    await new Promise((r) => setTimeout(r, 200));
    expect(w.events.filter((e) => !e.includes('src'))).toEqual([]);
  });

  it('a path outside the config folder is watched with its own ignores', async () => {
    const base = project({ 'app/services.yaml': '', 'shared/util.js': '', 'shared/node_modules/x.js': '' });
    const dir = join(base, 'app');
    const rules = createWatchRules({ root: dir, paths: [join(base, 'shared')], ignore: [], msdevignore: '*.log\n' });
    const events: string[] = [];
    const watcher = await watchFiles(rules, (c) => events.push(`${c.kind} ${c.path.slice(base.length + 1)}`));
    watchers.push(watcher);
    await watcher.ready;
    write(base, 'shared/node_modules/x.js', 'v2');
    write(base, 'shared/debug.log');
    write(base, 'shared/util.js', 'v2');
    await waitFor(() => events.includes('change shared/util.js'), 'the change');
    await new Promise((r) => setTimeout(r, 150));
    expect(events).toEqual(['change shared/util.js']);
  });

  it('reports watcher errors through onError, once each and at most 10, without throwing', async () => {
    const dir = project({ 'src/app.js': '' });
    symlinkSync(join(dir, 'src', 'loop'), join(dir, 'src', 'loop'));
    const w = await watch(dir, { paths: ['src'] });
    expect(w.errors).toHaveLength(1);
    expect(w.errors[0]).toMatch(/^watching files \(.*loop\): .*\(ELOOP\)$/);
    write(dir, 'src/app.js', 'v2');
    await waitFor(() => w.events.includes('change src/app.js'), 'the change');
    const many = project({ 'a.js': '' });
    for (let i = 0; i < 15; i++) symlinkSync(join(many, `loop${i}`), join(many, `loop${i}`));
    const m = await watch(many);
    expect(m.errors).toHaveLength(11);
    expect(new Set(m.errors).size).toBe(11);
    expect(m.errors.at(-1)).toBe('watching files: more errors, not shown');
  });

  it('no paths: ready at once, nothing watched', async () => {
    const dir = project({ 'app.js': '' });
    const rules = createWatchRules({ root: dir, paths: [], ignore: [], msdevignore: null });
    const watcher = await watchFiles(rules, () => {});
    await watcher.ready;
    expect(watcher.watchedPaths()).toEqual([]);
    await watcher.close();
  });

  it('close stops the events and resolves ready', async () => {
    const dir = project({ 'app.js': '' });
    const events: string[] = [];
    const rules = createWatchRules({ root: dir, paths: [dir], ignore: [], msdevignore: null });
    const watcher = await watchFiles(rules, (c) => events.push(c.path));
    await watcher.close();
    await watcher.ready;
    write(dir, 'app.js', 'v2');
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual([]);
    await watcher.close();
  });
});

describe('watchErrorMessage', () => {
  const err = (code: string, message = `${code}: something, watch '/p'`): NodeJS.ErrnoException => Object.assign(new Error(message), { code, path: '/p' });

  it('says what to do about the inotify limit and open files', () => {
    expect(watchErrorMessage(err('ENOSPC'))).toMatch(/inotify watches.*ENOSPC.*fs\.inotify\.max_user_watches.*MSDEV_WATCH_POLL=1/);
    expect(watchErrorMessage(err('EMFILE'))).toMatch(/too many open files.*EMFILE.*ulimit -n.*MSDEV_WATCH_POLL=1/);
    expect(watchErrorMessage(err('EIO', 'EIO: i/o error, watch'))).toBe('watching files (/p): i/o error (EIO)');
  });
});
