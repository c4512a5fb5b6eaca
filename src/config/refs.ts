// Second interpolation pass, per service: `${port}`, `${services.NAME.port|host|url|ports.N}`, and `$$` → `$`.
import { mainPort, type ServicePorts } from './assign-ports.js';
import { didYouMean } from './did-you-mean.js';
import { expand, type Resolution, type VarRef } from './interpolate.js';
import type { ProblemList } from './problem-list.js';
import { SERVICE_HOST } from './registry.js';
import type { Late } from './schema-dsl.js';


/** Whose strings are resolved (null: top-level values outside any service) and every service's ports. */
export interface RefContext {
  readonly self: string | null;
  readonly ports: Readonly<Record<string, ServicePorts>>;
}

/** What `${name}` refers to, or why it cannot be resolved. */
export function resolveRef(name: string, ref: VarRef, ctx: RefContext): Resolution {
  if (ref.op !== null) return { error: `${ref.source}: references to ports and services take no default or message` };
  if (name === 'port') {
    if (ctx.self === null) return { error: '${port} only works inside a service' };
    const p = mainPort(ctx.ports[ctx.self] ?? { ports: [] });
    return p === undefined ? { error: `\${port}: service "${ctx.self}" has no port; add "port: auto" (or a number)` } : String(p);
  }
  if (!name.startsWith('services.')) return undefined;
  const [, svc = '', ...rest] = name.split('.');
  const field = rest.join('.');
  const ports = Object.hasOwn(ctx.ports, svc) ? ctx.ports[svc] : undefined;
  if (!ports) return { error: `unknown service "${svc}" in ${ref.source}${didYouMean(svc, Object.keys(ctx.ports))}` };
  if (field === 'host') return SERVICE_HOST;
  if (field === 'port' || field === 'url') {
    const p = mainPort(ports);
    if (p === undefined) return { error: `${ref.source}: service "${svc}" has no port (give it "port" or "ports")` };
    return field === 'port' ? String(p) : `http://${SERVICE_HOST}:${p}`;
  }
  const m = /^ports\.(\d+)$/.exec(field);
  if (m) {
    const mapping = ports.ports.find((x) => x.container === Number(m[1]));
    if (mapping) return String(mapping.host);
    const has = ports.ports.map((x) => x.container).join(', ');
    return { error: `${ref.source}: service "${svc}" publishes no container port ${m[1]}${has ? ` (its ports: ${has})` : ''}` };
  }
  return { error: `unknown reference ${ref.source}: use services.${svc}.port, .host, .url or .ports.CONTAINER_PORT` };
}

/** The final text of a late string; problems are reported at its path. */
export function resolveLate(value: Late, ctx: RefContext, problems: ProblemList): string | undefined {
  if (!value.late.includes('$')) return value.late;
  const e = expand(value.late, (name, ref) => resolveRef(name, ref, ctx), false);
  for (const m of e.errors) problems.add(value.path, m);
  return e.errors.length ? undefined : e.text;
}
