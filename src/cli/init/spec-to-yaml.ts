// A loaded ProjectConfig (from services.yaml, or a compose, process-compose or Procfile reader) back
// to services.yaml text in msdev's own spelling: only values that differ from the defaults, paths
// relative to the new file's folder, ports msdev picked written as `auto`, and the registry
// variables msdev adds by itself left out.
import { basename, isAbsolute, relative } from 'node:path';
import { containerPort, type ServicePorts } from '../../config/assign-ports.js';
import { configSource, type FixedPort } from '../../config/config-source.js';
import { formatDuration } from '../../config/duration.js';
import { HEALTHCHECK_DEFAULTS } from '../../config/healthcheck.js';
import type { HealthcheckSpec, PortMapping, ProjectConfig, ServiceSpec } from '../../config/model.js';
import { sharedRegistries } from '../../config/service-env.js';
import { renderYaml, type ServiceBlock } from './render-yaml.js';

/** An env file the config reads, with its variables: written as `env_file`, its values left out of `env`. */
export interface EnvFileVars {
  /** Absolute path. */
  readonly path: string;
  readonly vars: Readonly<Record<string, string>>;
}

/** How specToYaml writes. */
export interface SpecToYamlOptions {
  /** The folder the text will be written to (relative paths start there). Default: the config's folder. */
  readonly dir?: string;
  /** Ports written as numbers in the source; the others are written `auto`. Default: those of configSource(config), else every port. */
  readonly fixedPorts?: readonly FixedPort[];
  /** The variables of the config's env files (config.envFiles, read): values they give are left out of `env`. Every env file is written as a top-level `env_file`. */
  readonly envFiles?: readonly EnvFileVars[];
  /** Comment lines at the top. */
  readonly header?: readonly string[];
}

/** services.yaml text for a loaded config; loading it again gives the same ProjectConfig, ports picked afresh. */
export function specToYaml(config: ProjectConfig, options: SpecToYamlOptions = {}): string {
  const dir = options.dir ?? config.dir;
  const fixed = options.fixedPorts ?? configSource(config)?.fixedPorts;
  const names = Object.keys(config.services);
  const table: Record<string, ServicePorts> = {};
  for (const n of names) {
    const s = config.services[n]!;
    table[n] = s.port === undefined ? { ports: s.ports } : { port: s.port, ports: s.ports };
  }
  const containers = new Set(names.filter((n) => config.services[n]!.kind === 'container'));
  const registries = sharedRegistries(config.active, table, containers);
  const fileVars: Record<string, string> = {};
  for (const f of options.envFiles ?? []) Object.assign(fileVars, f.vars);

  // Each service's own env: without what msdev adds itself and without what the env files give.
  const envs = new Map<string, Record<string, string>>();
  for (const n of names) {
    const s = config.services[n]!;
    const own = containers.has(n) ? containerPort(table[n]!) : s.port;
    const added: Record<string, string> = { ...(containers.has(n) ? registries.container() : registries.host), MSDEV_PROJECT: config.name, MSDEV_SERVICE: n };
    if (own !== undefined) added.PORT = String(own);
    envs.set(n, Object.fromEntries(Object.entries(s.env).filter(([k, v]) => added[k] !== v && fileVars[k] !== v)));
  }
  // What every service has alike goes to the top-level env.
  const shared: Record<string, string> = {};
  if (names.length > 1) {
    for (const [k, v] of Object.entries(envs.get(names[0]!)!)) if (names.every((n) => envs.get(n)![k] === v)) shared[k] = v;
    for (const n of names) for (const k of Object.keys(shared)) delete envs.get(n)![k];
  }

  const refs = portRefs(config, fixed);
  const text = (service: string) => (value: string): string => withRefs(value.replaceAll('$', '$$$$'), service, refs);
  const top = (v: string): string => v.replaceAll('$', '$$$$');
  const blocks: ServiceBlock[] = names.map((n) => serviceBlock(config.services[n]!, envs.get(n)!, { dir, fixed, text: text(n), path: (p) => top(relPath(dir, p)) }));
  return renderYaml({
    header: options.header ?? [],
    ...(config.name !== basename(dir) ? { name: top(config.name) } : {}),
    ...(config.envFiles.length > 0 ? { envFile: config.envFiles.map((f) => top(relPath(dir, f))) } : {}),
    env: Object.fromEntries(Object.entries(shared).map(([k, v]) => [k, top(v)])),
    services: blocks,
  });
}

/** A port msdev picked, and how to refer to it. */
interface PortRef {
  readonly port: number;
  readonly service: string;
  /** `port`, or `ports.CONTAINER` for an ephemeral published port. */
  readonly key: string;
}

/** Every port msdev picked (not written as a number in the source), to write as a reference where a value names it. */
function portRefs(config: ProjectConfig, fixed: readonly FixedPort[] | undefined): PortRef[] {
  const out: PortRef[] = [];
  if (fixed === undefined) return out;
  for (const [n, s] of Object.entries(config.services)) {
    if (s.port !== undefined && !isFixed(fixed, n, ['port'])) out.push({ port: s.port, service: n, key: 'port' });
    s.ports.forEach((p, i) => {
      if (!isFixed(fixed, n, ['ports', i])) out.push({ port: p.host, service: n, key: `ports.${p.container}` });
    });
  }
  return out;
}

function isFixed(fixed: readonly FixedPort[] | undefined, service: string, rest: readonly (string | number)[]): boolean {
  if (fixed === undefined) return true;
  return fixed.some((f) => f.service === service && f.path.length === 2 + rest.length && rest.every((r, i) => f.path[2 + i] === r));
}

/** The value with every picked port number replaced by `${port}` or `${services.S.port}`/`${services.S.ports.C}`. */
function withRefs(value: string, self: string, refs: readonly PortRef[]): string {
  let out = value;
  for (const r of refs) {
    const ref = r.service === self && r.key === 'port' ? '${port}' : `\${services.${r.service}.${r.key}}`;
    out = out.replace(new RegExp(`(?<![\\d.])${r.port}(?!\\d)`, 'g'), ref);
  }
  return out;
}

/** What serviceBlock needs besides the service. */
interface BlockContext {
  readonly dir: string;
  readonly fixed: readonly FixedPort[] | undefined;
  /** Escapes `$` and puts references in place of picked ports. */
  readonly text: (v: string) => string;
  /** A path relative to dir, `$` escaped. */
  readonly path: (p: string) => string;
}

/** One service's keys, defaults left out. */
function serviceBlock(s: ServiceSpec, env: Readonly<Record<string, string>>, ctx: BlockContext): ServiceBlock {
  const { dir, text, path } = ctx;
  const body: Record<string, unknown> = {};
  const argv = (c: string | readonly string[]): string | string[] => (typeof c === 'string' ? text(c) : c.map(text));
  if (s.kind === 'container') {
    if (s.image !== undefined) body.image = text(s.image);
    if (s.build) {
      const context = path(s.build.context);
      const long = s.build.dockerfile !== undefined || s.build.target !== undefined || Object.keys(s.build.args).length > 0;
      body.build = long
        ? {
            context,
            ...(s.build.dockerfile !== undefined ? { dockerfile: text(s.build.dockerfile) } : {}),
            ...(Object.keys(s.build.args).length > 0 ? { args: Object.fromEntries(Object.entries(s.build.args).map(([k, v]) => [k, text(v)])) } : {}),
            ...(s.build.target !== undefined ? { target: text(s.build.target) } : {}),
          }
        : context;
    }
    if (s.entrypoint !== undefined) body.entrypoint = argv(s.entrypoint);
  }
  if (s.command !== undefined) body.command = argv(s.command);
  if (s.cwd !== dir) body.cwd = path(s.cwd);
  if (s.port !== undefined) body.port = isFixed(ctx.fixed, s.name, ['port']) ? s.port : 'auto';
  if (s.ports.length > 0) body.ports = s.ports.map((p, i) => portEntry(p, isFixed(ctx.fixed, s.name, ['ports', i])));
  if (Object.keys(env).length > 0) body.env = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, text(v)]));
  if (s.kind === 'container' && s.volumes.length > 0) body.volumes = s.volumes.map((v) => volumeEntry(dir, v).replaceAll('$', '$$$$'));
  if (s.kind === 'container' && s.keep) body.keep = true;
  if (s.kind === 'container' && s.user !== undefined) body.user = s.user;
  if (s.kind === 'container' && s.workingDir !== undefined) body.working_dir = s.workingDir;
  if (s.kind === 'container' && Object.keys(s.labels).length > 0) body.labels = { ...s.labels };
  const deps = Object.entries(s.dependsOn);
  if (deps.length > 0) body.depends_on = deps.every(([, c]) => c === 'started') ? deps.map(([d]) => d) : Object.fromEntries(deps);
  if (s.healthcheck && !s.healthcheck.implicit) body.healthcheck = healthcheck(s.healthcheck, text);
  if (s.restart !== 'on-failure') body.restart = s.restart;
  if (s.maxRestarts !== 5) body.max_restarts = s.maxRestarts;
  if (s.stopAllOn !== undefined) body.stop_all_on = s.stopAllOn;
  if (s.stopSignal !== 'SIGTERM') body.stop_signal = s.stopSignal;
  if (s.stopTimeoutMs !== 10_000) body.stop_timeout = formatDuration(s.stopTimeoutMs);
  if (s.watch) {
    const w = s.watch;
    const defaultPaths = [s.kind === 'container' && s.build ? s.build.context : s.cwd];
    const watch: Record<string, unknown> = {};
    if (w.paths.length !== 1 || w.paths[0] !== defaultPaths[0]) watch.paths = w.paths.map(path);
    if (w.ignore.length > 0) watch.ignore = w.ignore.map(text);
    if (w.action !== 'restart') watch.action = w.action;
    if (w.debounceMs !== 200) watch.debounce = formatDuration(w.debounceMs);
    if (w.restartDependents) watch.restart_dependents = true;
    body.watch = watch;
  }
  if (s.profiles.length > 0) body.profiles = [...s.profiles];
  return { name: s.name, comments: [describe(s, body.port === 'auto')], body };
}

/** A one-line description of a service, written above it. */
function describe(s: ServiceSpec, autoPort: boolean): string {
  const what = s.kind === 'process' ? 'a process' : s.build ? 'a container built from a Dockerfile' : `a container of ${s.image ?? 'its image'}`;
  const port = s.port === undefined ? '' : autoPort ? ' on a free port (auto)' : ` on port ${s.port}`;
  const once = s.oneShot ? '; a one-shot, expected to exit 0' : '';
  return `${s.name}: ${what}${port}${once}`;
}

/** The healthcheck, timings that differ from the defaults only. */
function healthcheck(h: HealthcheckSpec, text: (v: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { [h.kind]: text(h.target) };
  if (h.intervalMs !== HEALTHCHECK_DEFAULTS.intervalMs) out.interval = formatDuration(h.intervalMs);
  if (h.timeoutMs !== HEALTHCHECK_DEFAULTS.timeoutMs) out.timeout = formatDuration(h.timeoutMs);
  if (h.retries !== HEALTHCHECK_DEFAULTS.retries) out.retries = h.retries;
  if (h.startPeriodMs !== HEALTHCHECK_DEFAULTS.startPeriodMs) out.start_period = formatDuration(h.startPeriodMs);
  if (h.startIntervalMs !== Math.min(HEALTHCHECK_DEFAULTS.startIntervalMs, h.intervalMs)) out.start_interval = formatDuration(h.startIntervalMs);
  return out;
}

/** A `ports` entry: `[IP:]HOST:CONTAINER` when fixed, `CONTAINER` (or `IP::CONTAINER`) when msdev picks the host port. */
function portEntry(p: PortMapping, fixed: boolean): string {
  const proto = p.protocol === 'udp' ? '/udp' : '';
  const ip = p.ip === '127.0.0.1' ? '' : `${p.ip}:`;
  if (fixed) return `${ip}${p.host}:${p.container}${proto}`;
  return ip === '' ? `${p.container}${proto}` : `${ip}:${p.container}${proto}`;
}

/** A volume entry with an absolute host path inside `dir` written relative to it. */
function volumeEntry(dir: string, entry: string): string {
  const i = entry.indexOf(':');
  const host = i < 0 ? entry : entry.slice(0, i);
  if (!isAbsolute(host)) return entry;
  return relPath(dir, host) + (i < 0 ? '' : entry.slice(i));
}

/** `./x` for a path inside `dir` (`.` for dir itself), else the absolute path. */
function relPath(dir: string, p: string): string {
  const r = relative(dir, p);
  if (r === '') return '.';
  if (r.startsWith('..') || isAbsolute(r)) return p;
  return `./${r}`;
}
