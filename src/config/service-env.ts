// The environment msdev gives a service on top of its own (ServiceSpec.env), lowest to highest:
// top-level env files (only keys the shell does not set) → top-level env → the registry
// (MSDEV_PROJECT, MSDEV_SERVICE, PORT, S_HOST/S_PORT/S_URL) → service env files → service env.
// A container's registry is the containers' view: peers by service name, processes on host.docker.internal.
import { containerPort, mainPort, type ServicePorts } from './assign-ports.js';
import { ownValue } from './records.js';
import { addressVars, HOST_FROM_CONTAINER, registryVars, type Address } from './registry.js';

/** S_HOST/S_PORT/S_URL of every active service with a port: the same for every service, so computed once per project. */
export function activeRegistry(active: readonly string[], ports: Readonly<Record<string, ServicePorts>>): Readonly<Record<string, string>> {
  return registryVars(active.map((s) => [s, Object.hasOwn(ports, s) ? mainPort(ports[s]!) : undefined] as const));
}

/**
 * The registry as a container sees it: another container by its service name (the project network)
 * on the port it listens on inside (containerPort); a process on host.docker.internal and its port.
 */
export function containerRegistry(
  active: readonly string[],
  ports: Readonly<Record<string, ServicePorts>>,
  containers: ReadonlySet<string>,
): Readonly<Record<string, string>> {
  return addressVars(
    active.map((s): readonly [string, Address | undefined] => {
      const p = Object.hasOwn(ports, s) ? ports[s]! : undefined;
      const port = p === undefined ? undefined : containers.has(s) ? containerPort(p) : mainPort(p);
      return [s, port === undefined ? undefined : { host: containers.has(s) ? s : HOST_FROM_CONTAINER, port }];
    }),
  );
}

/** The two shared registries: the host's view (processes) and, computed on first use, the containers' view. */
export interface SharedRegistries {
  readonly host: Readonly<Record<string, string>>;
  container(): Readonly<Record<string, string>>;
}

/** Both views of the registry of the active services, each computed once per project (not per service). */
export function sharedRegistries(active: readonly string[], ports: Readonly<Record<string, ServicePorts>>, containers: ReadonlySet<string>): SharedRegistries {
  let inside: Readonly<Record<string, string>> | undefined;
  return {
    host: activeRegistry(active, ports),
    container: () => (inside ??= containerRegistry(active, ports, containers)),
  };
}

/** The registry variables a service gets: MSDEV_PROJECT, MSDEV_SERVICE, PORT (its own port), then `shared` (one view of sharedRegistries, the same object for every service of a kind). */
export function serviceRegistryEnv(project: string, self: string, ownPort: number | undefined, shared: Readonly<Record<string, string>>): readonly Readonly<Record<string, string>>[] {
  const own: Record<string, string> = { MSDEV_PROJECT: project, MSDEV_SERVICE: self };
  if (ownPort !== undefined) own.PORT = String(ownPort);
  return [own, shared];
}

/** The layers of a service's environment, each already resolved. `null` in a layer removes the key (the shell value passes through). */
export interface EnvLayers {
  readonly globalFiles: Readonly<Record<string, string>>;
  readonly shell: NodeJS.ProcessEnv;
  readonly global: Readonly<Record<string, string | null>>;
  /** Applied in order. */
  readonly registry: readonly Readonly<Record<string, string>>[];
  readonly serviceFiles: Readonly<Record<string, string>>;
  readonly service: Readonly<Record<string, string | null>>;
}

/** Merges the layers in order. The result is a plain object built with Object.fromEntries, so any name (`__proto__` too) is an own key. */
export function mergeEnv(layers: EnvLayers): Record<string, string> {
  const env = new Map<string, string>();
  for (const k of Object.keys(layers.globalFiles)) if (ownValue(layers.shell, k) === undefined) env.set(k, layers.globalFiles[k]!);
  const apply = (layer: Readonly<Record<string, string | null>>): void => {
    for (const k of Object.keys(layer)) {
      const v = layer[k]!;
      if (v === null) env.delete(k);
      else env.set(k, v);
    }
  };
  apply(layers.global);
  for (const r of layers.registry) apply(r);
  apply(layers.serviceFiles);
  apply(layers.service);
  return Object.fromEntries(env);
}
