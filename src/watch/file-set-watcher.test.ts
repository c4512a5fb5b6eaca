import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../test/helpers/cli.js';
import type { FileChange } from './change-debouncer.js';
import { watchFileSet, type FileSetWatcher } from './file-set-watcher.js';

let dir: string | null = null;
let watcher: FileSetWatcher | null = null;
afterEach(() => {
  watcher?.close();
  watcher = null;
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe.each([false, true])('watchFileSet (poll: %s)', (poll) => {
  it('sees a file written in place, replaced by a rename, deleted and created again; not the other files of its folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'msdev-fileset-'));
    const yaml = join(dir, 'services.yaml');
    const env = join(dir, '.env');
    writeFileSync(yaml, 'a: 1\n');
    writeFileSync(env, 'A=1\n');
    const changes: FileChange[] = [];
    watcher = watchFileSet([yaml, env], (c) => changes.push(c), { poll });
    // Let the poller take its first look (a stat) before the first change.
    if (poll) await new Promise((r) => setTimeout(r, 600));
    const seen = (file: string, from: number) => changes.slice(from).some((c) => c.path === file);
    let mark = changes.length;
    writeFileSync(yaml, 'a: 22\n');
    await until(() => seen(yaml, mark), 'a write in place');
    mark = changes.length;
    writeFileSync(join(dir, 'services.yaml.tmp'), 'a: 333\n');
    renameSync(join(dir, 'services.yaml.tmp'), yaml);
    await until(() => seen(yaml, mark), 'a save by rename');
    mark = changes.length;
    rmSync(env);
    await until(() => seen(env, mark), 'a delete');
    mark = changes.length;
    writeFileSync(env, 'A=2\n');
    await until(() => seen(env, mark), 'created again');
    mark = changes.length;
    writeFileSync(join(dir, 'other.txt'), 'x');
    await new Promise((r) => setTimeout(r, poll ? 1200 : 200));
    expect(changes.slice(mark)).toEqual([]);
    expect(changes.every((c) => c.path === yaml || c.path === env)).toBe(true);
  }, 20_000);
});
