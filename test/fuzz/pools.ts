// Hostile and ordinary values the config fuzzer draws from: names, numbers, durations, characters,
// interpolation forms and YAML tokens. Strings here are YAML source text unless they say otherwise.
import type { Rng } from './prng.js';

/** Names that live on Object.prototype (or are otherwise special to JavaScript objects). */
export const PROTO_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
] as const;

/** Ordinary service names (some of them used by the seeds, so references resolve). */
export const SERVICE_NAMES = ['db', 'api', 'web', 'worker', 'migrate', 'queue', 'cache', 'gateway', 'catalog', 'orders', 'a', 'b', 'svc-1', 'svc_2', 'x'] as const;

/** Numbers as YAML spells them, many at or past some limit. */
export const NUMBERS = [
  '0', '1', '-1', '-0', '+12', '1.5', '1e3', '1e400', '-1e400', '1e-400', '9007199254740993', '99999999999999999999',
  '2147483648', '4294967296', '65535', '65536', '0x1F', '0o17', '0b101', '1_000', '.inf', '-.inf', '.nan', '.NaN', '0.0',
  '00080', '8080', '"8080"', "'8080'", '3000.0', '1:30',
] as const;

/** Durations, valid, past Node's timer limit, and malformed. */
export const DURATIONS = [
  '250ms', '2s', '1m', '1m30s', '1h', '10', '0', '0s', '-1s', '1.5s', '600h', '596h', '597h', '24d', '1e9s', '1e9',
  '2147483647ms', '2147483648ms', '9999999999999999h', '99999999999999999999s', '1h1h', '1h30m15s500ms', '"10 secs"',
  '1 s', 'PT1S', '.inf', '.nan', '1e400', '-0', '""', '0x10s', '1_0s',
] as const;

/** Characters that break lines, terminals or parsers (JS string text, not YAML escapes). */
export const CONTROL_CHARS = [
  '\0', '\x01', '\x07', '\b', '\x0b', '\f', '\x1b[31m', '\x7f', '\x85', '\u2028', '\u2029', '\ufeff', '\ud800', '\uffff', '\r', '\n', '\t',
] as const;

/** Unicode text: accents, scripts, emoji, combining marks, bidi overrides, zero-width. */
export const UNICODE = ['ünïcødé', '日本語', 'русский', '🚀', 'e\u0301', '\u202eevil', 'a\u200bb', 'ﬁ', 'İ', 'Ω'] as const;

/** Plain words used for values and unknown keys. */
export const WORDS = ['node', 'server.js', 'true', 'false', 'yes', 'no', 'null', '~', 'on', 'off', 'auto', 'healthy', 'completed', 'started', 'full', 'dev', 'SIGTERM', 'INT'] as const;

/** Keys the schema knows (top level and per service), plus near-misses. */
export const SERVICE_KEYS = [
  'command', 'image', 'build', 'cwd', 'port', 'ports', 'env', 'env_file', 'volumes', 'depends_on', 'healthcheck',
  'restart', 'max_restarts', 'stop_signal', 'stop_timeout', 'watch', 'profiles', 'x-notes', 'comand', 'enviroment',
] as const;

/** Keys of a healthcheck and of watch. */
export const NESTED_KEYS = ['http', 'tcp', 'exec', 'log', 'interval', 'timeout', 'retries', 'start_period', 'paths', 'ignore', 'action', 'debounce', 'condition', 'context', 'dockerfile', 'args'] as const;

/** Variable names for ${VAR}: ordinary, from the shell, prototype names, odd. */
export function varName(rng: Rng): string {
  return rng.weighted<string>([
    [4, rng.pick(['A', 'B', 'FUZZ_UNSET', 'HOME', 'PATH', 'PORT', 'SHOP_MODE', 'LOG_LEVEL', 'port'])],
    [3, rng.pick(PROTO_NAMES)],
    [2, rng.pick(['services.db.port', 'services.api.url', 'services.db.host', 'services.db.ports.5432', 'services.__proto__.port', 'services.constructor.url', 'services..port', 'services.nope.port'])],
    [1, rng.pick(['', ' ', 'A B', '1A', 'A-B', 'A.B', 'ünï', '$', '{', 'A\0'])],
  ]);
}

/** An interpolation form, `${VAR}`, `${VAR:-default}`, `${VAR:?message}`, `$$` and broken ones. */
export function interpolation(rng: Rng): string {
  const v = varName(rng);
  return rng.pick([`\${${v}}`, `\${${v}:-fallback}`, `\${${v}:?set ${v} first}`, `\${${v}-x}`, `\${${v}?}`, `$$`, `$\${${v}}`, '${', '${}', `$${v}`, `\${${v}:-\${${varName(rng)}}}`, '${A:-${B:-${C}}}', '}']);
}

/** `${A:-${A:-...}}` nested `depth` levels. */
export function nestedInterpolation(depth: number, name = 'A'): string {
  return `\${${name}:-`.repeat(depth) + 'end' + '}'.repeat(depth);
}

/** Tokens that, dropped into a line, change what YAML makes of it. */
export const YAML_TOKENS = [
  ':', ': ', '- ', '-', '? ', ',', '{', '}', '[', ']', '"', "'", '#', '|', '>', '|-', '>+', '&a ', '*a', '*nope', '<<: *a', '&__proto__ ',
  '*__proto__', '!!str ', '!!int ', '!!binary ', '!!map ', '!custom ', '!<tag:yaml.org,2002:str> ', '%YAML 1.1', '---', '...', '@', '`',
  '\t', '  ', '${', '$$', '\\', '%', '!', '&', '*', '=', '\0', '\r', '\r\n', '\ufeff',
] as const;

/** A scalar value as YAML source: words, numbers, durations, interpolations, hostile text, quoted or not. */
export function scalar(rng: Rng): string {
  return rng.weighted<string>([
    [3, rng.pick(WORDS)],
    [3, rng.pick(NUMBERS)],
    [2, rng.pick(DURATIONS)],
    [3, quoted(rng, `x ${interpolation(rng)} y`)],
    [2, rng.pick(PROTO_NAMES)],
    [1, quoted(rng, rng.pick(UNICODE))],
    [1, quoted(rng, `a${rng.pick(CONTROL_CHARS)}b`)],
    [1, rng.pick(['~', 'null', '""', "''", '[]', '{}', '[1, 2]', '{a: 1}', '!!binary aGVsbG8=', '2001-12-14t21:59:43.10-05:00', '"\\u0000"', '"\\x00"', '"\\e"', '|\n  block\n'])],
  ]);
}

/** The text as a YAML scalar: plain, single-quoted or double-quoted (escaping what must be). */
export function quoted(rng: Rng, text: string): string {
  const style = rng.int(0, 2);
  if (style === 0) return text;
  if (style === 1) return `'${text.replaceAll("'", "''")}'`;
  return JSON.stringify(text);
}
