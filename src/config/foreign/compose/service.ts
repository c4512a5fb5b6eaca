// One compose service as msdev's: each key translated, or a positioned warning saying what msdev ignores.
import type { YAMLMap } from 'yaml';
import { mapOut } from './build-out.js';
import { BASIC_KEYS } from './keys-basic.js';
import { HEALTH_DEPS_KEYS } from './keys-health-deps.js';
import { MOUNT_KEYS } from './keys-ports-volumes.js';
import { mergeNodes } from './merge.js';
import type { ServiceContext, KeyTranslator } from './service-context.js';
import { child, entry, text, type CEntry, type CNode } from './tree.js';

const TRANSLATED: Readonly<Record<string, KeyTranslator>> = { ...BASIC_KEYS, ...MOUNT_KEYS, ...HEALTH_DEPS_KEYS };

/** Why msdev ignores a key (the default: it does not apply it to the container). */
const IGNORED: Readonly<Record<string, string>> = {
  container_name: 'msdev names the container PROJECT-SERVICE',
  hostname: 'other containers reach it by its service name',
  domainname: 'other containers reach it by its service name',
  tmpfs: 'msdev cannot mount a tmpfs yet',
  deploy: 'resources, replicas and placement are not applied locally',
  networks: 'msdev puts every container on one project network (PROJECT-msdev), where each is reached by its service name',
  network_mode: 'msdev puts every container on one project network (PROJECT-msdev)',
  links: 'other containers reach it by its service name on the project network',
  external_links: 'other containers reach it by its service name on the project network',
  extra_hosts: 'msdev maps host.docker.internal only',
  scale: 'msdev runs one container per service',
  pull_policy: 'msdev uses the local image when there is one, else pulls it',
  tty: 'msdev reads the container output through pipes',
  stdin_open: 'msdev does not attach stdin',
};

/** Keys that need nothing from msdev. */
const NEEDLESS = new Set(['init']);

/** The service `name` of the compose file as msdev's service mapping. */
export function translateService(name: string, def: CEntry, sx: Omit<ServiceContext, 'out'>, all: CNode | undefined): YAMLMap {
  const out = mapOut(def.keyAt);
  const ctx: ServiceContext = { ...sx, out };
  const svc = resolveExtends(def.value, name, all, ctx, new Set([name]));
  if (svc.kind !== 'map') {
    if (!(svc.kind === 'scalar' && svc.value === null)) ctx.notes.error(svc, ctx.path, 'expected a mapping of the service\'s keys');
    return out;
  }
  for (const e of svc.entries) {
    if (e.key.startsWith('x-') || e.key === 'extends') continue;
    const t = Object.hasOwn(TRANSLATED, e.key) ? TRANSLATED[e.key] : undefined;
    if (t) t(e, ctx);
    else if (e.key === 'init' && text(e.value) === 'false') ctx.notes.warn(e.keyAt, `${ctx.path}.init`, 'msdev always runs an init as PID 1');
    else if (!NEEDLESS.has(e.key) && !(e.key === 'networks' && onlyDefault(e.value))) {
      ctx.notes.warn(e.keyAt, `${ctx.path}.${e.key}`, `ignored: ${IGNORED[e.key] ?? 'msdev does not apply it to the container'}`);
    }
  }
  if (!entry(svc, 'image') && !entry(svc, 'build')) ctx.notes.error(def.keyAt, ctx.path, 'a compose service needs "image" or "build"');
  return out;
}

function onlyDefault(v: CNode): boolean {
  if (v.kind === 'seq') return v.items.every((i) => text(i) === 'default');
  if (v.kind === 'map') return v.entries.every((e) => e.key === 'default');
  return false;
}

/** `extends: NAME` or `{ service: NAME }` of this file: the base service merged under this one; another file's is warned. */
function resolveExtends(svc: CNode, name: string, all: CNode | undefined, sx: ServiceContext, seen: Set<string>): CNode {
  const ext = entry(svc, 'extends');
  if (!ext) return svc;
  const path = `services.${name}.extends`;
  if (entry(ext.value, 'file')) {
    sx.notes.warn(ext.keyAt, path, 'ignored: msdev reads extends of services in the same file only');
    return svc;
  }
  const baseName = ext.value.kind === 'scalar' ? text(ext.value) : text(child(ext.value, 'service'));
  const base = baseName === undefined ? undefined : child(all, baseName);
  if (baseName === undefined || !base) {
    sx.notes.error(ext.value, path, baseName === undefined ? 'expected a service name or { service }' : `no service "${baseName}" to extend`);
    return svc;
  }
  if (seen.has(baseName)) {
    sx.notes.error(ext.value, path, `extends loops back to "${baseName}"`);
    return svc;
  }
  seen.add(baseName);
  const resolvedBase = resolveExtends(base, baseName, all, sx, seen);
  // As compose does: depends_on of the base service is not inherited.
  const baseNoDeps: CNode = resolvedBase.kind === 'map' ? { ...resolvedBase, entries: resolvedBase.entries.filter((e) => e.key !== 'depends_on') } : resolvedBase;
  return mergeNodes(baseNoDeps, svc) ?? svc;
}
