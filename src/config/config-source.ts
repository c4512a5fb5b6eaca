// Where a loaded config came from, kept beside the frozen ProjectConfig (a WeakMap, so the model
// stays plain data): lets later checks (checkFixedPorts in `up`) point at file:line:col.
import type { ConfigFormat } from './config-format.js';
import type { ConfigProblem } from './errors.js';
import type { ProjectConfig } from './model.js';
import type { Path } from './schema-dsl.js';
import type { Position } from './yaml-source.js';

/** A host port written as a number in the file (not `auto`, not picked by msdev). */
export interface FixedPort {
  readonly service: string;
  readonly port: number;
  /** Host IP it binds. */
  readonly ip: string;
  readonly protocol: 'tcp' | 'udp';
  /** The container port, for a `ports` entry. */
  readonly container?: number;
  /** Where it is written: ['services', S, 'port'] or ['services', S, 'ports', i]. */
  readonly path: Path;
  readonly pathText: string;
}

/** The file behind a ProjectConfig and positions inside it. */
export interface ConfigSource {
  /** The file as shown to the user. */
  readonly file: string;
  /** Line and column of the value at a key path (or of its key); the nearest existing ancestor when absent. */
  locate(path: Path, options?: { readonly key?: boolean }): Position;
  /** Every fixed host port of every service. */
  readonly fixedPorts: readonly FixedPort[];
  /** The file's format: msdev's own, or another tool's read as it is. */
  readonly format: ConfigFormat;
  /** What msdev ignores or does differently in another tool's file (positioned); empty for msdev's own. */
  readonly warnings: readonly ConfigProblem[];
}

const sources = new WeakMap<ProjectConfig, ConfigSource>();

/** Remembers the source of a loaded config. */
export function attachSource(config: ProjectConfig, source: ConfigSource): void {
  sources.set(config, source);
}

/** The source of a config returned by loadConfig, or undefined for one built by hand. */
export function configSource(config: ProjectConfig): ConfigSource | undefined {
  return sources.get(config);
}
