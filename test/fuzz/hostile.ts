// Whole documents built around one hostile construct: merges and aliases (self-referencing, unknown,
// bombs), deep nesting, prototype names, huge numbers, control characters, long strings, deep
// interpolation, long dependency chains and cycles, odd env files, odd keys and tags.
import { CONTROL_CHARS, DURATIONS, NUMBERS, PROTO_NAMES, UNICODE, nestedInterpolation, quoted } from './pools.js';
import type { Rng } from './prng.js';
import { envFileText, type Generated } from './synth.js';

/** A hostile document generator; `big` allows the expensive sizes (a few thousand levels or services). */
export type Hostile = (rng: Rng, big: boolean) => Generated & { readonly profiles?: readonly string[] };

const svc = (name: string, body: string): string => `  ${name}:\n${body.replace(/^/gm, '    ')}\n`;
const doc = (services: string, head = ''): string => `${head}services:\n${services}`;
const run = 'command: node server.js';

/** `depth` levels of nesting, in one of four spellings; the result is a value to put after `key: `. */
export function nested(rng: Rng, depth: number, indent: number): string {
  const form = rng.int(0, 3);
  if (form === 0) return '['.repeat(depth) + 'x' + ']'.repeat(depth);
  if (form === 1) return '{a: '.repeat(depth) + 'x' + '}'.repeat(depth);
  if (form === 2) return `\n${' '.repeat(indent)}${'- '.repeat(depth)}x`;
  const d = Math.min(depth, 600);
  let out = '';
  for (let i = 0; i < d; i++) out += `\n${' '.repeat(indent + i)}k${i % 10}:`;
  return `${out} x`;
}

function mergeBomb(levels: number, fan: number): string {
  let out = 'x-m0: &m0 {restart: always, env: {A: "1"}}\n';
  for (let n = 1; n <= levels; n++) out += `x-m${n}: &m${n} {<<: [${Array(fan).fill(`*m${n - 1}`).join(', ')}]}\n`;
  return out;
}

function aliasBomb(levels: number, fan: number): string {
  let out = 'x-a0: &a0 [lol]\n';
  for (let n = 1; n <= levels; n++) out += `x-a${n}: &a${n} [${Array(fan).fill(`*a${n - 1}`).join(', ')}]\n`;
  return out;
}

/** The hostile generators, by name. */
export const HOSTILE: Readonly<Record<string, Hostile>> = {
  'self-merge': (r) => ({
    text: r.pick([
      `x-base: &base {<<: *base}\n${doc(svc('api', `<<: *base\n${run}`))}`,
      `x-base: &base\n  restart: always\n  <<: *base\n${doc(svc('api', `<<: *base\n${run}`))}`,
      `x-a: &a {x: 1}\nx-b: &a {<<: *a}\n${doc(svc('api', `<<: *a\n${run}`))}`,
      doc(svc('api', `${run}\nenv: &e {A: "1", B: *e}`)),
      doc(svc('api', `${run}\nenv: &e {<<: *e, A: "1"}`)),
      doc(svc('api', `command: &c [node, *c]`)),
      `services: &s\n  api:\n    ${run}\n    depends_on: *s\n`,
      `services: &s\n  api: {<<: *s, command: x}\n`,
      `x: &x\n  <<: [*x, *x]\n${doc(svc('api', `<<: *x\n${run}`))}`,
    ]),
    files: {},
  }),
  'unknown-alias': (r) => ({
    text: r.pick([
      `x-base: &base {restart: always}\n${doc(svc('api', `<<: *bsae\n${run}`))}`,
      doc(svc('api', `${run}\nenv: *nope`)),
      doc(svc('api', 'command: *nope')),
      doc(svc('api', `${run}\ndepends_on: *nope`)),
      'services: *nope\n',
      `x-base: &base {restart: always}\n${doc(svc('api', `<<: [*base, *bsae]\n${run}`))}`,
      doc(svc('api', `${run}\nenv: {A: *nope, B: *__proto__}`)),
      `x: &a 1\n${doc(svc('api', `${run}\nenv: {<<: *a}`))}`,
      `x: &a [1, 2]\n${doc(svc('api', `${run}\n<<: *a`))}`,
    ]),
    files: {},
  }),
  'merge-bomb': (r, big) => {
    const levels = r.int(1, big ? 11 : 8);
    return { text: `${mergeBomb(levels, r.int(2, 3))}${doc(svc('api', `<<: *m${levels}\n${run}`))}`, files: {} };
  },
  'alias-bomb': (r, big) => {
    const levels = r.int(1, big ? 6 : 4);
    const at = r.pick(['env: {A: *a$}', 'command: *a$', 'profiles: *a$', 'volumes: *a$', 'x-big: *a$']).replace('$', String(levels));
    return { text: `${aliasBomb(levels, r.int(2, big ? 8 : 5))}${doc(svc('api', `${run}\n${at}`))}`, files: {} };
  },
  'deep-nesting': (r, big) => {
    const depth = r.size(20, big ? 3000 : 300);
    const where = r.int(0, 4);
    if (where === 0) return { text: `x-deep: ${nested(r, depth, 2)}\n${doc(svc('api', run))}`, files: {} };
    if (where === 1) return { text: `deep: ${nested(r, depth, 2)}\n${doc(svc('api', run))}`, files: {} };
    if (where === 2) return { text: doc(svc('api', `${run}\nenv:\n  A: ${nested(r, depth, 6)}`)), files: {} };
    if (where === 3) return { text: doc(`  api:\n    command: ${nested(r, depth, 6)}\n`), files: {} };
    return { text: `services: ${nested(r, depth, 2)}\n`, files: {} };
  },
  'prototype-names': (r) => {
    const p = (): string => r.pick(PROTO_NAMES);
    const a = p();
    const b = p();
    const files: Record<string, string> = r.chance(0.3) ? { '.env': `${p()}=x\n${p()}=y\n` } : {};
    const text =
      (r.chance(0.3) ? 'env_file: .env\n' : '') +
      (r.chance(0.3) ? `env: {${p()}: "1", ${p()}: "\${${p()}}"}\n` : '') +
      (r.chance(0.3) ? `x-${p()}: &${p()} {restart: always}\n` : '') +
      doc(
        svc(a, `${run} \${${p()}}\nenv: {${p()}: "\${${p()}:-d}", ${p()}: "\${services.${b}.port}"}\nprofiles: [${p()}]\nport: auto`) +
          (a === b ? '' : svc(b, `${run}\ndepends_on: {${a}: ${r.pick(['started', 'healthy', p()])}}\n${r.chance(0.5) ? `healthcheck: {${p()}: x}` : `<<: {${p()}: 1}`}`)),
      );
    return { text: r.chance(0.5) ? text : text.replace(/(profiles: \[)([^\]]*)\]/, '$1$2, full]'), files, profiles: r.chance(0.5) ? [p()] : [] };
  },
  'huge-numbers': (r) => {
    const n = (): string => r.pick(NUMBERS);
    return {
      text: doc(svc('api', `${run}\nport: ${n()}\nports: [${n()}, "${n()}:${n()}"]\nmax_restarts: ${n()}\nhealthcheck: {tcp: ${n()}, retries: ${n()}, interval: ${n()}}\nenv: {A: ${n()}, B: ${n()}}`)),
      files: {},
    };
  },
  durations: (r) => {
    const d = (): string => r.pick(DURATIONS);
    return { text: doc(svc('api', `${run}\nstop_timeout: ${d()}\nhealthcheck: {exec: "true", interval: ${d()}, timeout: ${d()}, start_period: ${d()}}\nwatch: {debounce: ${d()}}`)), files: {} };
  },
  'control-characters': (r) => {
    const c = (): string => r.pick(CONTROL_CHARS);
    const name = r.pick([`"a${JSON.stringify(c()).slice(1, -1)}b"`, `a${c()}b`, '"a\\nb"', '"\\0"', `"\\e[31mred"`]);
    return {
      text: r.pick([
        doc(svc(name, run)),
        doc(svc('api', `command: ${JSON.stringify(`node ${c()} x`)}`)),
        doc(svc('api', `${run}\nenv: {${JSON.stringify(`K${c()}`)}: ${JSON.stringify(`v${c()}`)}}`)),
        doc(svc('api', `command: node ${c()}x\nenv: {A${c()}: 1}`)),
        doc(svc('api', `${run}\ndepends_on: [${name}]`)),
        `# comment ${c()}\n${doc(svc('api', `${run} # ${c()}`))}`,
        doc(svc('api', `command: [node, ${JSON.stringify(`\0${c()}`)}]\nhealthcheck: {log: ${JSON.stringify(`ready${c()}`)}}`)),
      ]),
      files: {},
    };
  },
  'long-strings': (r, big) => {
    const long = 'x'.repeat(r.size(1000, big ? 500_000 : 100_000));
    return {
      text: r.pick([
        doc(svc('api', `command: ${long}`)),
        doc(svc('api', `${run}\ndepends_on: {db: ${long}}`) + svc('db', run)),
        doc(svc('api', `${run}\nenv: {${long.slice(0, 5000)}: "1"}`)),
        doc(svc(`s${long.slice(0, 5000)}`, run)),
        doc(svc('api', `${run}\nrestart: "${long}"`)),
        doc(svc('api', `${run}\nstop_timeout: ${long}s`)),
        doc(svc('api', `${run}\nunknown_${long.slice(0, 3000)}: 1`)),
        doc(svc('api', `command: "${'${A}'.repeat(Math.ceil(long.length / 4))}"`)),
      ]),
      files: {},
    };
  },
  'deep-interpolation': (r, big) => {
    const depth = r.size(10, big ? 3000 : 300);
    return {
      text: r.pick([
        doc(svc('api', `command: "echo ${nestedInterpolation(depth, r.pick(['A', 'B', 'toString', 'FUZZ_UNSET']))}"`)),
        doc(svc('api', `${run}\nenv: {A: "${nestedInterpolation(depth)}"}`)),
        `env: {A: "${nestedInterpolation(depth)}"}\n${doc(svc('api', `${run} \${A}`))}`,
        doc(svc('api', `command: "echo ${'${'.repeat(depth)}"`)),
        doc(svc('api', `command: "echo \${services.\${A}.port} ${'$'.repeat(depth)}{A}"`)),
      ]),
      files: {},
    };
  },
  'dependency-chain': (r, big) => {
    const n = r.size(2, big ? 2000 : 100);
    const cycle = r.chance(0.5);
    const list = r.chance(0.5);
    let s = '';
    for (let i = 0; i < n; i++) {
      const next = i + 1 < n ? `s${i + 1}` : cycle ? 's0' : '';
      s += `  s${i}:\n    ${run}\n${next ? (list ? `    depends_on: [${next}]\n` : `    depends_on: {${next}: ${r.pick(['started', 'healthy', 'completed'])}}\n`) : ''}`;
    }
    return { text: doc(s), files: {} };
  },
  'many-services': (r, big) => {
    const n = r.size(10, big ? 2000 : 200);
    // Every service gets S_HOST/S_PORT/S_URL of every service with a port: ports only on smaller stacks.
    const ports = n <= 300 ? r.pick([0, 0.3, 1]) : 0;
    let s = '';
    for (let i = 0; i < n; i++) s += `  s${i}:\n    ${r.chance(0.05) ? 'comand' : 'command'}: node s${i}.js\n${r.chance(ports) ? `    port: auto\n` : ''}${i > 0 && r.chance(0.5) ? `    depends_on: [s${r.int(0, i - 1)}]\n` : ''}`;
    return { text: doc(s), files: {} };
  },
  'env-files': (r) => {
    const target = r.pick(['/dev/null', 'missing.env', '.', '/tmp', '""', '~/nope.env', '/nonexistent/x.env', '"${HOME}/nope.env"', '"${FUZZ_UNSET}"', 'services.yaml', '.env', '"${toString}"', '[.env, .env, /dev/null]', '[]', '{a: 1}', '"a\\0b"']);
    const files = { '.env': envFileText(r, 0.5) };
    return r.chance(0.5)
      ? { text: `env_file: ${target}\n${doc(svc('api', `${run} \${A}`))}`, files }
      : { text: doc(svc('api', `${run}\nenv_file: ${target}`)), files };
  },
  'odd-keys': (r) => ({
    text: r.pick([
      doc(svc('api', run)).replace('services:', `? [a, b]\n: 1\nservices:`),
      `{a: 1}: x\n${doc(svc('api', run))}`,
      `~: x\n${doc(svc('api', run))}`,
      doc(`  1:\n    ${run}\n  true:\n    ${run}\n  ~:\n    ${run}\n  "<<":\n    ${run}\n`),
      doc(svc('api', run) + svc('api', 'image: x')),
      `services:\n${svc('api', run)}services:\n${svc('db', run)}`,
      doc(svc('api', `${run}\nenv: {? [a]: 1}`)),
      doc(svc('api', `${run}\ndepends_on: {[db]: started}`) + svc('db', run)),
      doc(svc(r.pick(UNICODE), run)),
      doc(svc(quoted(r, 'a:b'), run)),
    ]),
    files: {},
  }),
  tags: (r) => {
    const t = r.pick(['!!binary aGVsbG8=', '!!set {a, b}', '!!omap [a: 1]', '!!timestamp 2001-12-14', '!!js/function "x"', '!custom x', '!!int "12"', '!!float 1', '!!str 3000', '!!null x', '!!bool yes', '!!map [1]', '!<!> x']);
    return { text: doc(svc('api', r.pick([`command: ${t}`, `${run}\nport: ${t}`, `${run}\nenv: {A: ${t}}`, `${run}\ndepends_on: ${t}`, `${run}\nprofiles: ${t}`]))), files: {} };
  },
};
