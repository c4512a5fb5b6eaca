// Generated services.yaml documents that are mostly valid: random services using every schema key,
// with ordinary values most of the time and a pool value now and then.
import { emitDocument, randomStyle, ymap, yseq, type YNode } from './emit.js';
import { DURATIONS, NUMBERS, PROTO_NAMES, SERVICE_NAMES, interpolation, quoted, scalar } from './pools.js';
import type { Rng } from './prng.js';

/** A generated document and the extra files (env files) it refers to. */
export interface Generated {
  readonly text: string;
  readonly files: Record<string, string>;
}

/** Knobs: how many services, and how often a value is drawn from the hostile pools. */
export interface SynthOptions {
  readonly services: number;
  readonly wild: number;
}

/** A service name: usually ordinary and unique, sometimes a prototype name or an odd one. */
export function serviceName(rng: Rng, i: number, wild: number): string {
  if (rng.chance(wild)) return rng.pick([...PROTO_NAMES, 'Api', '-x', '1', 'a.b', 'a b', '"a\\nb"', 'ünï', '"x:y"', '""', '"#"', '🚀']);
  return i < SERVICE_NAMES.length && rng.chance(0.7) ? SERVICE_NAMES[i]! : `s${i}`;
}

/** A random, mostly valid document. */
export function synthDocument(rng: Rng, options: SynthOptions): Generated {
  const w = options.wild;
  const names: string[] = [];
  for (let i = 0; i < options.services; i++) names.push(serviceName(rng, i, w / 4));
  const files: Record<string, string> = {};
  const value = (ordinary: () => string): string => (rng.chance(w) ? scalar(rng) : ordinary());
  const interp = (): string => (w === 0 ? rng.pick(['${A:-x}', '${HOME}', '$$HOME', '${FUZZ_UNSET:-}']) : interpolation(rng));
  const dur = (): string => value(() => rng.pick(DURATIONS.slice(0, 8)));
  const other = (self: number): string => (names.length > 1 && !rng.chance(w / 2) ? names[(self + rng.int(1, names.length - 1)) % names.length]! : rng.pick([...SERVICE_NAMES, ...PROTO_NAMES]));

  const service = (name: string, self: number): YNode => {
    const e: [string, YNode][] = [];
    const container = rng.chance(0.25);
    if (container) e.push(rng.chance(0.7) ? ['image', value(() => 'postgres:16')] : ['build', rng.chance(0.5) ? value(() => './web') : ymap([['context', value(() => '.')], ['dockerfile', value(() => 'Dockerfile')], ['args', ymap([['A', value(() => '"1"')]])]])]);
    if (!container || rng.chance(0.3)) e.push(['command', rng.chance(0.7) ? value(() => quoted(rng, `node ${name}.js ${rng.chance(0.3) ? interp() : ''}`)) : yseq([value(() => 'node'), value(() => 'x.js'), value(() => '3')])]);
    if (rng.chance(0.4)) e.push(['port', value(() => rng.pick(['auto', String(rng.int(1024, 60000))]))]);
    if (rng.chance(0.2)) e.push(['ports', yseq([value(() => rng.pick(['"5432:5432"', '"127.0.0.1:8080:80"', '"9000"', '6379']))])]);
    if (rng.chance(0.5)) {
      const env: [string, YNode][] = [];
      for (let k = rng.int(0, 4); k > 0; k--) env.push([rng.chance(w) ? rng.pick([...PROTO_NAMES, 'A', 'B', '"A B"', '"A=B"', '""']) : `VAR_${k}`, value(() => quoted(rng, rng.chance(0.5) ? interp() : 'plain'))]);
      e.push(['env', ymap(env)]);
    }
    if (rng.chance(0.1)) {
      const f = rng.pick(['svc.env', `${name.replace(/[^A-Za-z0-9]/g, '') || 'x'}.env`]);
      files[f] = envFileText(rng, w);
      e.push(['env_file', f]);
    }
    if (rng.chance(0.1)) e.push(['volumes', yseq([value(() => '"./data:/data"')])]);
    if (names.length > 1 && rng.chance(0.5)) {
      e.push(['depends_on', rng.chance(0.4) ? yseq([other(self)]) : ymap([[other(self), value(() => rng.pick(['started', 'healthy', 'completed', 'service_healthy']))]])]);
    }
    if (rng.chance(0.4)) {
      const kind = rng.pick(['http', 'tcp', 'exec', 'log']);
      const probe = kind === 'http' ? '"http://127.0.0.1:${port}/health"' : kind === 'tcp' ? '"127.0.0.1:${port}"' : kind === 'exec' ? 'pg_isready' : quoted(rng, 'ready( on \\d+)?');
      const hc: [string, YNode][] = [[kind, value(() => probe)], ['interval', dur()]];
      if (rng.chance(0.3)) hc.push(['timeout', dur()], ['retries', value(() => rng.pick(NUMBERS.slice(0, 3)))], ['start_period', dur()]);
      e.push(['healthcheck', ymap(hc)]);
    }
    if (rng.chance(0.3)) e.push(['restart', value(() => rng.pick(['"no"', 'on-failure', 'always', 'no']))]);
    if (rng.chance(0.2)) e.push(['max_restarts', value(() => String(rng.int(0, 10)))]);
    if (rng.chance(0.2)) e.push(['stop_signal', value(() => rng.pick(['SIGTERM', 'INT', 'SIGKILL']))]);
    if (rng.chance(0.2)) e.push(['stop_timeout', dur()]);
    if (rng.chance(0.1)) e.push(['watch', ymap([['paths', yseq([value(() => 'src')])], ['action', value(() => 'restart')], ['debounce', dur()]])]);
    if (rng.chance(0.2)) e.push(['profiles', yseq([value(() => rng.pick(['full', 'dev', ...PROTO_NAMES]))])]);
    if (rng.chance(0.05)) e.push(['x-notes', value(() => 'ignored')]);
    return ymap(e);
  };

  const top: [string, YNode][] = [];
  if (rng.chance(0.3)) top.push(['name', value(() => 'fuzz')]);
  if (rng.chance(0.2)) {
    files['.env'] = envFileText(rng, w);
    top.push(['env_file', rng.chance(0.8) ? '.env' : yseq(['.env', value(() => 'missing.env')])]);
  }
  if (rng.chance(0.3)) top.push(['env', ymap([['LOG_LEVEL', value(() => 'debug')], ['SHARED', value(() => quoted(rng, interp()))]])]);
  top.push(['services', ymap(names.map((n, i) => [n, service(n, i)] as const))]);
  return { text: emitDocument(ymap(top), randomStyle(rng), rng), files };
}

/** The text of an env file: ordinary lines and, with probability `wild`, hostile ones. */
export function envFileText(rng: Rng, wild: number): string {
  const lines: string[] = [];
  for (let i = rng.int(0, 6); i > 0; i--) {
    lines.push(
      rng.chance(wild)
        ? rng.pick(['__proto__=x', 'constructor=1', 'toString=', 'export A=1', 'A="unterminated', "B='x' tail", '=nokey', 'A B=1', 'A=\0', 'ü=1', '\ufeffA=1', 'A="x\\ny"', 'A=${B}', 'A=1\r', '   #comment', '\tA=1', `L=${'x'.repeat(rng.size(1, 5000))}`])
        : `${rng.pick(['A', 'B', 'SHOP_MODE', 'LOG_LEVEL', 'PORT'])}=${rng.pick(['1', 'dev', '"quoted"', "'single'", 'a b # comment'])}`,
    );
  }
  return lines.join(rng.chance(0.1) ? '\r\n' : '\n') + (rng.chance(0.8) ? '\n' : '');
}
