import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InstanceFile, instancePath, msdevDir } from './instance-file.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('InstanceFile', () => {
  it('a rewrite that fails (disk full) is said once and does not throw; msdev keeps running', () => {
    dir = mkdtempSync(join(tmpdir(), 'msdev-instance-'));
    mkdirSync(msdevDir(dir));
    symlinkSync('/dev/full', instancePath(dir));
    const said: string[] = [];
    const file = new InstanceFile(dir, (text) => said.push(text));
    expect(() => {
      file.write({ api: { pid: process.pid, container: null } });
      file.write({ api: { pid: process.pid, container: null } });
    }).not.toThrow();
    expect(said).toEqual([`cannot write ${instancePath(dir)}: no space left on device (ENOSPC); if msdev is killed now, the next run may not find what it left running`]);
  });
});
