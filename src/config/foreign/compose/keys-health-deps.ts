// healthcheck, depends_on and develop.watch.
import { mapOut, put, sc, seqOut } from './build-out.js';
import { composeDollars, shellWord } from './dollars.js';
import { str } from './keys-basic.js';
import { badShape, type KeyTranslator } from './service-context.js';
import { child, entry, text, type CNode } from './tree.js';

const HEALTH_TIMES = ['interval', 'timeout', 'start_period', 'start_interval'] as const;

/** healthcheck: test (CMD, CMD-SHELL, NONE or a string) runs inside the container as msdev's exec probe. */
const healthcheck: KeyTranslator = (e, sx) => {
  const h = e.value;
  const path = `${sx.path}.healthcheck`;
  if (h.kind !== 'map') return badShape(e, sx, 'a mapping { test, interval, timeout, retries, … }');
  if (text(child(h, 'disable')) === 'true') return sx.notes.warn(e.keyAt, `${path}.disable`, "msdev cannot switch off the image's own HEALTHCHECK; it still decides when the service is healthy");
  const test = child(h, 'test');
  if (!test) return sx.notes.warn(e.keyAt, path, "ignored: without \"test\" the image's HEALTHCHECK decides (msdev cannot change its timing)");
  const t = testCommand(test);
  if (t === 'none') return sx.notes.warn(test, `${path}.test`, "msdev cannot switch off the image's own HEALTHCHECK; it still decides when the service is healthy");
  if (t === null) return sx.notes.error(test, `${path}.test`, 'expected a string, or a list starting with CMD, CMD-SHELL or NONE');
  const out = mapOut(h);
  put(out, 'exec', sc(t.exec, test), entry(h, 'test')!.keyAt);
  for (const k of HEALTH_TIMES) {
    const en = entry(h, k);
    const t = en && str(en.value);
    if (en && t !== undefined) put(out, k, sc(t, en.value), en.keyAt);
  }
  const retries = entry(h, 'retries');
  if (retries) {
    const t = text(retries.value);
    if (t === '0') sx.notes.warn(retries.value, `${path}.retries`, 'msdev needs at least 1; it uses its default of 3');
    else if (t !== undefined) put(out, 'retries', sc(/^\d+$/.test(t) ? Number(t) : composeDollars(t), retries.value), retries.keyAt);
  }
  put(sx.out, 'healthcheck', out, e.keyAt);
};

/** The test as one `sh -c` command: CMD's words quoted, CMD-SHELL's string as it is; 'none' for NONE; null when malformed. */
function testCommand(test: CNode): { readonly exec: string } | 'none' | null {
  const exec = (s: string | undefined) => (s === undefined ? null : { exec: s });
  if (test.kind === 'scalar') return exec(str(test));
  if (test.kind !== 'seq') return null;
  const words = test.items.map((i) => text(i));
  if (words.some((w) => w === undefined) || words.length === 0) return null;
  const [head, ...rest] = words as string[];
  if (head === 'NONE') return 'none';
  if (head === 'CMD-SHELL') return rest.length > 0 ? exec(composeDollars(rest.join(' '))) : null;
  if (head === 'CMD') return rest.length > 0 ? exec(rest.map((w) => shellWord(composeDollars(w))).join(' ')) : null;
  return null;
}

const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

/** depends_on: a list, or name → { condition, required, restart }. */
const dependsOn: KeyTranslator = (e, sx) => {
  const path = `${sx.path}.depends_on`;
  const v = e.value;
  if (v.kind === 'seq') {
    const out = seqOut(v);
    for (const i of v.items) out.items.push(sc(str(i) ?? '', i));
    return put(sx.out, 'depends_on', out, e.keyAt);
  }
  if (v.kind !== 'map') return badShape(e, sx, 'a list of services or a mapping of service → { condition }');
  const out = mapOut(v);
  for (const d of v.entries) {
    const dpath = `${path}.${d.key}`;
    const cond = child(d.value, 'condition');
    const word = cond ? text(cond) : 'service_started';
    if (word === undefined || !CONDITIONS.has(word)) {
      sx.notes.error(cond ?? d.value, `${dpath}.condition`, 'expected service_started, service_healthy or service_completed_successfully');
      continue;
    }
    if (text(child(d.value, 'restart')) === 'true') sx.notes.warn(entry(d.value, 'restart')!.keyAt, `${dpath}.restart`, `ignored: msdev does not restart ${sx.name} when ${d.key} is restarted`);
    if (text(child(d.value, 'required')) === 'false') {
      if (!sx.services.has(d.key)) continue; // an optional dependency that is not there: compose goes on without it
      sx.notes.warn(entry(d.value, 'required')!.keyAt, `${dpath}.required`, `msdev always waits for ${d.key}; "required: false" is not honoured`);
    }
    const c = mapOut(d.value);
    put(c, 'condition', sc(word, cond ?? d.value), cond ? entry(d.value, 'condition')!.keyAt : d.keyAt);
    put(out, d.key, c, d.keyAt);
  }
  put(sx.out, 'depends_on', out, e.keyAt);
};

const WATCH_ACTIONS: Readonly<Record<string, string>> = { sync: 'sync', rebuild: 'rebuild', 'sync+restart': 'sync+restart', restart: 'restart' };

/** develop.watch: its rules become msdev's one watch (paths and ignores joined; one action for all). */
const develop: KeyTranslator = (e, sx) => {
  const path = `${sx.path}.develop`;
  for (const d of e.value.kind === 'map' ? e.value.entries : []) if (d.key !== 'watch') sx.notes.warn(d.keyAt, `${path}.${d.key}`, 'ignored by msdev');
  const rules = child(e.value, 'watch');
  if (!rules) return;
  if (rules.kind !== 'seq') return badShape(e, sx, 'a list of watch rules { path, action, target, ignore }', rules, 'develop.watch');
  const paths = seqOut(rules);
  const ignore = seqOut(rules);
  let action: { word: string; node: CNode } | null = null;
  for (const [i, r] of rules.items.entries()) {
    const rpath = `${path}.watch.${i}`;
    const p = str(child(r, 'path') ?? r);
    const a = text(child(r, 'action'));
    if (r.kind !== 'map' || p === undefined || a === undefined) {
      sx.notes.error(r, rpath, 'a watch rule needs "path" and "action"');
      continue;
    }
    const word = Object.hasOwn(WATCH_ACTIONS, a) ? WATCH_ACTIONS[a] : undefined;
    if (!word) {
      sx.notes.warn(child(r, 'action')!, `${rpath}.action`, `ignored: msdev's watch actions are sync, sync+restart, rebuild and restart, not ${a}`);
      continue;
    }
    if (action && action.word !== word) sx.notes.warn(child(r, 'action')!, `${rpath}.action`, `msdev has one action per service: ${action.word} (from the first rule) is used for this path too`);
    action ??= { word, node: child(r, 'action')! };
    paths.items.push(sc(p, child(r, 'path')!));
    const target = entry(r, 'target');
    if (target && word !== 'rebuild' && word !== 'restart') {
      sx.notes.warn(target.keyAt, `${rpath}.target`, "msdev syncs into the container's working folder (its WORKDIR), at each file's place relative to the watched path, not to target");
    }
    const ign = child(r, 'ignore');
    for (const g of ign?.kind === 'seq' ? ign.items : ign ? [ign] : []) {
      const t = str(g);
      if (t !== undefined) ignore.items.push(sc(t, g));
    }
    for (const k of ['include', 'initial_sync', 'exec']) if (entry(r, k)) sx.notes.warn(entry(r, k)!.keyAt, `${rpath}.${k}`, 'ignored by msdev');
  }
  if (!action) return;
  const out = mapOut(rules);
  put(out, 'paths', paths, rules);
  if (ignore.items.length > 0) put(out, 'ignore', ignore, rules);
  put(out, 'action', sc(action.word, action.node), action.node);
  put(sx.out, 'watch', out, e.keyAt);
};

/** The keys of this file. */
export const HEALTH_DEPS_KEYS: Readonly<Record<string, KeyTranslator>> = { healthcheck, depends_on: dependsOn, develop };
