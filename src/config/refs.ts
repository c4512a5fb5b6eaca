// Second interpolation pass, per service: `${port}`, `${services.NAME.port|host|url|ports.N}`, and `$$` → `$`.
import { mainPort, type ServicePorts } from './assign-ports.js';
import { suggester } from './did-you-mean.js';
import { expand, type Resolution, type VarRef } from './interpolate.js';
import type { ProblemList } from './problem-list.js';
import { escapeControls, quote, shorten } from './quote.js';
import { SERVICE_HOST } from './registry.js';
import type { Late } from './schema-dsl.js';


/** Whose strings are resolved (null: top-level values outside any service) and every service's ports. */
export interface RefContext {
  readonly self: string | null;
  readonly ports: Readonly<Record<string, ServicePorts>>;
}

const hints = new WeakMap<object, (word: string) => string>();

/** One suggester per project (its ports table), so that many unknown names cost bounded work. */
function hintFor(ports: Readonly<Record<string, ServicePorts>>): (word: string) => string {
  let hint = hints.get(ports);
  if (!hint) hints.set(ports, (hint = suggester(Object.keys(ports))));
  return hint;
}

/** What `${name}` refers to, or why it cannot be resolved. */
export function resolveRef(name: string, ref: VarRef, ctx: RefContext): Resolution {
  const shown = escapeControls(shorten(ref.source));
  if (ref.op !== null) return { error: `${shown}: references to ports and services take no default or message` };
  if (name === 'port') {
    if (ctx.self === null) return { error: '${port} only works inside a service' };
    const p = mainPort(ctx.ports[ctx.self] ?? { ports: [] });
    return p === undefined ? { error: `\${port}: service ${quote(ctx.self)} has no port; add "port: auto" (or a number)` } : String(p);
  }
  if (!name.startsWith('services.')) return undefined;
  const [, svc = '', ...rest] = name.split('.');
  const field = rest.join('.');
  const ports = Object.hasOwn(ctx.ports, svc) ? ctx.ports[svc] : undefined;
  if (!ports) return { error: `unknown service ${quote(svc)} in ${shown}${hintFor(ctx.ports)(svc)}` };
  if (field === 'host') return SERVICE_HOST;
  if (field === 'port' || field === 'url') {
    const p = mainPort(ports);
    if (p === undefined) return { error: `${shown}: service ${quote(svc)} has no port (give it "port" or "ports")` };
    return field === 'port' ? String(p) : `http://${SERVICE_HOST}:${p}`;
  }
  const m = /^ports\.(\d+)$/.exec(field);
  if (m) {
    const mapping = ports.ports.find((x) => x.container === Number(m[1]));
    if (mapping) return String(mapping.host);
    const has = ports.ports.map((x) => x.container).join(', ');
    return { error: `${shown}: service ${quote(svc)} publishes no container port ${m[1]}${has ? ` (its ports: ${has})` : ''}` };
  }
  return { error: `unknown reference ${shown}: use services.${shorten(svc)}.port, .host, .url or .ports.CONTAINER_PORT` };
}

/** The final text of a late string; problems are reported at its path. */
export function resolveLate(value: Late, ctx: RefContext, problems: ProblemList): string | undefined {
  if (!value.late.includes('$')) return value.late;
  const e = expand(value.late, (name, ref) => resolveRef(name, ref, ctx), false);
  for (const m of e.errors) problems.add(value.path, m);
  return e.errors.length ? undefined : e.text;
}
