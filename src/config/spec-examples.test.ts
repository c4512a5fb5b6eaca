// Every example config validates: the SPEC §1 example (kept as a fixture) and the valid fixtures.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from './errors.js';
import { loadConfig } from './load.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const validDir = join(root, 'test/fixtures/config/valid');
const specFile = [process.env.MSDEV_SPEC, join(root, '../shared/SPEC.md')].find((f): f is string => !!f && existsSync(f));

async function problemsOf(file: string, profiles: string[] = []): Promise<string[]> {
  try {
    await loadConfig({ file, cwd: root, profiles, env: {} });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem);
    throw err;
  }
}

describe('example configs', () => {
  it.skipIf(!specFile)('the spec-example fixture is the SPEC §1 example, verbatim', () => {
    const spec = readFileSync(specFile!, 'utf8');
    const block = /## 1\. The config file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(spec)?.[1];
    expect(block).toBeTruthy();
    expect(readFileSync(join(validDir, 'spec-example/services.yaml'), 'utf8')).toBe(block);
  });

  const files = readdirSync(validDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
  it.each(files)('%s validates (with and without --profile full)', async (f) => {
    const file = join(validDir, f);
    expect(await problemsOf(file)).toEqual([]);
    if (readFileSync(file, 'utf8').includes('profiles: [full]')) expect(await problemsOf(file, ['full'])).toEqual([]);
  });
});
