// A compose file (compose specification) read as it is: its services become msdev's, with `compose.override.yaml`
// beside it merged as compose merges, `.env` beside it for `${VAR}` interpolation only, and a positioned
// warning for everything msdev ignores.
// Positions with an override: what this reader says itself (warnings, errors of shape) points into the file the
// value was written in, the override included. msdev's document has the main file's positions only, so a problem
// the validator finds later in a value that came from the override (a bad duration, an unknown depends_on name, a
// busy port) is pointed at that service's name in the main file (or at `services:` for a service only the
// override has), with the key path still naming the key.
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseEnvFile } from '../../env-file.js';
import { MIB, readBounded } from '../../read-bounded.js';
import type { ConfigProblem } from '../../errors.js';
import { parseYaml, type YamlSource } from '../../yaml-source.js';
import { rangeOf, type Range } from '../node-build.js';
import type { TranslateContext, YamlTranslation } from '../translate.js';
import { mapOut, put, sc } from './build-out.js';
import { mergeFiles } from './merge.js';
import { Notes } from './notes.js';
import { translateService } from './service.js';
import { child, entry, readTree, text, type CMap, type CNode, type Src } from './tree.js';

/** Top-level keys and why msdev ignores them (volumes/secrets/configs are read where services use them). */
const TOP_IGNORED: Readonly<Record<string, string>> = {
  version: 'obsolete in the compose specification',
  networks: 'msdev puts every container on one project network (PROJECT-msdev)',
  include: 'msdev reads one compose file (and its override)',
  models: 'msdev does not run models',
};

/** Translates a parsed compose file (and its override) into msdev's document. */
export async function translateCompose(parsed: YamlSource, ctx: TranslateContext): Promise<YamlTranslation> {
  const notes = new Notes();
  const main: Src = { file: ctx.file, source: parsed, main: true };
  const top = readTree(main, () => null);
  const root = mapOut({ src: main, node: parsed.doc.contents, range: [0, 0, 0] });
  if ('tooBig' in top) return { root, errors: [problem(ctx.file, 'the file is too large to read as a compose file')], warnings: [] };
  const override = await readOverride(ctx, top);
  if (override && 'errors' in override) return { root, errors: override.errors, warnings: [] };
  const file = override ? mergeFiles(top, override.tree) : top;
  if (file.kind !== 'map') return { root, errors: [problem(ctx.file, 'expected a mapping at the top (services, volumes, …)')], warnings: [] };

  for (const e of file.entries) {
    if (e.key.startsWith('x-') || ['services', 'volumes', 'secrets', 'configs', 'name'].includes(e.key)) continue;
    notes.warn(e.keyAt, e.key, `ignored: ${TOP_IGNORED[e.key] ?? 'not a key msdev reads in a compose file'}`);
  }
  const nameEntry = entry(file, 'name');
  const name = text(nameEntry?.value);
  if (nameEntry && name !== undefined) put(root, 'name', sc(name, nameEntry.value), nameEntry.keyAt);
  topDeclarations(file, notes);

  const services = entry(file, 'services');
  if (!services) {
    notes.error(file, '', 'a compose file needs "services:"');
    return { root, errors: notes.errors, warnings: notes.warnings };
  }
  const outServices = mapOut(services.value);
  const names = new Set(services.value.kind === 'map' ? services.value.entries.map((e) => e.key) : []);
  if (services.value.kind !== 'map' && !(services.value.kind === 'scalar' && services.value.value === null)) notes.error(services.value, 'services', 'expected a mapping of services');
  for (const def of services.value.kind === 'map' ? services.value.entries : []) {
    const sx = { name: def.key, path: `services.${def.key}`, notes, dir: ctx.dir, shell: ctx.shell, services: names, volumes: child(file, 'volumes'), secrets: child(file, 'secrets'), configs: child(file, 'configs') };
    put(outServices, def.key, translateService(def.key, def, sx, services.value), def.keyAt);
  }
  put(root, 'services', outServices, services.keyAt);
  return { root, errors: notes.errors, warnings: notes.warnings, interpolationVars: await dotEnv(ctx) };
}

/** What msdev cannot honour in the top-level volumes, secrets and configs. */
function topDeclarations(file: CNode, notes: Notes): void {
  for (const e of child(file, 'volumes')?.kind === 'map' ? (child(file, 'volumes') as CMap).entries : []) {
    for (const k of child(e.value, 'external') || child(e.value, 'name') || child(e.value, 'driver') || child(e.value, 'driver_opts') ? (e.value as CMap).entries : []) {
      if (!k.key.startsWith('x-') && k.key !== 'labels') notes.warn(k.keyAt, `volumes.${e.key}.${k.key}`, `ignored: msdev uses the local volume PROJECT_${e.key}`);
    }
  }
  for (const kind of ['secrets', 'configs'] as const) {
    for (const e of child(file, kind)?.kind === 'map' ? (child(file, kind) as CMap).entries : []) {
      if (!child(e.value, 'file') && !e.key.startsWith('x-')) notes.warn(e.keyAt, `${kind}.${e.key}`, `ignored: msdev mounts ${kind} declared with "file:" only`);
    }
  }
}

/** compose.override.yaml (or .yml) beside the file, read with its values placed at their service in the main file. */
async function readOverride(ctx: TranslateContext, top: CNode): Promise<{ tree: CNode } | { errors: ConfigProblem[] } | null> {
  if (!/^(docker-)?compose\.ya?ml$/i.test(basename(ctx.path))) return null;
  const prefix = basename(ctx.path).startsWith('docker-') ? 'docker-compose' : 'compose';
  const found = [`${prefix}.override.yaml`, `${prefix}.override.yml`].find((n) => isFile(join(ctx.dir, n)));
  if (!found) return null;
  const shown = join(dirname(ctx.file), found);
  const read = await readBounded(join(ctx.dir, found), 10 * MIB);
  if ('problem' in read) return { errors: [problem(shown, `the override file ${read.problem}`)] };
  const source = parseYaml(read.text, shown);
  if (source.problems.length > 0) return { errors: [...source.problems] };
  const services = entry(top, 'services');
  const fallback: Range = rangeOf(services?.keyAt.node) ?? [0, 0, 0];
  // A value of the override has no place in the main file: it is shown at its service there (or at services:).
  const anchor = (path: readonly string[]): Range => {
    const svc = path[0] === 'services' && path[1] !== undefined ? entry(services?.value, path[1]) : undefined;
    return (svc && rangeOf(svc.keyAt.node)) ?? fallback;
  };
  const tree = readTree({ file: shown, source, main: false }, anchor);
  if ('tooBig' in tree) return { errors: [problem(shown, 'the file is too large to read as a compose file')] };
  return { tree };
}

/** The `.env` beside the file: variables for interpolation only, as compose reads it. */
async function dotEnv(ctx: TranslateContext): Promise<Record<string, string>> {
  const p = join(ctx.dir, '.env');
  if (!isFile(p)) return {};
  const read = await readBounded(p, MIB);
  return 'problem' in read ? {} : { ...parseEnvFile(read.text).vars };
}

function problem(file: string, message: string): ConfigProblem {
  return { file, line: 1, col: 1, path: '', message };
}

function isFile(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}
