import { describe, expect, it } from 'vitest';
import type { WatchAction, WatchSpec } from '../config/model.js';
import type { SyncChange } from '../runtimes/runtime.js';
import type { WatchTrigger } from '../watch/service-watch.js';
import { syncChanges } from './sync-changes.js';
import type { Supervisor } from './supervisor.js';
import { runWatchAction } from './watch-actions.js';

const spec = (action: WatchAction): WatchSpec => ({ paths: ['/p/src', '/p/src/static', '/p/app.js'], ignore: [], action, debounceMs: 200, restartDependents: false });
const trigger: WatchTrigger = { reason: 'watch: a.js', files: 'a.js', changes: [{ path: '/p/src/a.js', kind: 'change' }] };

/** A supervisor stand-in that records what the action asked of it. */
function fakeSup(sync: ((c: readonly SyncChange[]) => Promise<string>) | null): { sup: Supervisor; calls: string[] } {
  const calls: string[] = [];
  const sup = {
    name: 'web',
    syncFiles: (c: readonly SyncChange[]) => (sync ? (calls.push(`sync ${c.length}`), sync(c)) : null),
    keepForRestart: () => calls.push('keep'),
  } as unknown as Supervisor;
  return { sup, calls };
}

async function run(action: WatchAction, sync: ((c: readonly SyncChange[]) => Promise<string>) | null, wanted = true) {
  const { sup, calls } = fakeSup(sync);
  const said: string[] = [];
  await runWatchAction(sup, trigger, spec(action), {
    announce: (level, text) => said.push(`${level}: ${text}`),
    restart: (o) => Promise.resolve(calls.push(`restart ${o.reason ?? ''}`)),
    stillWanted: () => wanted,
  });
  return { calls, said };
}

describe('runWatchAction', () => {
  it('restart and rebuild restart the service', async () => {
    expect((await run('restart', null)).calls).toEqual(['restart watch: a.js']);
    expect((await run('rebuild', null)).calls).toEqual(['restart watch: a.js']);
  });

  it('sync copies and says so, without a restart', async () => {
    expect(await run('sync', () => Promise.resolve('copied 1 file (into /app)'))).toEqual({ calls: ['sync 1'], said: ['info: web: watch: a.js: copied 1 file (into /app)'] });
  });

  it('sync+restart keeps the container for the restart that follows the copy', async () => {
    expect((await run('sync+restart', () => Promise.resolve('ok'))).calls).toEqual(['sync 1', 'keep', 'restart watch: a.js']);
    expect((await run('sync+restart', () => Promise.resolve('ok'), false)).calls).toEqual(['sync 1']);
  });

  it('a failed sync is said and restarts nothing; nothing running syncs nothing', async () => {
    expect(await run('sync+restart', () => Promise.reject(new Error('engine gone')))).toEqual({ calls: ['sync 1'], said: ['warn: web: watch: a.js: sync failed: engine gone'] });
    expect(await run('sync', null)).toEqual({ calls: [], said: ['info: web: watch: a.js: not running, nothing synced'] });
  });
});

describe('syncChanges', () => {
  it('places each change under the deepest watched path holding it, and marks deletions', () => {
    expect(
      syncChanges(
        [
          { path: '/p/src/a.js', kind: 'change' },
          { path: '/p/src/static/x.css', kind: 'add' },
          { path: '/p/app.js', kind: 'unlink' },
          { path: '/p/src-other/b.js', kind: 'change' },
          { path: '/p/src/gone', kind: 'unlinkDir' },
        ],
        ['/p/src', '/p/src/static', '/p/app.js'],
      ),
    ).toEqual([
      { path: '/p/src/a.js', root: '/p/src', deleted: false },
      { path: '/p/src/static/x.css', root: '/p/src/static', deleted: false },
      { path: '/p/app.js', root: '/p/app.js', deleted: true },
      { path: '/p/src/gone', root: '/p/src', deleted: true },
    ]);
  });
});
