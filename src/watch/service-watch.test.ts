// One service's hot reload on real chokidar and the system clock: bursts, ignores, editors, loops, the switch.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WatchSpec } from '../config/model.js';
import { systemClock } from '../core/clock.js';
import { watchService, type ServiceWatch, type WatchTrigger } from './service-watch.js';

const dirs: string[] = [];
const watches: ServiceWatch[] = [];

afterEach(async () => {
  await Promise.all(watches.splice(0).map((w) => w.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'msdev-service-watch-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  return dir;
}

function write(dir: string, rel: string, text = String(Math.random())): void {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** watchService on dir with the given spec fields; collects triggers, pauses and errors. */
async function start(dir: string, spec: Partial<WatchSpec> = {}, msdevignore: string | null = null, ownChange?: (at: number) => boolean) {
  const triggers: WatchTrigger[] = [];
  const pauses: string[] = [];
  const errors: string[] = [];
  const sw = await watchService({
    service: 'api',
    spec: { paths: [dir], ignore: [], action: 'restart', debounceMs: 200, restartDependents: false, ...spec },
    root: dir,
    msdevignore,
    clock: systemClock,
    onTrigger: (t) => triggers.push(t),
    onPause: (m) => pauses.push(m),
    onError: (m) => errors.push(m),
    ...(ownChange ? { ownChange } : {}),
  });
  watches.push(sw);
  await sw.ready;
  return { sw, triggers, pauses, errors };
}

describe('watchService', () => {
  it('a write gives one trigger naming the file', async () => {
    const dir = project({ 'app.js': 'v1' });
    const s = await start(dir);
    write(dir, 'app.js', 'v2');
    await waitFor(() => s.triggers.length > 0, 'the trigger');
    await sleep(600);
    expect(s.triggers).toHaveLength(1);
    expect(s.triggers[0]).toEqual({ reason: 'watch: app.js', files: 'app.js', changes: [{ path: join(dir, 'app.js'), kind: 'change' }] });
    expect(s.errors).toEqual([]);
  });

  it('500 files written within a second give exactly one trigger', async () => {
    const dir = project({ 'src/app.js': 'v1' });
    const s = await start(dir);
    for (let i = 0; i < 500; i++) write(dir, `src/gen/f${i}.js`);
    await waitFor(() => s.triggers.length > 0, 'the trigger');
    await sleep(1000);
    expect(s.triggers).toHaveLength(1);
    const t = s.triggers[0]!;
    expect(t.changes.filter((c) => c.kind === 'add')).toHaveLength(500);
    expect(t.reason).toMatch(/^watch: src\/gen\/?.* \(\+500 more\)$/);
    expect(t.files).toMatch(/, … \(\+491 more\)$/);
  });

  it('changes to ignored paths give none (node_modules, .git, .msdevignore, watch.ignore)', async () => {
    const dir = project({ 'app.js': '', 'node_modules/x/index.js': '', '.git/HEAD': '', 'tmp/cache.bin': '', 'a.test.js': '' });
    const s = await start(dir, { ignore: ['*.test.js'] }, 'tmp/\n');
    write(dir, 'node_modules/x/index.js');
    write(dir, 'node_modules/.cache/y');
    write(dir, '.git/HEAD');
    write(dir, '.git/index');
    write(dir, 'tmp/cache.bin');
    write(dir, 'tmp/new.bin');
    write(dir, 'a.test.js');
    write(dir, '.msdev/logs/api.log');
    await sleep(50);
    // A watched file last: the batch it lands in would hold any ignored change that got through.
    write(dir, 'app.js');
    await waitFor(() => s.triggers.length > 0, 'the trigger');
    await sleep(600);
    expect(s.triggers.map((t) => t.reason)).toEqual(['watch: app.js']);
    expect(s.triggers[0]!.changes).toEqual([{ path: join(dir, 'app.js'), kind: 'change' }]);
  });

  it("an editor's save (swap file, 4913 probe, rename over app.js) gives one trigger naming app.js", async () => {
    const dir = project({ 'app.js': 'v1', 'lib/util.js': '' });
    const s = await start(dir);
    write(dir, '.app.js.swp', 'swap');
    write(dir, 'app.js.swp', 'swap');
    write(dir, '4913', '');
    rmSync(join(dir, '4913'));
    renameSync(join(dir, 'app.js'), join(dir, 'app.js~'));
    renameSync(join(dir, 'app.js.swp'), join(dir, 'app.js'));
    rmSync(join(dir, 'app.js~'));
    await waitFor(() => s.triggers.length > 0, 'the trigger');
    await sleep(600);
    expect(s.triggers.map((t) => t.reason)).toEqual(['watch: app.js']);
  });

  it('pauses after the 6th trigger within a minute, calling onPause once; setEnabled(true) lifts it', async () => {
    const dir = project({ 'out.txt': '' });
    const s = await start(dir, { debounceMs: 50 });
    for (let i = 1; i <= 5; i++) {
      write(dir, 'out.txt', `run ${i}`);
      await waitFor(() => s.triggers.length === i, `trigger ${i}`);
    }
    write(dir, 'out.txt', 'run 6');
    await waitFor(() => s.pauses.length === 1, 'the pause');
    expect(s.sw.paused).toBe(true);
    expect(s.pauses).toEqual([
      'api: watching paused: 6 restarts within a minute from changes to its own watched files ' +
        '(does it write into them? add them to watch.ignore or .msdevignore); w in the TUI turns it back on',
    ]);
    write(dir, 'out.txt', 'run 7');
    await sleep(400);
    expect(s.triggers).toHaveLength(5);
    expect(s.pauses).toHaveLength(1);
    s.sw.setEnabled(true);
    expect(s.sw.paused).toBe(false);
    expect(s.sw.enabled).toBe(true);
    // The guard starts afresh: five more triggers before it could pause again.
    for (let i = 6; i <= 10; i++) {
      write(dir, 'out.txt', `again ${i}`);
      await waitFor(() => s.triggers.length === i, `trigger ${i}`);
    }
    expect(s.pauses).toHaveLength(1);
  });

  it('counts toward the pause only the changes that look like the service’s own (ownChange): a user’s edits never pause it', async () => {
    const dir = project({ 'out.txt': '' });
    const seenAt: number[] = [];
    const s = await start(dir, { debounceMs: 50 }, null, (at) => {
      seenAt.push(at);
      return false;
    });
    for (let i = 1; i <= 8; i++) {
      const before = Date.now();
      write(dir, 'out.txt', `edit ${i}`);
      await waitFor(() => s.triggers.length === i, `trigger ${i}`);
      // It is asked with the time of the batch's first change, not of the flush.
      expect(seenAt[i - 1]).toBeGreaterThanOrEqual(before);
      expect(seenAt[i - 1]).toBeLessThan(before + 50 + 1000);
    }
    expect(s.pauses).toEqual([]);
    expect(s.sw.paused).toBe(false);
  });

  it('setEnabled(false) drops changes (not queued); setEnabled(true) resumes', async () => {
    const dir = project({ 'a.js': '', 'b.js': '' });
    const s = await start(dir, { debounceMs: 50 });
    s.sw.setEnabled(false);
    expect(s.sw.enabled).toBe(false);
    write(dir, 'a.js');
    await sleep(400);
    expect(s.triggers).toEqual([]);
    s.sw.setEnabled(true);
    write(dir, 'b.js');
    await waitFor(() => s.triggers.length > 0, 'the trigger');
    await sleep(300);
    expect(s.triggers.map((t) => t.reason)).toEqual(['watch: b.js']);
  });

  it('disabling drops a batch still being gathered', async () => {
    const dir = project({ 'a.js': '' });
    const s = await start(dir, { debounceMs: 300 });
    write(dir, 'a.js');
    await sleep(100);
    s.sw.setEnabled(false);
    s.sw.setEnabled(true);
    await sleep(600);
    expect(s.triggers).toEqual([]);
  });

  it('no trigger after close', async () => {
    const dir = project({ 'a.js': '' });
    const s = await start(dir, { debounceMs: 100 });
    write(dir, 'a.js');
    await sleep(20);
    await s.sw.close();
    await sleep(400);
    expect(s.triggers).toEqual([]);
  });
});
