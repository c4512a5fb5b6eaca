// The local service registry: environment variables by which a service (or `msdev run`'s command)
// finds another by name: S_HOST, S_PORT, S_URL (S upper-cased, `-` → `_`).
import type { ProjectConfig, ServiceSpec } from './model.js';

/** The host every service is reached on (from the host: processes, probes, `msdev run`). */
export const SERVICE_HOST = '127.0.0.1';

/** The host a container reaches the host's processes on (the runtime maps it to the host gateway in every container). */
export const HOST_FROM_CONTAINER = 'host.docker.internal';

/** `my-db` → `MY_DB`: the prefix of a service's registry variables. */
export function envPrefix(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

/** The port a service is reached on: its own `port`, else (containers) its first published TCP host port. */
export function servicePort(spec: Pick<ServiceSpec, 'port' | 'ports'>): number | undefined {
  return spec.port ?? spec.ports.find((p) => p.protocol === 'tcp')?.host;
}

/** Where one service is reached, from some point of view. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** S_HOST, S_PORT, S_URL for each named service that has an address. */
export function addressVars(addresses: Iterable<readonly [name: string, address: Address | undefined]>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, a] of addresses) {
    if (a === undefined) continue;
    const prefix = envPrefix(name);
    env[`${prefix}_HOST`] = a.host;
    env[`${prefix}_PORT`] = String(a.port);
    env[`${prefix}_URL`] = `http://${a.host}:${a.port}`;
  }
  return env;
}

/** S_HOST, S_PORT, S_URL for each named service that has a port, reached on 127.0.0.1 (the host's view). */
export function registryVars(ports: Iterable<readonly [name: string, port: number | undefined]>): Record<string, string> {
  const out: [string, Address | undefined][] = [];
  for (const [name, port] of ports) out.push([name, port === undefined ? undefined : { host: SERVICE_HOST, port }]);
  return addressVars(out);
}

/** The registry as a command outside the services sees it (`msdev run -- CMD`): MSDEV_PROJECT and S_HOST/S_PORT/S_URL of every active service with a port. */
export function registryEnv(config: ProjectConfig): Record<string, string> {
  const ports = config.active.map((n) => [n, config.services[n] ? servicePort(config.services[n]) : undefined] as const);
  return { MSDEV_PROJECT: config.name, ...registryVars(ports) };
}
