// `msdev config`: the resolved config as YAML, with secret-looking env values masked.
import { stringify } from 'yaml';
import { formatDuration } from '../config/duration.js';
import type { BuildSpec, HealthcheckSpec, ProjectConfig, ServiceSpec } from '../config/model.js';
import type { GlobalOptions } from './options.js';
import { loadForCommand, type CommandIo } from './validate-command.js';

/** Env keys whose values are masked. */
export const SECRET_KEY = /SECRET|TOKEN|PASSWORD|KEY/i;

/** What a masked value is shown as. */
export const MASK = '********';

/** Runs `msdev config`: prints the resolved config of the active services as YAML, 0; config problems → 2. */
export async function configCommand(opts: GlobalOptions, io: CommandIo): Promise<number> {
  const loaded = await loadForCommand(opts, io);
  if (typeof loaded === 'number') return loaded;
  io.stdout(renderConfig(loaded.config));
  return 0;
}

function mask(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, SECRET_KEY.test(k) ? MASK : v]));
}

function healthcheck(h: HealthcheckSpec): Record<string, unknown> {
  return {
    [h.kind]: h.target,
    interval: formatDuration(h.intervalMs),
    timeout: formatDuration(h.timeoutMs),
    retries: h.retries,
    start_period: formatDuration(h.startPeriodMs),
    start_interval: formatDuration(h.startIntervalMs),
    ...(h.implicit ? { implicit: true } : {}),
  };
}

function build(b: BuildSpec): Record<string, unknown> {
  return { context: b.context, ...(b.dockerfile ? { dockerfile: b.dockerfile } : {}), ...(b.target ? { target: b.target } : {}), args: mask(b.args) };
}

function service(s: ServiceSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: s.kind };
  if (s.command !== undefined) out.command = s.command;
  if (s.kind === 'container' && s.entrypoint !== undefined) out.entrypoint = s.entrypoint;
  if (s.kind === 'container' && s.image !== undefined) out.image = s.image;
  if (s.kind === 'container' && s.build) out.build = build(s.build);
  out.cwd = s.cwd;
  if (s.port !== undefined) out.port = s.port;
  if (s.ports.length) out.ports = s.ports.map((p) => `${p.ip}:${p.host}:${p.container}/${p.protocol}`);
  if (s.kind === 'container' && s.volumes.length) out.volumes = s.volumes;
  if (s.kind === 'container') out.keep = s.keep;
  if (s.kind === 'container' && s.user !== undefined) out.user = s.user;
  if (s.kind === 'container' && s.workingDir !== undefined) out.working_dir = s.workingDir;
  if (s.kind === 'container' && Object.keys(s.labels).length > 0) out.labels = s.labels;
  out.env = mask(s.env);
  if (Object.keys(s.dependsOn).length) out.depends_on = s.dependsOn;
  if (s.healthcheck) out.healthcheck = healthcheck(s.healthcheck);
  out.restart = s.restart;
  out.max_restarts = s.maxRestarts;
  out.one_shot = s.oneShot;
  out.stop_signal = s.stopSignal;
  out.stop_timeout = formatDuration(s.stopTimeoutMs);
  if (s.watch) out.watch = { paths: s.watch.paths, ignore: s.watch.ignore, action: s.watch.action, debounce: formatDuration(s.watch.debounceMs), restart_dependents: s.watch.restartDependents };
  if (s.profiles.length) out.profiles = s.profiles;
  return out;
}

/** The resolved config of the active services as YAML text. */
export function renderConfig(config: ProjectConfig): string {
  const services = Object.fromEntries(config.active.map((n) => [n, service(config.services[n]!)]));
  return stringify({ name: config.name, file: config.file, services }, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
}
