// ports (short and long syntax), expose, volumes (short and long syntax), secrets and configs backed by files.
import type { YAMLSeq } from 'yaml';
import { put, sc, seqOut } from './build-out.js';
import { composeDollars } from './dollars.js';
import { str } from './keys-basic.js';
import { badShape, type KeyTranslator, type ServiceContext } from './service-context.js';
import { child, entry, text, type CNode, type Loc } from './tree.js';

/** A port range longer than this is not expanded into entries. */
const MAX_RANGE = 100;

const SHORT_PORT = /^(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]*\]|[0-9a-fA-F]*:[0-9a-fA-F:]*)?:)??(?:(\d+)(?:-(\d+))?:)?(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/;

/** ports: each entry as msdev's "IP:HOST:CONTAINER/proto" strings (ranges expanded). */
const ports: KeyTranslator = (e, sx) => {
  if (e.value.kind !== 'seq') return badShape(e, sx, 'a list of ports');
  const out = seqOut(e.value);
  e.value.items.forEach((item, i) => {
    const path = `${sx.path}.ports.${i}`;
    if (item.kind === 'map') return longPort(item, path, out, sx);
    const t = text(item);
    if (t === undefined) return sx.notes.error(item, path, 'expected a port entry like "8080:80" or a mapping { target, published }');
    if (t.includes('$')) return void out.items.push(sc(composeDollars(t), item));
    const m = SHORT_PORT.exec(t.trim());
    if (!m) return void out.items.push(sc(t, item)); // msdev's validation says what is wrong with it
    const [, ip, hostFrom, hostTo, ctrFrom = '', ctrTo, proto] = m;
    addPorts(item, path, out, sx, { ip, host: hostFrom ? [Number(hostFrom), Number(hostTo ?? hostFrom)] : null, container: [Number(ctrFrom), Number(ctrTo ?? ctrFrom)], proto });
  });
  if (out.items.length > 0) put(sx.out, 'ports', out, e.keyAt);
};

interface PortSpec {
  readonly ip: string | undefined;
  readonly host: readonly [number, number] | null;
  readonly container: readonly [number, number];
  readonly proto: string | undefined;
}

function addPorts(item: CNode, path: string, out: YAMLSeq, sx: ServiceContext, p: PortSpec): void {
  if (p.proto === 'sctp') return sx.notes.warn(item, path, 'ignored: msdev publishes tcp and udp ports only');
  let ip = p.ip;
  if (ip !== undefined && !/^\d/.test(ip)) {
    sx.notes.warn(item, path, `msdev binds IPv4 only: published on 127.0.0.1 instead of ${ip}`);
    ip = undefined;
  }
  const [c0, c1] = p.container;
  const count = c1 - c0 + 1;
  if (count < 1 || count > MAX_RANGE) return sx.notes.error(item, path, `a port range of 1 to ${MAX_RANGE} ports is expected, got ${c0}-${c1}`);
  // A host range as long as the container range maps one to one; any other host range: msdev picks free ports.
  const hostRange = p.host && p.host[1] - p.host[0] + 1 === count ? p.host : null;
  if (p.host && !hostRange) sx.notes.warn(item, path, 'msdev picks a free host port for each container port (the host range is not used)');
  for (let k = 0; k < count; k++) {
    const host = hostRange ? `${hostRange[0] + k}:` : '';
    const pre = ip !== undefined ? `${ip}:${host || ':'}` : host;
    out.items.push(sc(`${pre}${c0 + k}${p.proto === 'udp' ? '/udp' : ''}`, item));
  }
}

function longPort(item: CNode, path: string, out: YAMLSeq, sx: ServiceContext): void {
  const target = text(child(item, 'target'));
  if (target === undefined) return sx.notes.error(item, path, 'a port mapping needs "target" (the container port)');
  for (const k of ['mode', 'app_protocol', 'name']) {
    const en = entry(item, k);
    if (en) sx.notes.warn(en.keyAt, `${path}.${k}`, 'ignored by msdev');
  }
  const published = text(child(item, 'published'));
  const ip = text(child(item, 'host_ip'));
  const proto = text(child(item, 'protocol'));
  const range = (t: string): [number, number] | null => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(t);
    return m ? [Number(m[1]), Number(m[2] ?? m[1])] : null;
  };
  const container = range(target);
  const host = published === undefined || published === '' ? null : range(published);
  if (!container || (published && !host)) {
    const t = `${ip ? `${ip}:` : ''}${published ? `${published}:` : ''}${target}${proto && proto !== 'tcp' ? `/${proto}` : ''}`;
    return void out.items.push(sc(composeDollars(t), item));
  }
  addPorts(item, path, out, sx, { ip, host, container, proto });
}

/** expose: only says which ports a container listens on; every port is reachable on the project network anyway. */
const expose: KeyTranslator = (e, sx) => {
  sx.notes.warn(e.keyAt, `${sx.path}.expose`, 'ignored: containers reach each other on every port on the project network; publish with "ports" to reach it from the host');
};

/** volumes: bind mounts, named volumes (declared at the top), anonymous volumes; long syntax too. */
const volumes: KeyTranslator = (e, sx) => {
  if (e.value.kind !== 'seq') return badShape(e, sx, 'a list of volumes');
  const out = seqOut(e.value);
  e.value.items.forEach((item, i) => {
    const path = `${sx.path}.volumes.${i}`;
    const v = item.kind === 'map' ? longVolume(item, path, sx) : str(item);
    if (v === undefined) return item.kind === 'map' ? undefined : sx.notes.error(item, path, 'expected "SOURCE:TARGET[:MODE]" or a mapping { type, source, target }');
    const source = v.split(':')[0] ?? '';
    if (v.includes(':') && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) && !declared(sx.volumes, source)) {
      return sx.notes.error(item, path, `named volume "${source}" is not declared under the top-level "volumes:" (compose refuses it too)`);
    }
    out.items.push(sc(v, item));
  });
  addVolumes(sx, out, e);
};

/** Adds mounts to msdev's `volumes` (volumes, secrets and configs all become mounts). */
function addVolumes(sx: ServiceContext, out: YAMLSeq, e: { readonly keyAt: Loc }): void {
  if (out.items.length === 0) return;
  const existing = sx.out.items.find((p) => (p.key as { value?: unknown }).value === 'volumes');
  if (existing) (existing.value as YAMLSeq).items.push(...out.items);
  else put(sx.out, 'volumes', out, e.keyAt);
}

function declared(top: CNode | undefined, name: string): boolean {
  return entry(top, name) !== undefined;
}

function longVolume(item: CNode, path: string, sx: ServiceContext): string | undefined {
  const type = text(child(item, 'type')) ?? 'volume';
  const source = str(child(item, 'source') ?? { kind: 'scalar', at: item.at, value: null });
  const target = str(child(item, 'target') ?? { kind: 'scalar', at: item.at, value: null });
  if (target === undefined) return void sx.notes.error(item, path, 'a volume mapping needs "target" (the path in the container)');
  if (type !== 'bind' && type !== 'volume') return void sx.notes.warn(item, path, `ignored: msdev mounts bind and volume types only, not ${type}`);
  for (const k of ['bind', 'volume', 'tmpfs', 'consistency', 'image']) {
    const en = entry(item, k);
    if (en) sx.notes.warn(en.keyAt, `${path}.${k}`, 'ignored by msdev');
  }
  const ro = text(child(item, 'read_only')) === 'true' ? ':ro' : '';
  if (source === undefined || source === '') return target;
  // A bind's source is a path even without ./ (which short syntax would take for a volume name).
  const src = type === 'bind' && !/^([./~]|\$\{)/.test(source) ? `./${source}` : source;
  return `${src}:${target}${ro}`;
}

/** secrets and configs backed by a file: mounted read-only where compose mounts them; other kinds warned. */
function fileMounts(kind: 'secrets' | 'configs'): KeyTranslator {
  return (e, sx) => {
    if (e.value.kind !== 'seq') return badShape(e, sx, `a list of ${kind}`);
    const top = kind === 'secrets' ? sx.secrets : sx.configs;
    const out = seqOut(e.value);
    e.value.items.forEach((item, i) => {
      const path = `${sx.path}.${kind}.${i}`;
      const name = item.kind === 'map' ? text(child(item, 'source')) : text(item);
      if (name === undefined) return sx.notes.error(item, path, `expected a name of the top-level "${kind}:" or { source, target }`);
      const file = str(child(child(top, name), 'file') ?? { kind: 'scalar', at: item.at, value: null });
      if (!entry(top, name)) return sx.notes.error(item, path, `"${name}" is not declared under the top-level "${kind}:"`);
      if (file === undefined) return sx.notes.warn(item, path, `ignored: msdev mounts ${kind} declared with "file:" only`);
      const target = text(child(item, 'target')) ?? (kind === 'secrets' ? name : `/${name}`);
      const abs = target.startsWith('/') ? target : `/run/secrets/${target}`;
      const src = /^([./~]|\$\{)/.test(file) ? file : `./${file}`;
      out.items.push(sc(`${src}:${abs}:ro`, item));
      for (const k of ['uid', 'gid', 'mode']) if (entry(item, k)) sx.notes.warn(entry(item, k)!.keyAt, `${path}.${k}`, 'ignored by msdev');
    });
    addVolumes(sx, out, e);
  };
}

/** The keys of this file. */
export const MOUNT_KEYS: Readonly<Record<string, KeyTranslator>> = { ports, expose, volumes, secrets: fileMounts('secrets'), configs: fileMounts('configs') };
