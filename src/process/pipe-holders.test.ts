import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { PipeWatch, outputLinks } from './pipe-holders.js';
import { startTime } from './process-identity.js';
import { serviceProcesses } from './process-tree.js';

const started: number[] = [];

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

/** Resolves after one event-loop turn (the per-turn caches are cleared). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('holders of a service output pipe', () => {
  it('finds a process that cleared its environment and left the session, by the pipe it holds', async () => {
    // The "service" starts such a daemon, prints its pid and exits; the daemon keeps stdout and stderr.
    const child = spawn('/bin/sh', ['-c', `setsid -f env -i /bin/sh -c 'echo $$; exec sleep 100'`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const links = outputLinks(child.pid ?? -1);
    const exited = once(child, 'exit');
    const since = startTime(child.pid ?? -1) ?? 0;
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    const daemon = Number(chunk.toString().trim());
    started.push(daemon);
    await exited;
    expect(links).not.toBeNull();
    expect([...(links ?? [])].every((link) => /^(socket|pipe):\[\d+\]$/.test(link))).toBe(true);
    await nextTurn();
    const watch = new PipeWatch();
    watch.watch(links ?? []);
    const daemonStart = startTime(daemon) ?? -1;
    expect(watch.holdsAny(daemon, daemonStart, links ?? new Set())).toBe(true);
    expect(watch.holdsAny(process.pid, startTime(process.pid) ?? -1, new Set(['pipe:[1]']))).toBe(false);
    expect(serviceProcesses(null, { mark: 'no-such-mark', since, pipes: { links: links ?? new Set(), watch } })).toEqual([daemon]);
    // Pipes known closed (or not given): not looked for, nothing is found.
    await nextTurn();
    expect(serviceProcesses(null, { mark: 'no-such-mark', since, pipes: null })).toEqual([]);
    watch.unwatch(links ?? []);
    child.stdout.destroy();
    child.stderr.destroy();
  });

  it('has no links for a process that is gone', () => {
    expect(outputLinks(2 ** 22 + 1)).toBeNull();
  });
});
