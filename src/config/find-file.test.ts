import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from './errors.js';
import { findConfigFile } from './find-file.js';

const dir = mkdtempSync(join(tmpdir(), 'msdev-find-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'a/b/c'), { recursive: true });
mkdirSync(join(dir, 'both'));
writeFileSync(join(dir, 'a/services.yaml'), 'services: {}\n');
writeFileSync(join(dir, 'both/services.yaml'), '');
writeFileSync(join(dir, 'both/msdev.yaml'), '');

async function message(cwd: string, file?: string): Promise<string> {
  try {
    await findConfigFile(cwd, file);
    return 'found';
  } catch (err) {
    return err instanceof ConfigError ? err.problems.map(formatProblem).join('\n') : String(err);
  }
}

describe('findConfigFile', () => {
  it('searches the folder and its parents', async () => {
    expect(await findConfigFile(join(dir, 'a/b/c'))).toEqual({ path: join(dir, 'a/services.yaml'), shown: '../../services.yaml' });
    expect(await findConfigFile(join(dir, 'a'))).toEqual({ path: join(dir, 'a/services.yaml'), shown: 'services.yaml' });
  });

  it('prefers msdev.yaml over services.yaml', async () => {
    expect((await findConfigFile(join(dir, 'both'))).path).toBe(join(dir, 'both/msdev.yaml'));
  });

  it('takes -f as given, relative to cwd; a folder is searched', async () => {
    expect(await findConfigFile(join(dir, 'a/b'), '../services.yaml')).toEqual({ path: join(dir, 'a/services.yaml'), shown: '../services.yaml' });
    expect(await findConfigFile(dir, 'both')).toEqual({ path: join(dir, 'both/msdev.yaml'), shown: 'both/msdev.yaml' });
  });

  it('says what to do when there is nothing', async () => {
    expect(await message(dir, 'nope.yaml')).toBe('nope.yaml: file not found; check the path given to -f/--file');
    expect(await message(dir, 'a/b')).toBe('a/b: is a folder with no msdev.yaml or services.yaml in it; name the file itself with -f');
    expect(await message(dir)).toMatch(/^msdev: no msdev\.yaml or services\.yaml in .* or any folder above it; create one \(see the README\) or name one with -f FILE$/);
  });
});
