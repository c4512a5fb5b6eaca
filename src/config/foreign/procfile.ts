// A Procfile (foreman, honcho, overmind): `name: command` lines, `#` comments, and a `.env` beside it.
// Each process gets PORT as foreman numbers them: the base (PORT in the environment, else 5000), plus 100
// per process in file order. A process whose command mentions $PORT listens on it: it also gets msdev's
// `port:` (the registry, the implicit TCP health check); the others are ready once running.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Document, LineCounter } from 'yaml';
import type { ConfigProblem } from '../errors.js';
import { sourceOf } from '../yaml-source.js';
import { mapAt, scalarAt, set, type Range } from './node-build.js';
import type { TranslateContext, Translation } from './translate.js';

/** Foreman's first port and its step between processes. */
export const FOREMAN_BASE_PORT = 5000;
const FOREMAN_PORT_STEP = 100;

/** One process line. */
interface ProcLine {
  readonly name: string;
  readonly command: string;
  /** Offsets of the name and the command in the text. */
  readonly nameAt: number;
  readonly commandAt: number;
}

/** The process lines of a Procfile, and a problem for each line that is none. */
export function parseProcfile(text: string, file: string, lines: LineCounter): { procs: ProcLine[]; errors: ConfigProblem[] } {
  const procs: ProcLine[] = [];
  const errors: ConfigProblem[] = [];
  const seen = new Set<string>();
  let offset = 0;
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    const start = offset;
    offset += raw.length + 1;
    lines.addNewLine(start);
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^(\s*)([A-Za-z0-9][A-Za-z0-9_-]*)[ \t]*:[ \t]?(.*)$/.exec(line);
    if (!m) {
      errors.push({ file, line: lineNo, col: 1, path: '', message: 'expected "NAME: COMMAND" (a name of letters, digits, "-" and "_", a colon, the command)' });
      continue;
    }
    const [, indent = '', name = '', rest = ''] = m;
    const command = rest.trim();
    const nameAt = start + indent.length;
    const commandAt = start + line.length - rest.trimStart().length;
    if (command === '') errors.push({ file, line: lineNo, col: commandAt - start + 1, path: `services.${name}`, message: `process "${name}" has no command` });
    else if (seen.has(name)) errors.push({ file, line: lineNo, col: indent.length + 1, path: `services.${name}`, message: `process "${name}" is named twice; give each line its own name` });
    else procs.push({ name, command, nameAt, commandAt });
    seen.add(name);
  }
  return { procs, errors };
}

/** The Procfile as msdev's document: a service per process, `.env` beside it as the env file of all. */
export function translateProcfile(text: string, ctx: TranslateContext): Translation {
  const lines = new LineCounter();
  const { procs, errors } = parseProcfile(text, ctx.file, lines);
  const top: Range = [0, 0, 0];
  const root = mapAt(top);
  if (existsSync(join(ctx.dir, '.env'))) set(root, 'env_file', scalarAt('.env', top));
  const services = mapAt(top);
  const shellBase = Number(ctx.shell.PORT);
  const base = Number.isInteger(shellBase) && shellBase > 0 && shellBase < 65536 ? shellBase : FOREMAN_BASE_PORT;
  procs.forEach((p, i) => {
    const nameRange: Range = [p.nameAt, p.nameAt + p.name.length, p.nameAt + p.name.length];
    const cmdRange: Range = [p.commandAt, p.commandAt + p.command.length, p.commandAt + p.command.length];
    const svc = mapAt(nameRange);
    // `$` is the shell's here ($PORT, $(date)): escaped so msdev's own ${VAR} interpolation leaves it.
    set(svc, 'command', scalarAt(p.command.replaceAll('$', () => '$$'), cmdRange));
    const port = base + i * FOREMAN_PORT_STEP;
    if (/\$\{?PORT\b/.test(p.command)) set(svc, 'port', scalarAt(port, nameRange));
    else {
      const env = mapAt(nameRange);
      set(env, 'PORT', scalarAt(String(port), nameRange));
      set(svc, 'env', env, nameRange);
    }
    set(services, p.name, svc, nameRange);
  });
  set(root, 'services', services, top);
  if (procs.length === 0 && errors.length === 0) errors.push({ file: ctx.file, line: 1, col: 1, path: '', message: 'no processes: add a line "NAME: COMMAND"' });
  const doc = new Document(null);
  doc.contents = root;
  return { source: { ...sourceOf(doc, lines, ctx.file), problems: [] }, errors, warnings: [], interpolationVars: {} };
}
