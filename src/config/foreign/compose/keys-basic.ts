// image, build, command, entrypoint, environment, env_file, restart, stop_signal, stop_grace_period, profiles.
import { existsSync } from 'node:fs';
import { ownValue } from '../../records.js';
import { resolvePath } from '../../paths.js';
import { SIGNALS } from '../../schema.js';
import { mapOut, put, sc, seqOut } from './build-out.js';
import { splitWords } from '../../../core/shell-words.js';
import { composeDollars } from './dollars.js';
import { asMap } from './merge.js';
import { badShape, type KeyTranslator, type ServiceContext } from './service-context.js';
import { child, text, type CEntry, type CNode } from './tree.js';

/** A string value as msdev reads it (compose's `$VAR` made `${VAR}`). */
export function str(node: CNode): string | undefined {
  const t = text(node);
  return t === undefined ? undefined : composeDollars(t);
}

const image: KeyTranslator = (e, sx) => {
  const v = str(e.value);
  if (v === undefined) return badShape(e, sx, 'an image name');
  put(sx.out, 'image', sc(v, e.value), e.keyAt);
};

const BUILD_KEYS = new Set(['context', 'dockerfile', 'args', 'target']);

const build: KeyTranslator = (e, sx) => {
  const v = e.value;
  if (v.kind === 'scalar') {
    const ctx = str(v);
    if (ctx === undefined) return badShape(e, sx, 'a context folder or a mapping');
    return put(sx.out, 'build', sc(ctx, v), e.keyAt);
  }
  if (v.kind !== 'map') return badShape(e, sx, 'a context folder or a mapping');
  const out = mapOut(v);
  for (const b of v.entries) {
    const path = `${sx.path}.build.${b.key}`;
    if (!BUILD_KEYS.has(b.key)) {
      if (!b.key.startsWith('x-')) sx.notes.warn(b.keyAt, path, `ignored: msdev builds with context, dockerfile, args and target only`);
      continue;
    }
    if (b.key === 'args') {
      const args = buildArgs(b, sx);
      if (args) put(out, 'args', args, b.keyAt);
      continue;
    }
    const s = str(b.value);
    if (s === undefined) sx.notes.error(b.value, path, 'expected a string');
    else put(out, b.key, sc(s, b.value), b.keyAt);
  }
  put(sx.out, 'build', out, e.keyAt);
};

/** build.args, a mapping or a `KEY=VALUE` list; `KEY` alone takes the shell's value (left out when unset, as compose does). */
function buildArgs(b: CEntry, sx: ServiceContext) {
  const m = asMap(b.value);
  if (m.kind !== 'map') return void badShape(b, sx, 'a mapping or a list of "KEY=VALUE"', b.value, `build.${b.key}`);
  const out = mapOut(m);
  for (const a of m.entries) {
    if (a.value.kind !== 'scalar') sx.notes.error(a.value, `${sx.path}.build.args.${a.key}`, 'expected a string');
    else if (a.value.value === null) {
      const fromShell = ownValue(sx.shell, a.key);
      if (fromShell !== undefined) put(out, a.key, sc(fromShell.replaceAll('$', () => '$$'), a.value), a.keyAt);
    } else put(out, a.key, sc(str(a.value) ?? '', a.value), a.keyAt);
  }
  return out;
}

/** command and entrypoint: compose splits a string into words (no shell), so msdev gets the words as a list. */
const argv: KeyTranslator = (e, sx) => {
  const v = e.value;
  if (v.kind === 'scalar' && v.value === null) return;
  const out = seqOut(v);
  if (v.kind === 'scalar') {
    const words = splitWords(text(v) ?? '');
    if (!words) return sx.notes.error(v, `${sx.path}.${e.key}`, 'a quote is not closed (compose splits this string into words)');
    for (const w of words) out.items.push(sc(composeDollars(w), v));
  } else if (v.kind === 'seq') {
    for (const i of v.items) {
      const s = str(i);
      if (s === undefined) return badShape(e, sx, 'a list of strings', i);
      out.items.push(sc(s, i));
    }
  } else return badShape(e, sx, 'a string or a list of strings');
  put(sx.out, e.key, out, e.keyAt);
};

/** environment: a mapping or a `KEY=VALUE` list; `KEY` alone (or `KEY:` with nothing) takes the shell's value, if it has one. */
const environment: KeyTranslator = (e, sx) => {
  const m = asMap(e.value);
  if (m.kind !== 'map') return badShape(e, sx, 'a mapping or a list of "KEY=VALUE"');
  const out = mapOut(m);
  for (const a of m.entries) {
    if (a.value.kind !== 'scalar') sx.notes.error(a.value, `${sx.path}.environment.${a.key}`, 'expected a string, a number, a boolean or nothing');
    else if (a.value.value !== null) put(out, a.key, sc(str(a.value) ?? '', a.value), a.keyAt);
    else {
      // compose hands the shell's value to the container (a container does not inherit msdev's environment).
      const fromShell = ownValue(sx.shell, a.key);
      if (fromShell !== undefined) put(out, a.key, sc(fromShell.replaceAll('$', () => '$$'), a.value), a.keyAt);
    }
  }
  put(sx.out, 'env', out, e.keyAt);
};

/** env_file: a path, a list of paths, or of `{ path, required, format }`; a missing file with required: false is skipped. */
const envFile: KeyTranslator = (e, sx) => {
  const items = e.value.kind === 'seq' ? e.value.items : [e.value];
  const out = seqOut(e.value);
  for (const item of items) {
    const p = item.kind === 'map' ? child(item, 'path') : item;
    const path = p && str(p);
    if (!p || path === undefined) {
      badShape(e, sx, 'a path, or a list of paths or of { path, required }', item);
      continue;
    }
    const required = text(child(item, 'required'));
    const format = child(item, 'format');
    if (format) sx.notes.warn(format, `${sx.path}.env_file.format`, 'ignored: msdev reads env files in dotenv syntax');
    if (required === 'false' && !path.includes('$') && !existsSync(resolvePath(sx.dir, path, sx.shell))) continue;
    out.items.push(sc(path, p));
  }
  if (out.items.length > 0) put(sx.out, 'env_file', out, e.keyAt);
};

/** restart: no / always / on-failure[:N] / unless-stopped. */
const restart: KeyTranslator = (e, sx) => {
  const t = text(e.value);
  const path = `${sx.path}.restart`;
  if (t === undefined) return badShape(e, sx, 'no, always, on-failure[:N] or unless-stopped');
  if (t.includes('$')) return put(sx.out, 'restart', sc(composeDollars(t), e.value), e.keyAt);
  const m = /^on-failure(?::(\d+))?$/.exec(t);
  if (m) {
    put(sx.out, 'restart', sc('on-failure', e.value), e.keyAt);
    if (m[1] !== undefined) put(sx.out, 'max_restarts', sc(Number(m[1]), e.value), e.keyAt);
  } else if (t === 'always') put(sx.out, 'restart', sc('always', e.value), e.keyAt);
  else if (t === 'unless-stopped') {
    put(sx.out, 'restart', sc('always', e.value), e.keyAt);
  } else if (t === 'no' || t === 'false') {
    // msdev's `restart: no` makes a one-shot (ready only once it exits 0): not what compose means.
    sx.notes.warn(e.value, path, 'msdev restarts a crashed container (on-failure, 5 times); its "no" would mean a one-shot task');
  } else sx.notes.error(e.value, path, `expected no, always, on-failure[:N] or unless-stopped, got "${t}"`);
};

const stopSignal: KeyTranslator = (e, sx) => {
  const t = text(e.value);
  if (t === undefined) return badShape(e, sx, 'a signal name');
  const full = t.startsWith('SIG') ? t : `SIG${t}`;
  if (!(SIGNALS as readonly string[]).includes(full) && !t.includes('$')) {
    return sx.notes.warn(e.value, `${sx.path}.stop_signal`, `msdev cannot send ${t}; it sends SIGTERM (it sends ${SIGNALS.join(', ')})`);
  }
  put(sx.out, 'stop_signal', sc(composeDollars(t), e.value), e.keyAt);
};

const stopGracePeriod: KeyTranslator = (e, sx) => {
  const t = str(e.value);
  if (t === undefined) return badShape(e, sx, 'a duration');
  put(sx.out, 'stop_timeout', sc(t, e.value), e.keyAt);
};

const profiles: KeyTranslator = (e, sx) => {
  if (e.value.kind !== 'seq') return badShape(e, sx, 'a list of profile names');
  const out = seqOut(e.value);
  for (const i of e.value.items) out.items.push(sc(str(i) ?? '', i));
  put(sx.out, 'profiles', out, e.keyAt);
};

/** user, working_dir: a string, as it is (interpolated). */
const plain =
  (key: 'user' | 'working_dir'): KeyTranslator =>
  (e, sx) => {
    const t = str(e.value);
    if (t === undefined) return badShape(e, sx, 'a string');
    put(sx.out, key, sc(composeDollars(t), e.value), e.keyAt);
  };

/** labels: a mapping or a list of "KEY=VALUE". */
const labels: KeyTranslator = (e, sx) => {
  const m = asMap(e.value);
  if (m.kind !== 'map') return badShape(e, sx, 'a mapping or a list of "KEY=VALUE"');
  const out = mapOut(m);
  for (const a of m.entries) {
    if (a.value.kind !== 'scalar') sx.notes.error(a.value, `${sx.path}.labels.${a.key}`, 'expected a string, a number or a boolean');
    else put(out, a.key, sc(composeDollars(str(a.value) ?? ''), a.value), a.keyAt);
  }
  put(sx.out, 'labels', out, e.keyAt);
};

/** The keys of this file. */
export const BASIC_KEYS: Readonly<Record<string, KeyTranslator>> = {
  image,
  build,
  command: argv,
  entrypoint: argv,
  environment,
  env_file: envFile,
  restart,
  stop_signal: stopSignal,
  stop_grace_period: stopGracePeriod,
  profiles,
  user: plain('user'),
  working_dir: plain('working_dir'),
  labels,
};
