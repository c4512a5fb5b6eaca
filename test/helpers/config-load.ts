// Loading config text in unit tests: a temp folder as the config's home, fake ports, problems as printed lines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, formatProblem } from '../../src/config/errors.js';
import { loadConfigText, type LoadOptions } from '../../src/config/load.js';
import type { ProjectConfig } from '../../src/config/model.js';

/** A config loader bound to a temp folder (files the YAML names go there); remove() deletes it. */
export interface TestLoader {
  readonly dir: string;
  /** Loads YAML text as `services.yaml` in dir; ports picked from firstPort up. */
  readonly load: (yaml: string, opts?: Partial<LoadOptions>) => Promise<ProjectConfig>;
  /** The problems of YAML text as `msdev validate` prints them; [] when it is valid. */
  readonly problems: (yaml: string, opts?: Partial<LoadOptions>) => Promise<string[]>;
  remove(): void;
}

/** Makes a loader over a fresh temp folder named with prefix. */
export function testLoader(prefix: string, firstPort = 40000): TestLoader {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const load = async (yaml: string, opts: Partial<LoadOptions> = {}): Promise<ProjectConfig> => {
    let next = firstPort;
    const pickPort = (): Promise<number> => Promise.resolve(++next);
    const r = await loadConfigText(yaml, { path: join(dir, 'services.yaml'), shown: 'services.yaml', cwd: dir, profiles: [], env: {}, pickPort, ...opts });
    return r.config;
  };
  return {
    dir,
    load,
    problems: (yaml, opts = {}) => problemLines(load(yaml, opts)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The problems a load rejects with, as `msdev validate` prints them; [] when it loads. Other errors are thrown. */
export async function problemLines(loading: Promise<unknown>): Promise<string[]> {
  try {
    await loading;
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem);
    throw err;
  }
}

/** Lines joined into a YAML document with a final newline. */
export const y = (...lines: string[]): string => `${lines.join('\n')}\n`;
