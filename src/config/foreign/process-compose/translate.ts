// A process-compose file (process-compose.yaml, with process-compose.override.yaml beside it merged in as
// process-compose merges it) read as msdev's document: a process service per process.
import { isMap, isScalar } from 'yaml';
import type { ConfigProblem } from '../../errors.js';
import { mapAt, scalarAt, set, type Range } from '../node-build.js';
import type { TranslateContext, YamlTranslation } from '../translate.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, plainText, readText, warn, type PcContext } from './context.js';
import type { ProcessFacts } from './depends-on.js';
import { environmentMap, translateProcess } from './process.js';
import { readVars } from './vars.js';
import { buildView, type PcView } from './view.js';
import type { YamlSource } from '../../yaml-source.js';

/** Top-level keys that say nothing msdev can use: process-compose's own logging and schema version. */
const SILENT = new Set(['version', 'log_level', 'is_strict', 'vars', 'shell', 'processes', 'environment']);

/** Top-level keys msdev cannot honour, and why. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  log_location: "msdev writes each service's log to .msdev/logs/SERVICE.log; ignored",
  log_length: 'msdev keeps the whole log in .msdev/logs; ignored',
  log_configuration: "msdev writes each service's log to .msdev/logs/SERVICE.log; ignored",
  log_format: "msdev writes each service's log to .msdev/logs/SERVICE.log; ignored",
  env_cmds: 'msdev does not run commands to fill variables; set them in the shell or in .env (they are unset here)',
  disable_env_expansion: 'msdev always expands ${VAR} (from the shell and .env), and leaves a bare $VAR to the shell; ignored',
  ordered_shutdown: 'msdev always stops in reverse dependency order; ignored',
  extends: 'msdev reads one file (and its override); ignored',
  mcp_server: 'msdev has no MCP server; ignored',
};

/** Translates a parsed process-compose file. */
export function translateProcessCompose(parsed: YamlSource, tctx: TranslateContext): Promise<YamlTranslation> {
  const top: Range = [0, 0, 0];
  const root = mapAt(top);
  const { view, problems } = buildView(parsed, tctx.path);
  if (problems.length > 0) return Promise.resolve({ root, errors: problems, warnings: [] });
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const doc = view.resolve(view.root);
  if (!isMap(doc)) {
    errors.push(view.problem(view.root, '', 'expected a mapping at the top with processes:'));
    return Promise.resolve({ root, errors, warnings });
  }
  const topEntries = new Map(view.entries(doc).map((e) => [e.key, e] as const));
  const pre: PcContext = { view, errors, warnings, globalVars: new Map(), shell: ['bash', '-c'], strict: false, processes: new Set() };
  const ctx: PcContext = { ...pre, globalVars: readVars(pre, topEntries.get('vars')?.value, 'vars', new Map()), shell: readShell(pre, topEntries.get('shell')?.value), strict: isScalar(view.resolve(topEntries.get('is_strict')?.value)) && (view.resolve(topEntries.get('is_strict')?.value) as { value: unknown }).value === true };

  if (existsSync(join(tctx.dir, '.env'))) set(root, 'env_file', scalarAt('.env', top));
  const env = topEntries.get('environment');
  if (env) {
    const m = environmentMap(ctx, env.value, 'environment', top);
    if (m) set(root, 'env', m, view.range(env.keyNode, top));
  }
  for (const [k, e] of topEntries) {
    if (UNSUPPORTED[k]) warn(ctx, e.keyNode, k, UNSUPPORTED[k]);
    else if (!SILENT.has(k) && !k.startsWith('x-')) warn(ctx, e.keyNode, k, 'not a process-compose key; ignored');
  }

  const services = mapAt(top);
  const procsEntry = topEntries.get('processes');
  const procs = procsEntry ? view.resolve(procsEntry.value) : undefined;
  if (!procsEntry) errors.push(view.problem(doc, '', 'no processes: add a "processes:" mapping'));
  else if (!isMap(procs)) fail(ctx, procsEntry.value, 'processes', 'expected a mapping of process name → { command, … }');
  else {
    const list = view.entries(procs);
    const facts = new Map(list.map((e) => [e.key, factsOf(view, e.value)] as const));
    for (const e of list) {
      const svc = translateProcess(ctx, e.key, e.keyNode, e.value, facts);
      if (svc) set(services, e.key, svc, view.range(e.keyNode, top));
    }
    if (list.length === 0) fail(ctx, procsEntry.keyNode, 'processes', 'no processes: add one (a name with a command)');
  }
  set(root, 'services', services, procsEntry ? view.range(procsEntry.keyNode, top) : top);
  if (view.overrideFile) warnings.push({ file: view.overrideFile, line: 0, col: 0, path: '', message: `merged into ${tctx.file}, as process-compose does` });
  return Promise.resolve({ root, errors, warnings });
}

/** What the other processes need to know about one (read without saying problems: the process's own reading says them). */
function factsOf(view: PcView, node: unknown): ProcessFacts {
  const p = view.resolve(node);
  const get = (k: string): unknown => (isMap(p) ? view.resolve(view.entries(p).find((e) => e.key === k)?.value) : undefined);
  const line = get('ready_log_line');
  const text = plainText(line);
  const readyLogLine = text === null || text === '' ? null : text;
  const probe = get('readiness_probe');
  const dis = get('disabled');
  return {
    readyLogLine,
    disabled: isScalar(dis) && (dis.value === true || (typeof dis.value === 'string' && /^(true|yes|on|y)$/i.test(dis.value))),
    longRunning: readyLogLine !== null || isMap(probe),
  };
}

/** shell: { shell_command, shell_argument }; default bash -c, as process-compose on Linux and macOS. */
function readShell(ctx: PcContext, node: unknown): readonly [string, string] {
  const s = ctx.view.resolve(node);
  if (!isMap(s)) return ['bash', '-c'];
  let cmd = 'bash';
  let arg = '-c';
  for (const e of ctx.view.entries(s)) {
    if (e.key === 'shell_command') cmd = readText(ctx, e.value, 'shell.shell_command') ?? cmd;
    else if (e.key === 'shell_argument') arg = readText(ctx, e.value, 'shell.shell_argument') ?? arg;
    else warn(ctx, e.keyNode, `shell.${e.key}`, 'msdev does not elevate commands; ignored');
  }
  return [cmd, arg];
}

