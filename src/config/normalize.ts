// Turns a validated service into its ServiceSpec: defaults, interpolation, absolute paths, env.
import { containerPort, mainPort, type ServicePorts } from './assign-ports.js';
import { readEnvFile } from './env-context.js';
import { normalizeHealthcheck } from './healthcheck.js';
import type { BuildSpec, Condition, ServiceSpec, ServiceSpecBase, WatchSpec } from './model.js';
import { resolvePath } from './paths.js';
import type { ProblemList } from './problem-list.js';
import { resolveLate, type RefContext } from './refs.js';
import type { RawService } from './schema.js';
import type { Late, Path } from './schema-dsl.js';
import { emptyRecord } from './records.js';
import { mergeEnv, serviceRegistryEnv, type SharedRegistries } from './service-env.js';
import type { YamlSource } from './yaml-source.js';

/** Everything about the project a service's normalization needs. */
export interface ProjectContext {
  readonly project: string;
  readonly dir: string;
  readonly cwd: string;
  readonly shell: NodeJS.ProcessEnv;
  readonly source: YamlSource;
  readonly problems: ProblemList;
  readonly ports: Readonly<Record<string, ServicePorts>>;
  readonly active: readonly string[];
  readonly dependsOn: Readonly<Record<string, Readonly<Record<string, Condition>>>>;
  /** Services with `image` or `build` (isContainer), active or not. */
  readonly containers: ReadonlySet<string>;
  /** Services some active dependent waits on with `completed`. */
  readonly awaitedToComplete: ReadonlySet<string>;
  /** Top-level env-file variables. */
  readonly globalFiles: Readonly<Record<string, string>>;
  /** Top-level env, unresolved. */
  readonly globalEnv: Readonly<Record<string, Late | null>>;
  /** S_HOST/S_PORT/S_URL of every active service with a port, as processes and as containers see them; shared by all services. */
  readonly registries: SharedRegistries;
  /** Collects the env files read. */
  readonly envFiles: Set<string>;
}

/** Resolved strings of one service, problems reported along the way. */
function resolver(name: string, ctx: ProjectContext): (v: Late) => string | undefined {
  const refs: RefContext = { self: name, ports: ctx.ports };
  return (v) => resolveLate(v, refs, ctx.problems);
}

function resolveMap(values: Readonly<Record<string, Late | null>> | undefined, s: (v: Late) => string | undefined): Record<string, string | null> {
  const out = emptyRecord<string | null>();
  for (const [k, v] of Object.entries(values ?? {})) {
    if (v === null) out[k] = null;
    else {
      const r = s(v);
      if (r !== undefined) out[k] = r;
    }
  }
  return out;
}

/** Volumes: a relative host side ("./data:/x", "../x:/y", "~/x:/y") becomes absolute; named volumes stay. */
function resolveVolume(entry: string, dir: string, shell: NodeJS.ProcessEnv): string {
  const i = entry.indexOf(':');
  const host = i < 0 ? entry : entry.slice(0, i);
  if (!/^(\.\.?(\/|$)|~(\/|$))/.test(host)) return entry;
  return resolvePath(dir, host, shell) + (i < 0 ? '' : entry.slice(i));
}

const SIGNAL_DEFAULT: NodeJS.Signals = 'SIGTERM';

/** The ServiceSpec of one validated service. */
export async function normalizeService(name: string, raw: RawService, ctx: ProjectContext): Promise<ServiceSpec> {
  const s = resolver(name, ctx);
  const { dir, shell, problems } = ctx;
  const base: Path = ['services', name];
  const ports = (Object.hasOwn(ctx.ports, name) ? ctx.ports[name] : undefined) ?? { ports: [] };

  const command = argv([...base, 'command'], raw.command, s, problems);
  const entrypoint = argv([...base, 'entrypoint'], raw.entrypoint, s, problems);

  let build: BuildSpec | undefined;
  if (raw.build && 'late' in raw.build) build = { context: resolvePath(dir, s(raw.build) ?? '.', shell), args: {} };
  else if (raw.build) {
    const dockerfile = raw.build.dockerfile ? s(raw.build.dockerfile) : undefined;
    const target = raw.build.target ? s(raw.build.target) : undefined;
    const args = resolveMap(raw.build.args, s) as Record<string, string>;
    const context = resolvePath(dir, raw.build.context ? (s(raw.build.context) ?? '.') : '.', shell);
    build = { context, ...(dockerfile ? { dockerfile } : {}), args, ...(target ? { target } : {}) };
  }

  const cwd = resolvePath(dir, raw.cwd ? (s(raw.cwd) ?? '.') : '.', shell);
  const serviceFiles = emptyRecord<string>();
  const envFiles = raw.env_file === undefined ? [] : typeof raw.env_file === 'string' ? [raw.env_file] : raw.env_file;
  for (const [i, f] of envFiles.entries()) {
    const path = typeof raw.env_file === 'string' ? [...base, 'env_file'] : [...base, 'env_file', i];
    Object.assign(serviceFiles, await readEnvFile(f, path, ctx.source, ctx, problems));
  }
  const container = ctx.containers.has(name);
  // Inside a container: its own PORT is the container side of its first TCP entry, and peers are reached as containers see them.
  const ownPort = container ? containerPort(ports) : ports.port;
  const env = mergeEnv({
    globalFiles: ctx.globalFiles,
    shell,
    global: resolveMap(ctx.globalEnv, s),
    registry: serviceRegistryEnv(ctx.project, name, ownPort, container ? ctx.registries.container() : ctx.registries.host),
    serviceFiles,
    service: resolveMap(raw.env, s),
  });

  const restart = raw.restart === false ? 'no' : (raw.restart ?? 'on-failure');
  let watch: WatchSpec | undefined;
  if (raw.watch) {
    const paths = raw.watch.paths ? raw.watch.paths.map((p) => resolvePath(dir, s(p) ?? '.', shell)) : [build?.context ?? cwd];
    watch = {
      paths,
      ignore: (raw.watch.ignore ?? []).map((p) => s(p) ?? ''),
      action: raw.watch.action ?? 'restart',
      debounceMs: raw.watch.debounce ?? 200,
      restartDependents: raw.watch.restart_dependents ?? false,
    };
  }
  const image = raw.image ? s(raw.image) : undefined;
  const healthcheck = normalizeHealthcheck(name, raw.healthcheck, mainPort(ports), s, problems);
  const signal = raw.stop_signal ?? SIGNAL_DEFAULT;

  const common: ServiceSpecBase = {
    name,
    cwd,
    ...(ports.port !== undefined ? { port: ports.port } : {}),
    ports: ports.ports,
    env,
    dependsOn: (Object.hasOwn(ctx.dependsOn, name) ? ctx.dependsOn[name] : undefined) ?? emptyRecord(),
    ...(healthcheck ? { healthcheck } : {}),
    restart,
    maxRestarts: raw.max_restarts ?? 5,
    ...(raw.stop_all_on ? { stopAllOn: raw.stop_all_on } : {}),
    stopSignal: (signal.startsWith('SIG') ? signal : `SIG${signal}`) as NodeJS.Signals,
    stopTimeoutMs: raw.stop_timeout ?? 10_000,
    oneShot: restart === 'no' || ctx.awaitedToComplete.has(name),
    ...(watch ? { watch } : {}),
    profiles: raw.profiles ?? [],
  };
  if (!container) {
    // A process with no command was reported by checkServices: this spec never leaves load().
    return { kind: 'process', ...common, command: command ?? '' };
  }
  return {
    kind: 'container',
    ...common,
    ...(command !== undefined ? { command } : {}),
    ...(entrypoint !== undefined ? { entrypoint } : {}),
    ...(image !== undefined ? { image } : {}),
    ...(build ? { build } : {}),
    volumes: (raw.volumes ?? []).map((v) => resolveVolume(s(v) ?? '', dir, shell)),
    keep: raw.keep ?? false,
    ...(raw.user !== undefined ? { user: s(raw.user) ?? '' } : {}),
    ...(raw.working_dir !== undefined ? { workingDir: s(raw.working_dir) ?? '' } : {}),
    labels: resolveMap(raw.labels, s) as Record<string, string>,
  };
}

/** `command` or `entrypoint`: a string (sh -c) or argv; an empty one is a problem. */
function argv(path: Path, raw: RawService['command'], s: (v: Late) => string | undefined, problems: ProblemList): string | string[] | undefined {
  const key = String(path[path.length - 1]);
  if (Array.isArray(raw)) {
    const out = raw.map((c) => s(c) ?? '');
    if (out.length === 0) problems.add(path, `${key} is an empty list`);
    return out;
  }
  if (!raw) return undefined;
  const out = s(raw);
  if (out !== undefined && out.trim() === '') problems.add(path, `${key} is empty`);
  return out;
}
