// The environment msdev gives a service on top of its own (ServiceSpec.env), lowest to highest:
// top-level env files (only keys the shell does not set) → top-level env → the registry
// (MSDEV_PROJECT, MSDEV_SERVICE, PORT, S_HOST/S_PORT/S_URL) → service env files → service env.
import { mainPort, type ServicePorts } from './assign-ports.js';
import { ownValue } from './records.js';
import { registryVars } from './registry.js';

/** S_HOST/S_PORT/S_URL of every active service with a port: the same for every service, so computed once per project. */
export function activeRegistry(active: readonly string[], ports: Readonly<Record<string, ServicePorts>>): Readonly<Record<string, string>> {
  return registryVars(active.map((s) => [s, Object.hasOwn(ports, s) ? mainPort(ports[s]!) : undefined] as const));
}

/** The registry variables a service gets: MSDEV_PROJECT, MSDEV_SERVICE, PORT (its own port), then `shared` (activeRegistry, the same object for every service). */
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
