import { chmodSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listContext } from './build-context.js';
import { hashBuild, type BuildInputs } from './context-hash.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msdev-hash-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM x\nCOPY . /app\n');
  writeFileSync(join(dir, 'a.txt'), 'hello');
  writeFileSync(join(dir, '.dockerignore'), 'tmp');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const INPUTS: BuildInputs = { dockerfile: 'Dockerfile', args: { A: '1', B: '2' } };

async function hash(inputs: BuildInputs = INPUTS): Promise<string> {
  return hashBuild(dir, await listContext(dir, inputs.dockerfile), inputs);
}

describe('hashBuild', () => {
  it('is a hex sha256, the same for the same context and inputs (args in any order)', async () => {
    const h = await hash();
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await hash({ dockerfile: 'Dockerfile', args: { B: '2', A: '1' } })).toBe(h);
  });

  it('ignores what .dockerignore leaves out', async () => {
    const h = await hash();
    writeFileSync(join(dir, 'tmp'), 'scratch');
    expect(await hash()).toBe(h);
  });

  it.each<[string, () => void | BuildInputs]>([
    ['content', () => writeFileSync(join(dir, 'a.txt'), 'hellO')],
    ['a new file', () => writeFileSync(join(dir, 'b.txt'), '')],
    ['a renamed file', () => (writeFileSync(join(dir, 'b.txt'), 'hello'), unlinkSync(join(dir, 'a.txt')))],
    ['the mode', () => chmodSync(join(dir, 'a.txt'), 0o700)],
    ['the .dockerignore', () => writeFileSync(join(dir, '.dockerignore'), 'tmp\n')],
    ['an arg', () => ({ dockerfile: 'Dockerfile', args: { A: '1', B: '3' } })],
    ['the target', () => ({ ...INPUTS, target: 'dev' })],
  ])('changes with %s', async (_what, change) => {
    const h = await hash();
    const inputs = change();
    expect(await hash(inputs ?? INPUTS)).not.toBe(h);
  });

  it('hashes a symlink by its target text', async () => {
    symlinkSync('a.txt', join(dir, 'l'));
    const h = await hash();
    unlinkSync(join(dir, 'l'));
    symlinkSync('Dockerfile', join(dir, 'l'));
    expect(await hash()).not.toBe(h);
  });
});
