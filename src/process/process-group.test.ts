import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll } from '../../test/helpers/cli.js';
import { ProcessTable } from './process-group.js';
import { isAlive } from './process-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'msdev-process-group-'));
const started: number[] = [];
const env = { PATH: process.env.PATH };

afterAll(() => {
  // Belt and braces: nothing a test started may survive it, whatever the assertions said.
  killAll(started);
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until file holds a pid (written by the child), and remembers it for cleanup. */
async function pidIn(file: string): Promise<number> {
  for (;;) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch {
      // not yet
    }
    if (/^\d+$/.test(text)) {
      started.push(Number(text));
      return Number(text);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A shell line that starts a daemon outside the session (found by its mark only), writing its pid to file. */
function daemon(file: string): string {
  return `setsid -f sh -c 'echo $$ > "${file}"; exec sleep 300' >/dev/null 2>&1`;
}

describe('ProcessTable', () => {
  it('hooks process exit only while something of its groups is alive', async () => {
    const before = process.listenerCount('exit');
    const table = new ProcessTable();
    const group = table.spawn('sh', ['-c', 'exit 0'], { env });
    expect(process.listenerCount('exit')).toBe(before + 1);
    expect(table.size).toBe(1);
    await group.settle();
    expect(table.size).toBe(0);
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('dispose() kills every live group, daemons included, and removes the exit hook', async () => {
    const before = process.listenerCount('exit');
    const table = new ProcessTable();
    const file = join(dir, 'dispose-daemon.pid');
    const group = table.spawn('sh', ['-c', `${daemon(file)}; exec sleep 300`], { env, service: 'svc' });
    const leaked = await pidIn(file);
    const leader = group.pid!;
    started.push(leader);
    expect(isAlive(leaked)).toBe(true);
    table.dispose();
    expect(process.listenerCount('exit')).toBe(before);
    await group.exited;
    await group.settle();
    expect(isAlive(leader)).toBe(false);
    expect(isAlive(leaked)).toBe(false);
    expect(() => table.spawn('true', [], { env })).toThrow(/disposed/);
  });

  it('terminate() sends the signal to all of it, SIGKILL to what ignores it, and resolves when nothing is left', async () => {
    const table = new ProcessTable();
    const file = join(dir, 'stubborn.pid');
    // The daemon ignores SIGTERM (it is set to ignored before the exec): only SIGKILL ends it.
    const group = table.spawn('sh', ['-c', `trap '' TERM; ${daemon(file)}; exec sleep 300`], { env });
    const stubborn = await pidIn(file);
    started.push(group.pid!);
    const exit = new Promise<NodeJS.Signals | null>((resolve) => group.child.once('exit', (_code, signal) => resolve(signal)));
    await group.terminate('SIGTERM', 300);
    expect(await exit).toBe('SIGKILL');
    expect(isAlive(stubborn)).toBe(false);
    expect(table.size).toBe(0);
    table.dispose();
  });

  it('terminate() of a group that obeys ends it with that signal', async () => {
    const table = new ProcessTable();
    const group = table.spawn('sleep', ['300'], { env });
    started.push(group.pid!);
    const exit = new Promise<NodeJS.Signals | null>((resolve) => group.child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise((resolve) => group.child.once('spawn', resolve));
    await group.terminate('SIGTERM', 60_000);
    expect(await exit).toBe('SIGTERM');
    expect(table.size).toBe(0);
    table.dispose();
  });

  it('a short-lived command: the final sweep kills what it left, even outside its session', async () => {
    const table = new ProcessTable();
    const file = join(dir, 'short.pid');
    const group = table.spawn('sh', ['-c', `${daemon(file)}; while [ ! -s '${file}' ]; do sleep 0.02; done; echo "$MSDEV_RUN"`], { env, shortLived: true });
    let out = '';
    group.child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const leaked = await pidIn(file);
    await group.settle();
    expect(out).toMatch(new RegExp(`^${process.pid}\\.\\d+\\.\\d+\\n$`));
    expect(isAlive(leaked)).toBe(false);
    table.dispose();
  });

  it('a command on the terminal is in its own session and marked; what it left is swept', async () => {
    const table = new ProcessTable();
    const file = join(dir, 'terminal.pid');
    const group = table.spawnInTerminal('sh', ['-c', `test -n "$MSDEV_RUN" && ${daemon(file)}`], { env });
    const code = new Promise<number | null>((resolve) => group.child.once('exit', (c) => resolve(c)));
    const leaked = await pidIn(file);
    expect(await code).toBe(0);
    await group.settle();
    expect(isAlive(leaked)).toBe(false);
    table.dispose();
  });

  it('a spawn that fails leaves nothing to track', async () => {
    const table = new ProcessTable();
    const group = table.spawn('/no/such/program', [], { env });
    const error = new Promise<NodeJS.ErrnoException>((resolve) => group.child.once('error', resolve));
    expect((await error).code).toBe('ENOENT');
    expect(group.pid).toBeNull();
    expect(table.size).toBe(0);
    await group.settle();
    table.dispose();
  });
});
