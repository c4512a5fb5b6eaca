// Ports of every service: `port: auto` and "CONTAINER"-only entries get free ports now; fixed
// host ports used twice among active services are problems.
import type { PortMapping } from './model.js';
import type { FixedPort } from './config-source.js';
import { parsePortEntry } from './port-spec.js';
import { emptyRecord } from './records.js';
import { servicePort } from './registry.js';
import { formatPath, type ProblemList } from './problem-list.js';
import type { RawService } from './schema.js';

/** The resolved ports of one service. */
export interface ServicePorts {
  /** The service's own port (`port:`). */
  readonly port?: number;
  readonly ports: readonly PortMapping[];
}

/** Ports of every service, and the fixed ones among them. */
export interface AssignedPorts {
  readonly table: Readonly<Record<string, ServicePorts>>;
  readonly fixed: readonly FixedPort[];
}

/** Picks a free port; injectable for tests. */
export type PortPicker = () => Promise<number>;

/** The port a service is reached on: its own `port`, else (containers) the first published host port. */
export function mainPort(p: ServicePorts): number | undefined {
  return servicePort(p);
}

/** The port a container listens on inside its network (its own PORT, what other containers reach): its `port`, else the container side of its first TCP entry. */
export function containerPort(p: ServicePorts): number | undefined {
  return p.port ?? p.ports.find((m) => m.protocol === 'tcp')?.container;
}

/**
 * Resolves `auto` and ephemeral ports and reports fixed ports that two active services both claim. A
 * service in `keep` (a reload of a running stack) gets the port it had for `auto`, and the host port it
 * had for an ephemeral entry of the same container port, unless a fixed port now claims it.
 */
export async function assignPorts(
  services: Readonly<Record<string, RawService>>,
  active: ReadonlySet<string>,
  problems: ProblemList,
  pick: PortPicker,
  keep: Readonly<Record<string, ServicePorts>> = {},
): Promise<AssignedPorts> {
  const fixed: FixedPort[] = [];
  for (const [name, svc] of Object.entries(services)) {
    if (typeof svc.port === 'number') fixed.push(fixedPort(name, svc.port, '127.0.0.1', 'tcp', ['services', name, 'port']));
    (svc.ports ?? []).forEach((entry, i) => {
      const e = parsePortEntry(entry);
      if (!('error' in e) && e.host !== undefined) fixed.push(fixedPort(name, e.host, e.ip, e.protocol, ['services', name, 'ports', i], e.container));
    });
  }
  reportClashes(fixed.filter((f) => active.has(f.service)), problems);

  const taken = new Set(fixed.map((f) => f.port));
  const fresh = async (): Promise<number> => {
    for (let i = 0; i < 50; i++) {
      const p = await pick();
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
    throw new Error('could not find a free port');
  };
  const table = emptyRecord<ServicePorts>();
  const kept = (port: number | undefined): number | undefined => {
    if (port === undefined || taken.has(port)) return undefined;
    taken.add(port);
    return port;
  };
  for (const [name, svc] of Object.entries(services)) {
    const before = Object.hasOwn(keep, name) ? keep[name] : undefined;
    const port = svc.port === 'auto' ? (kept(before?.port) ?? (await fresh())) : svc.port;
    const ports: PortMapping[] = [];
    for (const entry of svc.ports ?? []) {
      const e = parsePortEntry(entry);
      if ('error' in e) continue;
      const had = e.host === undefined ? before?.ports.find((m) => m.container === e.container && m.protocol === e.protocol)?.host : undefined;
      ports.push({ ip: e.ip, host: e.host ?? kept(had) ?? (await fresh()), container: e.container, protocol: e.protocol });
    }
    table[name] = port === undefined ? { ports } : { port, ports };
  }
  return { table, fixed };
}

function fixedPort(service: string, port: number, ip: string, protocol: 'tcp' | 'udp', path: FixedPort['path'], container?: number): FixedPort {
  const base = { service, port, ip, protocol, path, pathText: formatPath(path) };
  return container === undefined ? base : { ...base, container };
}

function reportClashes(fixed: readonly FixedPort[], problems: ProblemList): void {
  const first = new Map<string, FixedPort>();
  for (const f of fixed) {
    const key = `${f.protocol}:${f.port}`;
    const prev = first.get(key);
    if (!prev) {
      first.set(key, f);
      continue;
    }
    if (prev.service === f.service) {
      if (prev.path[2] === 'ports' && f.path[2] === 'ports') problems.add(f.path, `host port ${f.port} is listed twice`);
      continue;
    }
    problems.add(f.path, `port ${f.port} is also used by service "${prev.service}" (${prev.pathText}); two services cannot both bind it`);
  }
}
