// The environment for `${VAR}` interpolation: the shell wins over the top-level env files, which
// win over the top-level `env` map (whose own values see only the shell and the env files).
import { isMap, isScalar, isSeq } from 'yaml';
import { escapeDollars, expand, isServiceRef, type Expansion, type Resolver } from './interpolate.js';
import { parseEnvFile } from './env-file.js';
import type { ProblemList } from './problem-list.js';
import { quote } from './quote.js';
import { emptyRecord, ownValue } from './records.js';
import { MIB, readBounded } from './read-bounded.js';
import type { Path } from './schema-dsl.js';
import { resolvePath, showPath } from './paths.js';
import { entries, resolveAlias, type YamlSource } from './yaml-source.js';

/** Variables available to interpolation, and the first-pass interpolator that uses them. */
export interface EnvContext {
  /** Variables of the top-level env files (later files win). */
  readonly fileVars: Readonly<Record<string, string>>;
  /** First interpolation pass of a string value at a key path. */
  readonly interpolate: (text: string, path: Path) => Expansion;
}

/** Where files are and who is looking. */
export interface EnvContextOptions {
  readonly dir: string;
  readonly cwd: string;
  readonly shell: NodeJS.ProcessEnv;
  /** Collects the absolute path of every env file read (or looked for), for watching them. */
  readonly envFiles?: Set<string>;
  /** Variables for interpolation only, below the shell and the env files, not given to the services (a compose file's `.env`). */
  readonly interpolationVars?: Readonly<Record<string, string>>;
}

const keep = { keep: true } as const;

/** Env files larger than this are refused. */
export const MAX_ENV_FILE_BYTES = MIB;

/** Reads the top-level env files and env map (reporting missing or unreadable env files) and builds the interpolator. */
export async function buildEnvContext(source: YamlSource, options: EnvContextOptions, problems: ProblemList): Promise<EnvContext> {
  const shell = options.shell;
  const fromShell: Resolver = (name) => {
    if (isServiceRef(name)) return keep;
    const v = ownValue(shell, name);
    return v === undefined ? undefined : escapeDollars(v);
  };
  const silent = (text: string, r: Resolver): string => expand(text, r, false).text;

  const fileVars = emptyRecord<string>();
  for (const { text, path } of envFileValues(source)) {
    const vars = await readEnvFile(silent(text, fromShell), path, source, options, problems);
    Object.assign(fileVars, vars);
  }
  const extra = options.interpolationVars ?? {};
  const fromFiles: Resolver = (name, ref) => {
    const s = fromShell(name, ref);
    if (s !== undefined) return s;
    const v = ownValue(fileVars, name) ?? ownValue(extra, name);
    return v === undefined ? undefined : escapeDollars(v);
  };

  const globalEnv = emptyRecord<string>();
  const envNode = resolveAlias(source.doc, source.nodeAt(['env']));
  if (isMap(envNode)) {
    for (const e of entries(source.doc, envNode)) {
      const v = resolveAlias(source.doc, e.value);
      if (!isScalar(v)) continue;
      const value = v.value;
      if (typeof value === 'string') globalEnv[e.key] = expand(value, fromFiles, true).text;
      else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') globalEnv[e.key] = v.source ?? String(value);
    }
  }
  const full: Resolver = (name, ref) => {
    const s = fromFiles(name, ref);
    if (s !== undefined) return s;
    return ownValue(globalEnv, name);
  };

  return {
    fileVars,
    interpolate(text, path) {
      const resolver = path[0] === 'env_file' ? fromShell : path[0] === 'env' ? fromFiles : full;
      return expand(text, resolver, true);
    },
  };
}

/** The raw string values of the top-level `env_file` (one or a list), with their paths. */
function envFileValues(source: YamlSource): { text: string; path: Path }[] {
  const node = resolveAlias(source.doc, source.nodeAt(['env_file']));
  if (isScalar(node) && typeof node.value === 'string') return [{ text: node.value, path: ['env_file'] }];
  if (!isSeq(node)) return [];
  const out: { text: string; path: Path }[] = [];
  node.items.forEach((item, i) => {
    const v = resolveAlias(source.doc, item);
    if (isScalar(v) && typeof v.value === 'string') out.push({ text: v.value, path: ['env_file', i] });
  });
  return out;
}

/** Reads one env file named at `path` (relative to the config folder); problems go to `problems`. */
export async function readEnvFile(
  name: string,
  path: Path,
  source: YamlSource,
  options: Pick<EnvContextOptions, 'dir' | 'cwd' | 'shell' | 'envFiles'>,
  problems: ProblemList,
): Promise<Record<string, string>> {
  const file = resolvePath(options.dir, name, options.shell);
  options.envFiles?.add(file);
  const shown = showPath(file, options.cwd);
  const read = name.includes('\0') ? { problem: 'cannot be read (the name holds a NUL character)' } : await readBounded(file, MAX_ENV_FILE_BYTES);
  if ('problem' in read) {
    problems.add(path, `env file ${quote(name)} ${read.problem}${shown === name ? '' : ` (looked for ${shown})`}`, source.locate(path));
    return emptyRecord();
  }
  const parsed = parseEnvFile(read.text);
  for (const e of parsed.errors) problems.addRaw({ file: shown, line: e.line, col: e.col ?? 1, path: '', message: e.message });
  return Object.assign(emptyRecord<string>(), parsed.vars);
}
