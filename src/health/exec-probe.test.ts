import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll } from '../../test/helpers/cli.js';
import { ProcessTable } from '../process/process-group.js';
import { execProbe } from './exec-probe.js';

const dir = mkdtempSync(join(tmpdir(), 'msdev-exec-probe-'));
const started: number[] = [];

afterAll(() => {
  // Belt and braces: nothing a test started may survive it, whatever the assertions said.
  killAll(started);
  rmSync(dir, { recursive: true, force: true });
});

/** True when pid no longer runs (gone, or a zombie waiting for a parent that is not us to reap it). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Waits up to ms for pid to be gone. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!isGone(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return isGone(pid);
}

/** Reads a pid a command wrote into file. */
function readPid(file: string): number {
  const pid = Number(readFileSync(file, 'utf8').trim());
  started.push(pid);
  return pid;
}

describe('execProbe', () => {
  it('exit 0 is ok', async () => {
    expect(await execProbe('exit 0', { timeoutMs: 5000 })).toEqual({ ok: true });
  });

  it('a non-zero exit fails with the code and the last output line', async () => {
    expect(await execProbe('echo first; echo "  not ready yet  " >&2; exit 3', { timeoutMs: 5000 })).toEqual({
      ok: false,
      reason: 'exit code 3: not ready yet',
    });
    expect(await execProbe('exit 3', { timeoutMs: 5000 })).toEqual({ ok: false, reason: 'exit code 3' });
  });

  it('cuts a long last line to about 200 characters', async () => {
    const result = await execProbe(`printf '%0500d\\n\\n' 0; exit 1`, { timeoutMs: 5000 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason.startsWith('exit code 1: 000')).toBe(true);
      expect(result.reason.length).toBeLessThanOrEqual(220);
      expect(result.reason.endsWith('…')).toBe(true);
    }
  });

  it('runs in the given cwd with the given env', async () => {
    const cmd = 'test "$(pwd -P)" = "$WANT_DIR" && test "$FOO" = bar';
    const env = { PATH: process.env.PATH, FOO: 'bar', WANT_DIR: dir };
    const real = (await execProbe('pwd -P > cwd.txt', { timeoutMs: 5000, cwd: dir })).ok;
    expect(real).toBe(true);
    env.WANT_DIR = readFileSync(join(dir, 'cwd.txt'), 'utf8').trim();
    expect(await execProbe(cmd, { timeoutMs: 5000, cwd: dir, env })).toEqual({ ok: true });
    expect((await execProbe(cmd, { timeoutMs: 5000, cwd: dir, env: { ...env, FOO: 'baz' } })).ok).toBe(false);
  });

  it('a missing cwd is a failure, not an exception', async () => {
    const result = await execProbe('exit 0', { timeoutMs: 5000, cwd: join(dir, 'nope') });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^cannot run probe: /);
  });

  it('times out and leaves no process behind', async () => {
    const file = join(dir, 'timeout.pid');
    const startedAt = Date.now();
    const result = await execProbe(`echo $$ > '${file}'; exec sleep 30`, { timeoutMs: 300 });
    expect(result).toEqual({ ok: false, reason: 'timed out after 300 ms' });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    const pid = readPid(file);
    // The probe resolves only once the shell has been reaped: gone at once.
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const file = join(dir, 'grandchild.pid');
    const result = await execProbe(`sleep 30 & echo $! > '${file}'; wait`, { timeoutMs: 300 });
    expect(result).toEqual({ ok: false, reason: 'timed out after 300 ms' });
    expect(await goneWithin(readPid(file), 2000)).toBe(true);
  });

  it('an abort kills the command', async () => {
    const file = join(dir, 'abort.pid');
    const controller = new AbortController();
    const pending = execProbe(`echo $$ > '${file}'; exec sleep 30`, { timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toEqual({ ok: false, reason: 'aborted' });
    expect(isGone(readPid(file))).toBe(true);
  });

  it('a background child holding the output does not keep the probe waiting, and is killed', async () => {
    const file = join(dir, 'daemon.pid');
    const startedAt = Date.now();
    const result = await execProbe(`sleep 30 & echo $! > '${file}'; exit 0`, { timeoutMs: 5000 });
    expect(result).toEqual({ ok: true });
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(await goneWithin(readPid(file), 2000)).toBe(true);
  });
});

describe('execProbe leaves nothing behind', () => {
  it('kills a background child that let go of the output (it no longer holds the pipes)', async () => {
    const file = join(dir, 'quiet.pid');
    const result = await execProbe(`sleep 30 >/dev/null 2>&1 & echo $! > '${file}'; exit 0`, { timeoutMs: 5000 });
    expect(result).toEqual({ ok: true });
    expect(await goneWithin(readPid(file), 2000)).toBe(true);
  });

  it('kills what left its session (setsid), found by the mark in its environment', async () => {
    const file = join(dir, 'escaped.pid');
    const result = await execProbe(`setsid -f sh -c 'echo $$ > "${file}"; exec sleep 30' >/dev/null 2>&1; while [ ! -s '${file}' ]; do sleep 0.02; done; exit 1`, { timeoutMs: 5000 });
    expect(result.ok).toBe(false);
    expect(await goneWithin(readPid(file), 2000)).toBe(true);
  });

  it('marks the command with MSDEV_RUN', async () => {
    expect(await execProbe('test -n "$MSDEV_RUN"', { timeoutMs: 5000 })).toEqual({ ok: true });
  });

  it('keeps its processes in the given table until they are gone, and leaves no exit hook', async () => {
    const before = process.listenerCount('exit');
    const processes = new ProcessTable();
    const file = join(dir, 'table.pid');
    const result = await execProbe(`sleep 30 >/dev/null 2>&1 & echo $! > '${file}'; exit 0`, { timeoutMs: 5000, processes });
    expect(result).toEqual({ ok: true });
    expect(isGone(readPid(file))).toBe(true);
    expect(processes.size).toBe(0);
    expect(process.listenerCount('exit')).toBe(before);
    processes.dispose();
    expect((await execProbe('exit 0', { timeoutMs: 5000, processes })).ok).toBe(false);
  });
});
