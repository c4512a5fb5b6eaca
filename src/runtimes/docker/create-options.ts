// The Docker Engine API's create request for a container service: a pure function of its spec.
import type { ContainerCreateOptions } from 'dockerode';
import type { ContainerServiceSpec } from '../../config/model.js';
import { splitWords } from '../../core/shell-words.js';
import { containerLabels, containerName, volumeName } from './names.js';

/** Where the container runs: its project, the project's folder and network, and the image to run. */
export interface CreateContext {
  readonly project: string;
  readonly dir: string;
  readonly network: string;
  readonly image: string;
}

/** The host name by which containers reach services on the host (added to every container). */
export const HOST_GATEWAY_NAME = 'host.docker.internal';

/** The create request: env, ports on their host IP, volumes, command, init, labels, the project network and the service's name on it. */
export function createOptions(spec: ContainerServiceSpec, ctx: CreateContext): ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.ports) {
    const key = `${p.container}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.ip, HostPort: String(p.host) });
  }
  const { binds, anonymous } = volumeOptions(spec.volumes, ctx.project);
  return {
    name: containerName(ctx.project, spec.name),
    Image: ctx.image,
    Hostname: spec.name,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: { ...spec.labels, ...containerLabels(ctx.project, ctx.dir, spec.name) },
    ...(spec.user !== undefined ? { User: spec.user } : {}),
    ...(spec.workingDir !== undefined ? { WorkingDir: spec.workingDir } : {}),
    ...(spec.command !== undefined ? { Cmd: commandArgv(spec.command) } : {}),
    ...(spec.entrypoint !== undefined ? { Entrypoint: typeof spec.entrypoint === 'string' ? entrypointWords(spec.entrypoint) : [...spec.entrypoint] } : {}),
    ExposedPorts: exposed,
    ...(Object.keys(anonymous).length ? { Volumes: anonymous } : {}),
    StopSignal: spec.stopSignal,
    StopTimeout: Math.ceil(spec.stopTimeoutMs / 1000),
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    HostConfig: {
      // An init as PID 1 passes the stop signal on and reaps: without it most images ignore SIGTERM until the kill.
      Init: true,
      PortBindings: bindings,
      Binds: binds,
      ExtraHosts: [`${HOST_GATEWAY_NAME}:host-gateway`],
      NetworkMode: ctx.network,
    },
    NetworkingConfig: { EndpointsConfig: { [ctx.network]: { Aliases: [spec.name] } } },
  };
}

/** A string command runs through `sh -c` (as a process service's does); a list is argv. */
export function commandArgv(command: string | readonly string[]): string[] {
  return typeof command === 'string' ? ['sh', '-c', command] : [...command];
}

/** Volumes as the engine takes them: `/abs:/x[:ro]` binds, `name:/x` named volumes of the project, `/x` alone anonymous ones. */
export function volumeOptions(volumes: readonly string[], project: string): { binds: string[]; anonymous: Record<string, object> } {
  const binds: string[] = [];
  const anonymous: Record<string, object> = {};
  for (const v of volumes) {
    const i = v.indexOf(':');
    if (i < 0) {
      anonymous[v] = {};
      continue;
    }
    const source = v.slice(0, i);
    binds.push(source.startsWith('/') ? v : `${volumeName(project, source)}${v.slice(i)}`);
  }
  return { binds, anonymous };
}

/** A string entrypoint as words (quotes and backslashes as a shell reads them); an unclosed quote splits on blanks only. */
export function entrypointWords(text: string): string[] {
  return splitWords(text) ?? text.split(/\s+/).filter(Boolean);
}
