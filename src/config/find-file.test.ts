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
mkdirSync(join(dir, 'a/foreign/deep'), { recursive: true });
mkdirSync(join(dir, 'tools/pc'), { recursive: true });
mkdirSync(join(dir, 'tools/pf'), { recursive: true });
writeFileSync(join(dir, 'a/foreign/compose.yaml'), 'services: {}\n');
writeFileSync(join(dir, 'tools/pc/process-compose.yaml'), 'processes: {}\n');
writeFileSync(join(dir, 'tools/pc/Procfile'), 'web: x\n');
writeFileSync(join(dir, 'tools/pf/Procfile'), 'web: x\n');
writeFileSync(join(dir, 'tools/pf/docker-compose.yml'), 'services: {}\n');

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
    expect(await findConfigFile(join(dir, 'a/b/c'))).toEqual({ path: join(dir, 'a/services.yaml'), shown: '../../services.yaml', format: 'msdev' });
    expect(await findConfigFile(join(dir, 'a'))).toEqual({ path: join(dir, 'a/services.yaml'), shown: 'services.yaml', format: 'msdev' });
  });

  it('prefers msdev.yaml over services.yaml', async () => {
    expect((await findConfigFile(join(dir, 'both'))).path).toBe(join(dir, 'both/msdev.yaml'));
  });

  it('takes -f as given, relative to cwd; a folder is searched', async () => {
    expect(await findConfigFile(join(dir, 'a/b'), '../services.yaml')).toEqual({ path: join(dir, 'a/services.yaml'), shown: '../services.yaml', format: 'msdev' });
    expect(await findConfigFile(dir, 'both')).toEqual({ path: join(dir, 'both/msdev.yaml'), shown: 'both/msdev.yaml', format: 'msdev' });
  });

  it('reads the other tools\' files only where no msdev file is found anywhere up, compose first, then process-compose, then a Procfile', async () => {
    // services.yaml two folders up wins over the compose file right here.
    expect((await findConfigFile(join(dir, 'a/foreign/deep'))).path).toBe(join(dir, 'a/services.yaml'));
    expect(await findConfigFile(join(dir, 'tools/pc'))).toEqual({ path: join(dir, 'tools/pc/process-compose.yaml'), shown: 'process-compose.yaml', format: 'process-compose' });
    expect((await findConfigFile(join(dir, 'tools/pf'))).format).toBe('compose');
    expect(await findConfigFile(join(dir, 'tools/pf'), 'Procfile')).toEqual({ path: join(dir, 'tools/pf/Procfile'), shown: 'Procfile', format: 'procfile' });
  });

  it('says what to do when there is nothing', async () => {
    expect(await message(dir, 'nope.yaml')).toBe('nope.yaml: file not found; check the path given to -f/--file');
    expect(await message(dir, 'a/b')).toBe('a/b: is a folder with no msdev.yaml or services.yaml in it; name the file itself with -f');
    expect(await message(dir)).toMatch(/^msdev: no msdev\.yaml or services\.yaml \(nor a compose file, process-compose\.yaml or Procfile\) in .* or any folder above it; create one \(msdev init\) or name one with -f FILE$/);
  });
});
