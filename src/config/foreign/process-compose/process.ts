// One process of a process-compose file as an msdev service.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Entry } from '../../yaml-source.js';
import { mapAt, scalarAt, seqAt, set, type Range } from '../node-build.js';
import { fail, isNullNode, rangeFor, readCount, readFlag, readTemplated, readText, warn, type PcContext } from './context.js';
import { readDependsOn, type ProcessFacts } from './depends-on.js';
import { probeHealthcheck } from './probe.js';
import { signalName } from './signals.js';
import { readVars } from './vars.js';

/** Keys that only change how process-compose shows things, or that msdev has no use for: nothing to say. */
const SILENT = new Set(['description', 'vars', 'name']);

/** Keys msdev cannot honour, and what it does instead. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  log_location: 'msdev writes every log to .msdev/logs/SERVICE.log; ignored',
  log_configuration: 'msdev writes every log to .msdev/logs/SERVICE.log as it comes; ignored',
  disable_ansi_colors: 'msdev shows the output as it comes; ignored',
  is_tty: 'msdev runs processes without a terminal; ignored',
  is_foreground: 'msdev has no foreground processes (msdev run -- CMD runs a command against the stack); ignored',
  is_interactive: 'msdev gives processes no input; ignored',
  is_elevated: 'msdev does not run commands with sudo; ignored',
  launch_timeout_seconds: 'msdev has no launch timeout (msdev smoke and up -d take --timeout); ignored',
  replicas: 'msdev runs one instance of each service (replicas are not supported yet); one is run',
  watch: 'msdev watch is configured differently (services.NAME.watch in a services.yaml); ignored',
  schedule: 'msdev has no scheduled processes; ignored',
  namespace: 'msdev has no namespaces (name the services to start: msdev up NAME…); ignored',
};

/** The msdev service for process `name` (its mapping `node`), or null when it is not a mapping. */
export function translateProcess(ctx: PcContext, name: string, keyNode: Node, node: unknown, facts: ReadonlyMap<string, ProcessFacts>): YAMLMap | null {
  const base = `processes.${name}`;
  const proc = ctx.view.resolve(node);
  const at: Range = rangeFor(ctx, keyNode, [0, 0, 0]);
  if (!isMap(proc)) {
    fail(ctx, node, base, 'expected a mapping (command, depends_on, …)');
    return null;
  }
  const svc = mapAt(at);
  const own = new Map(ctx.view.entries(proc).map((e) => [e.key, e] as const));
  const vars = readVars(ctx, own.get('vars')?.value, `${base}.vars`);
  const e = (k: string): Entry | undefined => own.get(k);
  const me = facts.get(name)!;

  // command (through process-compose's shell) or entrypoint (argv)
  const cmd = e('command');
  const entry = e('entrypoint');
  if (cmd && !isNull(ctx, cmd.value)) {
    const text = readTemplated(ctx, cmd.value, `${base}.command`, vars);
    if (text !== null) {
      const r = rangeFor(ctx, cmd.value, at);
      const argv = seqAt(r);
      argv.items.push(scalarAt(ctx.shell[0], r), scalarAt(ctx.shell[1], r), scalarAt(text, r));
      set(svc, 'command', argv, cmd.keyNode);
    }
    if (entry) warn(ctx, entry.keyNode, `${base}.entrypoint`, 'command and entrypoint are both set; process-compose runs command, and so does msdev');
  } else if (entry && isSeq(ctx.view.resolve(entry.value))) {
    set(svc, 'command', entry.value as Node, entry.keyNode);
  } else {
    fail(ctx, keyNode, base, 'no command to run (command, or entrypoint as a list)');
  }

  const wd = e('working_dir');
  let cwd: string | null = null;
  if (wd && !isNull(ctx, wd.value)) {
    cwd = readTemplated(ctx, wd.value, `${base}.working_dir`, vars);
    if (cwd !== null) set(svc, 'cwd', scalarAt(cwd, rangeFor(ctx, wd.value, at)), wd.keyNode);
  }

  const env = e('environment');
  if (env) {
    const m = environmentMap(ctx, env.value, `${base}.environment`, at);
    if (m) set(svc, 'env', m, env.keyNode);
  }

  const deps = e('depends_on');
  if (deps) {
    const d = readDependsOn(ctx, deps.value, `${base}.depends_on`, facts, at);
    if (d) set(svc, 'depends_on', d, deps.keyNode);
  }

  health(ctx, svc, own, base, vars, at, cwd, me);
  availability(ctx, svc, e('availability'), `${base}.availability`, at, me);
  shutdown(ctx, svc, e('shutdown'), `${base}.shutdown`, at);

  const disabled = e('disabled');
  if (disabled && readFlag(ctx, disabled.value)) {
    const profiles = seqAt(rangeFor(ctx, disabled.value, at));
    profiles.items.push(scalarAt('disabled', rangeFor(ctx, disabled.value, at)));
    set(svc, 'profiles', profiles, disabled.keyNode);
    warn(ctx, disabled.keyNode, `${base}.disabled`, 'msdev puts it in the profile "disabled": it starts with msdev up NAME, --profile disabled, or as a dependency of a process that starts');
  }
  const daemon = e('is_daemon');
  if (daemon && readFlag(ctx, daemon.value)) {
    warn(ctx, daemon.keyNode, `${base}.is_daemon`, 'msdev stops what a process leaves behind when its command exits (as a container ends with its PID 1): run it in the foreground (e.g. without -d / --daemonize)');
  }
  for (const [k, x] of own) {
    if (UNSUPPORTED[k]) warn(ctx, x.keyNode, `${base}.${k}`, UNSUPPORTED[k]);
    else if (!KNOWN.has(k) && !SILENT.has(k) && !k.startsWith('x-')) warn(ctx, x.keyNode, `${base}.${k}`, 'not a process-compose key; ignored');
  }
  return svc;
}

const KNOWN = new Set([
  'command', 'entrypoint', 'working_dir', 'environment', 'depends_on', 'ready_log_line', 'readiness_probe', 'liveness_probe',
  'availability', 'shutdown', 'disabled', 'is_daemon',
]);

function isNull(ctx: PcContext, node: unknown): boolean {
  return isNullNode(ctx.view.resolve(node));
}

/** `environment` (a list of "K=V"; a mapping is taken too) as msdev's env mapping. */
export function environmentMap(ctx: PcContext, node: unknown, path: string, at: Range): YAMLMap | null {
  const v = ctx.view.resolve(node);
  if (v === null || (isScalar(v) && v.value === null)) return null;
  const out = mapAt(rangeFor(ctx, v, at));
  if (isMap(v)) {
    for (const x of ctx.view.entries(v)) {
      const t = isNull(ctx, x.value) ? '' : readText(ctx, x.value, `${path}.${x.key}`);
      if (t !== null) set(out, x.key, scalarAt(t, rangeFor(ctx, x.value, at)), x.keyNode);
    }
    return out;
  }
  if (!isSeq(v)) {
    fail(ctx, node, path, 'expected a list of "NAME=value"');
    return null;
  }
  v.items.forEach((item, i) => {
    const t = readText(ctx, item, `${path}.${i}`);
    if (t === null) return;
    const eq = t.indexOf('=');
    if (eq <= 0) {
      warn(ctx, item, `${path}.${i}`, `"${t.slice(0, 40)}" is not NAME=value; ignored`);
      return;
    }
    // A name given twice: the later one wins, as in the process's environment.
    if (out.has(t.slice(0, eq))) out.delete(t.slice(0, eq));
    set(out, t.slice(0, eq), scalarAt(t.slice(eq + 1), rangeFor(ctx, item, at)));
  });
  return out;
}

/** ready_log_line, readiness_probe, liveness_probe → one healthcheck. */
function health(ctx: PcContext, svc: YAMLMap, own: ReadonlyMap<string, Entry>, base: string, vars: ReadonlyMap<string, string | null>, at: Range, cwd: string | null, me: ProcessFacts): void {
  const line = own.get('ready_log_line');
  const ready = own.get('readiness_probe');
  const live = own.get('liveness_probe');
  if (line && ready && !isNull(ctx, line.value) && !isNull(ctx, ready.value)) {
    fail(ctx, line.keyNode, `${base}.ready_log_line`, 'ready_log_line and readiness_probe cannot both be set (process-compose refuses them too)');
    return;
  }
  if (line && !isNull(ctx, line.value) && me.readyLogLine === null) readText(ctx, line.value, `${base}.ready_log_line`);
  if (line && me.readyLogLine !== null) {
    const hc = mapAt(rangeFor(ctx, line.value, at));
    set(hc, 'log', scalarAt(escapeRegex(me.readyLogLine), rangeFor(ctx, line.value, at)));
    set(svc, 'healthcheck', hc, line.keyNode);
  } else if (ready && !isNull(ctx, ready.value)) {
    const hc = probeHealthcheck(ctx, ready.value, `${base}.readiness_probe`, vars, at, cwd);
    if (hc) set(svc, 'healthcheck', hc, ready.keyNode);
  }
  if (!live || isNull(ctx, live.value)) return;
  if (svc.has('healthcheck') || (line && me.readyLogLine !== null)) {
    warn(ctx, live.keyNode, `${base}.liveness_probe`, 'msdev has one health check (the readiness one here) and restarts a process when it exits, not when a probe fails; ignored');
    return;
  }
  const hc = probeHealthcheck(ctx, live.value, `${base}.liveness_probe`, vars, at, cwd);
  if (!hc) return;
  set(svc, 'healthcheck', hc, live.keyNode);
  warn(ctx, live.keyNode, `${base}.liveness_probe`, 'msdev uses it as the health check (it gates dependents and readiness), and restarts a process when it exits, not when this probe fails');
}

/** Regex special characters escaped: the line matches where it appears in a log line, as process-compose looks for it. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => `\\${c}`);
}

/** availability → restart, max_restarts; what msdev cannot do is said. */
function availability(ctx: PcContext, svc: YAMLMap, entry: Entry | undefined, path: string, at: Range, me: ProcessFacts): void {
  const a = entry ? ctx.view.resolve(entry.value) : undefined;
  if (entry && !isMap(a)) {
    if (!isNull(ctx, entry.value)) fail(ctx, entry.value, path, 'expected a mapping (restart, backoff_seconds, max_restarts, exit_on_end)');
    return;
  }
  let restart: string | null = null;
  let maxNode: Entry | undefined;
  for (const x of isMap(a) ? ctx.view.entries(a) : []) {
    const p = `${path}.${x.key}`;
    if (x.key === 'restart') {
      // `restart: no` unquoted is false to process-compose's YAML 1.1 reader.
      const raw = ctx.view.resolve(x.value);
      const t = isScalar(raw) && raw.value === false ? 'no' : readText(ctx, x.value, p);
      if (t === null) continue;
      const r = rangeFor(ctx, x.value, at);
      if (t === 'always') set(svc, 'restart', scalarAt('always', r), x.keyNode);
      else if (t === 'on_failure') set(svc, 'restart', scalarAt('on-failure', r), x.keyNode);
      else if (t === 'exit_on_failure') {
        set(svc, 'restart', scalarAt('no', r), x.keyNode);
        warn(ctx, x.value, p, 'msdev does not stop the stack when one process fails: this one is not restarted and ends failed; msdev up exits 1 (not its exit code) once every service has ended');
      } else if (t === 'no') {
        if (me.longRunning) warn(ctx, x.value, p, 'msdev restarts a process it waits to be healthy when it crashes (restart: on-failure): its restart: no would make it a task that must exit to be ready');
        else set(svc, 'restart', scalarAt('no', r), x.keyNode);
      } else fail(ctx, x.value, p, `"${t}" is not a restart policy; use no, on_failure, always or exit_on_failure`);
      restart = t;
    } else if (x.key === 'max_restarts') {
      maxNode = x;
    } else if (x.key === 'backoff_seconds') {
      warn(ctx, x.keyNode, p, 'msdev backs off 1s, 2s, 4s … up to 30s between restarts; ignored');
    } else if (x.key === 'exit_on_end') {
      if (readFlag(ctx, x.value)) warn(ctx, x.keyNode, p, 'msdev does not stop the stack when one process ends; msdev up exits by itself once every service has ended (0 if all completed, 1 if any failed), and msdev run -- CMD gives CMD\'s exit code');
    } else if (x.key === 'exit_on_skipped') {
      if (readFlag(ctx, x.value)) warn(ctx, x.keyNode, p, 'msdev does not stop the stack when a process is skipped (its dependency failed); ignored');
    } else warn(ctx, x.keyNode, p, 'unknown key of availability; ignored');
  }
  if (restart === 'always' || restart === 'on_failure') {
    // process-compose restarts without limit unless max_restarts says; msdev's own default is 5.
    if (maxNode) {
      const n = readCount(ctx, maxNode.value, `${path}.max_restarts`, 0);
      set(svc, 'max_restarts', scalarAt(n ?? 0, rangeFor(ctx, maxNode.value, at)), maxNode.keyNode);
    } else set(svc, 'max_restarts', scalarAt(0, rangeFor(ctx, entry?.keyNode, at)));
  } else if (maxNode) warn(ctx, maxNode.keyNode, `${path}.max_restarts`, 'only counts with restart: on_failure or always; ignored');
}

/** shutdown → stop_signal, stop_timeout; a shutdown command is not run. */
function shutdown(ctx: PcContext, svc: YAMLMap, entry: Entry | undefined, path: string, at: Range): void {
  if (!entry || isNull(ctx, entry.value)) return;
  const s = ctx.view.resolve(entry.value);
  if (!isMap(s)) {
    fail(ctx, entry.value, path, 'expected a mapping (signal, timeout_seconds, command)');
    return;
  }
  for (const x of ctx.view.entries(s)) {
    const p = `${path}.${x.key}`;
    const r = rangeFor(ctx, x.value, at);
    if (x.key === 'signal') {
      const n = readCount(ctx, x.value, p, 1);
      if (n === null) continue;
      const name = signalName(n);
      if (name) set(svc, 'stop_signal', scalarAt(name, r), x.keyNode);
      else warn(ctx, x.value, p, `msdev stops with SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGKILL, SIGUSR1 or SIGUSR2; signal ${n} is not one of them, SIGTERM is sent`);
    } else if (x.key === 'timeout_seconds') {
      const n = readCount(ctx, x.value, p, 0);
      if (n !== null) set(svc, 'stop_timeout', scalarAt(`${n}s`, r), x.keyNode);
    } else if (x.key === 'command') {
      warn(ctx, x.keyNode, p, 'msdev stops a process with its stop signal (then SIGKILL), and runs no shutdown command; ignored');
    } else if (x.key === 'parent_only') {
      if (readFlag(ctx, x.value)) warn(ctx, x.keyNode, p, 'msdev signals the whole process group, and stops every process the service started; ignored');
    } else warn(ctx, x.keyNode, p, 'unknown key of shutdown; ignored');
  }
}
