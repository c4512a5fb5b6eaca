// The local service registry: environment variables by which a service (or `msdev run`'s command)
// finds another by name: S_HOST, S_PORT, S_URL (S upper-cased, `-` → `_`).
import type { ProjectConfig, ServiceSpec } from './model.js';

/** The host every service is reached on. */
export const SERVICE_HOST = '127.0.0.1';

/** `my-db` → `MY_DB`: the prefix of a service's registry variables. */
export function envPrefix(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

/** The port a service is reached on: its own `port`, else (containers) its first published TCP host port. */
export function servicePort(spec: Pick<ServiceSpec, 'port' | 'ports'>): number | undefined {
  return spec.port ?? spec.ports.find((p) => p.protocol === 'tcp')?.host;
}

/** S_HOST, S_PORT, S_URL for each named service that has a port. */
export function registryVars(ports: Iterable<readonly [name: string, port: number | undefined]>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, p] of ports) {
    if (p === undefined) continue;
    const prefix = envPrefix(name);
    env[`${prefix}_HOST`] = SERVICE_HOST;
    env[`${prefix}_PORT`] = String(p);
    env[`${prefix}_URL`] = `http://${SERVICE_HOST}:${p}`;
  }
  return env;
}

/** The registry as a command outside the services sees it (`msdev run -- CMD`): MSDEV_PROJECT and S_HOST/S_PORT/S_URL of every active service with a port. */
export function registryEnv(config: ProjectConfig): Record<string, string> {
  const ports = config.active.map((n) => [n, config.services[n] ? servicePort(config.services[n]) : undefined] as const);
  return { MSDEV_PROJECT: config.name, ...registryVars(ports) };
}
