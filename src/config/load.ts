// The config pipeline: find → parse (keeping positions) → validate → check → normalize → a frozen ProjectConfig.
import { basename, dirname } from 'node:path';
import { isMap } from 'yaml';
import { selectActive } from './active.js';
import { assignPorts, type PortPicker, type ServicePorts } from './assign-ports.js';
import { attachSource, type ConfigSource } from './config-source.js';
import { conditionsOf, readDependencies } from './dependencies.js';
import { buildEnvContext } from './env-context.js';
import { ConfigError } from './errors.js';
import { formatOfPath, type ConfigFormat } from './config-format.js';
import { findConfigFile } from './find-file.js';
import type { ProjectConfig, ServiceSpec } from './model.js';
import { normalizeService } from './normalize.js';
import { emptyRecord } from './records.js';
import { sharedRegistries } from './service-env.js';
import { freePort } from './ports.js';
import { ProblemList } from './problem-list.js';
import { projectSchema, type RawProject } from './schema.js';
import { checkServices, isContainer } from './service-checks.js';
import { validateTree } from './validate-tree.js';
import { MIB, readBounded } from './read-bounded.js';
import { parseYaml } from './yaml-source.js';

/** Config files larger than this are refused. */
export const MAX_CONFIG_BYTES = 10 * MIB;

/** What loadConfig needs. */
export interface LoadOptions {
  /** -f/--file, relative to cwd; otherwise msdev.yaml then services.yaml are searched upward from cwd. */
  readonly file?: string;
  readonly cwd: string;
  /** --profile names. */
  readonly profiles: readonly string[];
  /** The shell environment (for ${VAR} interpolation and env-file precedence). */
  readonly env: NodeJS.ProcessEnv;
  /** Services named on the command line; they and their dependencies become the active set. */
  readonly services?: readonly string[];
  /** Picks free ports for `auto` and ephemeral entries (default: freePort); for tests. */
  readonly pickPort?: PortPicker;
  /** Ports a running stack already gave its `auto` and ephemeral entries: kept when the config is loaded again (reload). */
  readonly keepPorts?: Readonly<Record<string, ServicePorts>>;
}

/** A loaded config and its source (positions, fixed ports, format, warnings), e.g. for checkFixedPorts. */
export interface LoadedConfig {
  readonly config: ProjectConfig;
  readonly source: ConfigSource;
}

/**
 * Loads, validates and resolves the config file. `active` holds the services active under the
 * profiles (those without `profiles`, plus those with a named one), or, when `services` is given,
 * those services; in both cases plus their dependencies, transitively, even when a dependency's
 * profile is not named. Throws a ConfigError carrying every problem found.
 */
export async function loadConfig(options: LoadOptions): Promise<ProjectConfig> {
  return (await loadConfigWithSource(options)).config;
}

/** loadConfig, also returning where things are in the file (`source.locate(path)`); the source is also reachable later with configSource(config). */
export async function loadConfigWithSource(options: LoadOptions): Promise<LoadedConfig> {
  const found = await findConfigFile(options.cwd, options.file);
  const read = await readBounded(found.path, MAX_CONFIG_BYTES);
  if ('problem' in read) throw new ConfigError([{ file: found.shown, line: 0, col: 0, path: '', message: `the config file ${read.problem}` }]);
  return loadConfigText(read.text, { ...options, path: found.path, shown: found.shown, format: found.format });
}

/** Loads a config from its text, as if read from `path` (absolute) shown as `shown`. */
export async function loadConfigText(text: string, options: LoadOptions & { readonly path: string; readonly shown: string; readonly format?: ConfigFormat }): Promise<LoadedConfig> {
  const file = options.shown;
  const dir = dirname(options.path);
  const format = options.format ?? formatOfPath(options.path);
  // Another tool's file is read as it is: translated into msdev's document, positions kept.
  const translated =
    format === 'msdev'
      ? { source: parseYaml(text, file), errors: [], warnings: [], interpolationVars: {} }
      : await (await import('./foreign/translate.js')).translateForeign(format, text, { file, path: options.path, dir, shell: options.env });
  const source = translated.source;
  if (source.problems.length) throw new ConfigError(source.problems);
  if (translated.errors.length) throw new ConfigError(translated.errors);
  const root = source.doc.contents;
  if (root === null || (!isMap(root) && text.trim() === '')) {
    throw new ConfigError([{ file, line: 1, col: 1, path: '', message: 'the file is empty; it needs a "services:" mapping (see the README)' }]);
  }
  const problems = new ProblemList(source);
  if (!isMap(root)) {
    problems.addAtNode([], 'expected a mapping at the top (name, env_file, env, services), got something else', root);
    throw new ConfigError(problems.sorted());
  }

  const shell = options.env;
  const envFiles = new Set<string>();
  const envCtx = await buildEnvContext(source, { dir, cwd: options.cwd, shell, envFiles, interpolationVars: translated.interpolationVars }, problems);
  const raw: RawProject = validateTree(projectSchema, root, [], { doc: source.doc, problems, interpolate: envCtx.interpolate }) ?? {};
  const services = raw.services ?? {};
  if (raw.services && Object.keys(services).length === 0 && !problems.hasUnder(['services'])) {
    problems.add(['services'], 'no services: add at least one (a "command" to run, or an "image")');
  }

  const table = readDependencies(services, problems);
  checkServices(services, table, source, problems);
  const dependsOn = conditionsOf(table);
  const active = selectActive(file, services, dependsOn, options, problems);
  const { table: ports, fixed } = await assignPorts(services, new Set(active), problems, options.pickPort ?? (() => freePort()), options.keepPorts);

  const name = raw.name ?? basename(dir);
  const awaitedToComplete = new Set(active.flatMap((a) => Object.entries(dependsOn[a] ?? {}).filter(([, c]) => c === 'completed').map(([d]) => d)));
  const containers = new Set(Object.keys(services).filter((n) => isContainer(n, services[n]!, source)));
  const registries = sharedRegistries(active, ports, containers);
  const ctx = {
    project: name,
    dir,
    cwd: options.cwd,
    shell,
    source,
    problems,
    ports,
    active,
    dependsOn,
    awaitedToComplete,
    globalFiles: envCtx.fileVars,
    globalEnv: raw.env ?? {},
    containers,
    registries,
    envFiles,
  };
  const specs = emptyRecord<ServiceSpec>();
  for (const [n, svc] of Object.entries(services)) specs[n] = await normalizeService(n, svc, ctx);

  if (!problems.empty) throw new ConfigError(problems.sorted());
  const config: ProjectConfig = deepFreeze({ name, file: options.path, dir, services: specs, active, envFiles: [...envFiles] });
  const configSource: ConfigSource = { file, locate: (path, o) => source.locate(path, o), fixedPorts: fixed, format, warnings: translated.warnings };
  attachSource(config, configSource);
  return { config, source: configSource };
}

/** Freezes an object and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  const todo: unknown[] = [value];
  while (todo.length > 0) {
    const v = todo.pop();
    if (!v || typeof v !== 'object' || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const x of Object.values(v)) if (x !== null && typeof x === 'object') todo.push(x);
  }
  return value;
}
