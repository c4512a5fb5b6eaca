import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { identify } from '../process/process-identity.js';
import { acquireInstanceLock, InstanceDirError } from './instance-lock.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh project folder; returns the path of its `.msdev`. */
function msdevIn(): string {
  const dir = mkdtempSync(join(tmpdir(), 'msdev-lock-'));
  dirs.push(dir);
  return join(dir, '.msdev');
}

/** A live process that is not this one, and its identity. */
async function otherProcess(): Promise<{ pid: number; start: number; boot: string }> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  const id = identify(child.pid!);
  if (!id) throw new Error('no identity');
  return id;
}

describe('acquireInstanceLock', () => {
  it('creates .msdev and takes the lock, naming this process', () => {
    const dir = msdevIn();
    expect(acquireInstanceLock(dir)).toEqual({ ok: true });
    expect(JSON.parse(readFileSync(join(dir, 'lock.1'), 'utf8'))).toEqual(identify(process.pid));
  });

  it('refuses while a live process holds it', async () => {
    const dir = msdevIn();
    expect(acquireInstanceLock(dir).ok).toBe(true);
    const other = await otherProcess();
    writeFileSync(join(dir, 'lock.2'), JSON.stringify(other));
    expect(acquireInstanceLock(dir)).toEqual({ ok: false, holder: other.pid });
  });

  it('takes over a lock whose holder is gone, or whose pid is another process now', async () => {
    const dir = msdevIn();
    const other = await otherProcess();
    acquireInstanceLock(dir);
    writeFileSync(join(dir, 'lock.7'), JSON.stringify({ ...other, start: other.start + 1 }));
    expect(acquireInstanceLock(dir)).toEqual({ ok: true });
    expect(existsSync(join(dir, 'lock.8'))).toBe(true);
    expect(existsSync(join(dir, 'lock.7'))).toBe(false);
    writeFileSync(join(dir, 'lock.9'), JSON.stringify({ ...other, boot: 'another boot' }));
    expect(acquireInstanceLock(dir)).toEqual({ ok: true });
    writeFileSync(join(dir, 'lock.11'), 'not json');
    expect(acquireInstanceLock(dir)).toEqual({ ok: true });
    expect(existsSync(join(dir, 'lock.12'))).toBe(true);
  });

  it('says so when .msdev is a file', () => {
    const dir = msdevIn();
    writeFileSync(dir, '');
    expect(() => acquireInstanceLock(dir)).toThrow(InstanceDirError);
    expect(() => acquireInstanceLock(dir)).toThrow(`msdev: cannot use ${dir}: it is a file, not a folder`);
  });
});
