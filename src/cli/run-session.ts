// What `up`, `run` and `smoke` share: load the config, check ports and leftovers, wire the engine to
// the front end, the log files and state.json, handle Ctrl-C, and tear everything down at the end.
import { ConfigError, formatProblem } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import type { ProjectConfig } from '../config/model.js';
import { checkFixedPorts } from '../config/ports.js';
import { createEngine } from '../create-engine.js';
import type { StackControl, StackEvent } from '../core/control.js';
import type { EventListener } from '../core/events.js';
import { removeContainerLeftovers } from './container-leftovers.js';
import { configNotes } from './config-notes.js';
import { configSource } from '../config/config-source.js';
import { InstanceFile, msdevDir, reapDeadInstance, type ReapResult } from './instance-file.js';
import { acquireInstanceLock, InstanceDirError } from './instance-lock.js';
import { createJsonFrontend, jsonDropNote, jsonExitLine } from '../frontends/json/json-frontend.js';
import { createPlainFrontend } from '../frontends/plain/plain-frontend.js';
import { createLogFiles, logFileFailure, type LogFiles } from '../output/log-file.js';
import { createStdoutWriter } from '../output/stdout-writer.js';
import type { GlobalOptions } from './options.js';
import { packageVersion } from './package-version.js';
import type { ControlServer, InstanceInfo } from '../frontends/control/control-server.js';
import type { Engine } from '../engine/engine.js';
import type { ConfigReloader } from './config-reload.js';
import { join, relative } from 'node:path';

/** Exit code of a run stopped by a second Ctrl-C (or interrupted run/smoke). */
export const INTERRUPTED_EXIT = 130;

/** How a run shows its events. */
export interface RunOutput {
  readonly services: readonly string[];
  readonly json: boolean;
  readonly raw: boolean;
  /** Show the services' log lines (plain mode); false shows only msdev's own messages. Default true. */
  readonly logs?: boolean;
  /** Where plain output goes: stdout (up) or stderr (run, smoke: stdout belongs to CMD and the table); `none` when the TUI draws the screen. */
  readonly to?: 'stdout' | 'stderr' | 'none';
  /** When the reader of msdev's output falls behind, drop lines from it (noted) instead of pausing the services. */
  readonly dropLines?: boolean;
  /** Hot reload (`up`, unless --no-watch): services restart on changes to their watched files, and edits of the config file are applied. */
  readonly watch?: boolean;
}

/** A prepared run: the engine wired to its outputs, not yet started. */
export interface RunSession {
  readonly config: ProjectConfig;
  /** The running stack, as every front end sees it. */
  readonly stack: StackControl;
  /** The services to start (empty: all active). */
  readonly services: readonly string[];
  /** The control socket once it listens (null when it could not be set up: said as a warning). */
  readonly control: Promise<ControlServer | null>;
  /** Resolves on the first Ctrl-C, SIGTERM or SIGHUP, or `msdev down`; a second Ctrl-C kills everything and exits 130 at once. */
  onInterrupt(): Promise<void>;
  /** Stops everything in reverse order, flushes logs and output, removes state.json; resolves with `code`. */
  finish(code: number): Promise<number>;
}

/** Loads and checks everything, then wires up a session; returns an exit code instead when it cannot start. */
export async function prepareRun(opts: GlobalOptions, output: RunOutput): Promise<RunSession | number> {
  let config: ProjectConfig;
  try {
    config = await loadConfig({ file: opts.file, cwd: opts.cwd, profiles: opts.profiles, env: process.env, services: output.services });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  // One msdev per project: the lock first, then what a killed msdev left (it may hold a fixed port), then the ports.
  try {
    const lock = acquireInstanceLock(msdevDir(config.dir));
    if (!lock.ok) return refuse(config, lock.holder);
    const killed = await reapDeadInstance(config.dir);
    if (killed.live !== undefined) return refuse(config, killed.live);
    const containers = Object.values(config.services).some((s) => s.kind === 'container') ? await removeContainerLeftovers(config.dir) : [];
    const reaped: ReapResult = { ...killed, reaped: [...new Set([...killed.reaped, ...containers])] };
    const taken = await checkFixedPorts(config);
    if (taken.length > 0) {
      process.stderr.write(`${taken.map(formatProblem).join('\n')}\nmsdev: nothing was started.\n`);
      return 1;
    }
    return createSession(config, opts, output, reaped);
  } catch (err) {
    if (err instanceof InstanceDirError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** After a second Ctrl-C, how long msdev waits for what it killed to be gone (containers) before it exits. */
const KILL_WAIT_MS = 3_000;

/** The least time between two rewrites of state.json while services start. */
const RECORD_GAP_MS = 100;

/** Says that another msdev runs the project; the exit code. */
function refuse(config: ProjectConfig, other: number): number {
  process.stderr.write(`msdev: another msdev (pid ${other}) already runs ${config.name} from ${config.dir}; stop it first (Ctrl-C in its terminal, or kill ${other}).\n`);
  return 1;
}

function createSession(config: ProjectConfig, opts: GlobalOptions, output: RunOutput, reaped: ReapResult): RunSession {
  // A failed rewrite (disk full mid-run) is said once; `frontend` is set before the first rewrite.
  const instance = new InstanceFile(config.dir, (text) => engine.announce('error', text));
  const flushers: (() => Promise<void>)[] = [];
  // A reader that falls behind pauses the services (backpressure): no line is lost and memory stays
  // bounded. Each writer that is behind holds the pause; under --drop-lines they drop lines instead.
  const behind = new Set<string>();
  const pressure = (who: string) => (isBehind: boolean): void => {
    if (isBehind) behind.add(who);
    else behind.delete(who);
    if (behind.size > 0) engine.pauseOutput();
    else engine.resumeOutput();
  };
  const overflow = output.dropLines === true ? 'drop' : 'pause';
  // In --json every stdout line is one JSON object, the note of dropped lines included.
  const out = createStdoutWriter(process.stdout, { overflow, onBehind: pressure('stdout'), ...(output.json ? { dropNote: jsonDropNote } : {}) });
  const names = config.active;
  let frontend: EventListener;
  if (output.to === 'none') frontend = () => undefined;
  else if (output.json) frontend = createJsonFrontend({ write: (s) => out.write(s) }).listener;
  else {
    const toStderr = output.to === 'stderr';
    const err = toStderr ? createStdoutWriter(process.stderr, { overflow, onBehind: pressure('stderr') }) : out;
    const color = opts.color && (toStderr ? process.stderr : process.stdout).isTTY === true;
    const plain = createPlainFrontend({ names, color, raw: output.raw, quiet: opts.quiet, write: (s) => err.write(s) }).listener;
    frontend = output.logs === false ? (event) => event.type !== 'log' && plain(event) : plain;
    if (toStderr) flushers.push(() => err.flush());
  }
  const logFiles: LogFiles = createLogFiles(join(msdevDir(config.dir), 'logs'), names, {
    // Said once per file, on screen and as an event; the file stops there and the run goes on.
    onError: (service, err) => engine.announce('error', logFileFailure(relative(config.dir, logFiles.path(service)), err)),
  });
  const watching = output.watch === true;
  const engine = createEngine(config, { watch: watching });
  // `msdev down` (POST /shutdown) stops the run as a first Ctrl-C does.
  let requestStop: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  let downAsked = false;
  const reloader = watching ? startConfigWatch(config, opts, output, engine) : Promise.resolve(null);
  const control = startControl(config, engine, () => {
    if (!opts.quiet && !downAsked) say('info', 'msdev down: stopping everything');
    downAsked = true;
    requestStop();
  });

  let finishing: Promise<number> | null = null;
  const recordInstance = (): void => {
    const services: Record<string, { pid: number | null; container: string | null }> = {};
    for (const s of engine.snapshotNow()) services[s.name] = { pid: s.pid, container: s.container };
    instance.write(services);
    lastRecord = Date.now();
  };
  // Rewritten once for all the changes of one synchronous run, and at most every RECORD_GAP_MS while
  // services keep starting (a thousand services started one per turn rewrote it a thousand times:
  // 1.6 s). A service started in between is still found by its MSDEV_RUN mark if msdev is killed.
  let lastRecord = 0;
  let recordQueued = false;
  let recordTimer: NodeJS.Timeout | null = null;
  const queueRecord = (): void => {
    if (recordQueued || recordTimer) return;
    const wait = lastRecord + RECORD_GAP_MS - Date.now();
    const write = (): void => {
      recordQueued = false;
      recordTimer = null;
      if (!finishing) recordInstance();
    };
    if (wait > 0) {
      recordTimer = setTimeout(write, wait);
      recordTimer.unref();
      return;
    }
    recordQueued = true;
    queueMicrotask(write);
  };
  engine.subscribe((event: StackEvent) => {
    // The plain and JSON front ends print changes only: the snapshot a subscriber starts with is for views (TUI, ps).
    if (event.type === 'snapshot') return;
    frontend(event);
    logFiles.listener(event);
    if (event.type === 'state' && (event.state === 'running' || event.prev === 'stopping' || event.state === 'crashed')) queueRecord();
  });
  recordInstance();

  // msdev's own messages go through the engine, so that every front end sees them, a late one (the TUI) too.
  const say = (level: 'info' | 'warn' | 'error', text: string): void => engine.announce(level, text);
  for (const note of configNotes(configSource(config))) if (note.level === 'warn' || !opts.quiet) say(note.level, note.text);
  if (reaped.reaped.length > 0) say('warn', `killed what an earlier msdev left running: ${reaped.reaped.join(', ')}`);
  if (reaped.stale.length > 0) {
    const pids = reaped.stale.join(', ');
    say('info', `.msdev/state.json was stale: pid ${pids} ${reaped.stale.length === 1 ? 'is another process' : 'are other processes'} now; left alone`);
  }

  return {
    config,
    stack: engine,
    services: output.services,
    control,
    onInterrupt() {
      return new Promise<void>((resolve) => {
        let count = 0;
        // After `msdev down`, a Ctrl-C is a second one: it kills at once.
        void stopRequested.then(() => {
          count++;
          resolve();
        });
        const onSignal = (signal: NodeJS.Signals): void => {
          count++;
          if (count === 1) {
            if (!opts.quiet) say('info', `${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping everything (Ctrl-C again to kill at once)`);
            resolve();
            return;
          }
          if (signal === 'SIGINT') {
            say('warn', 'second Ctrl-C: killing everything');
            engine.kill();
            // Containers go by requests to their engine: those get a moment to be sent and answered.
            void Promise.race([engine.whenKilled(), new Promise((r) => setTimeout(r, KILL_WAIT_MS))])
              .then(() => out.flush())
              .finally(() => process.exit(INTERRUPTED_EXIT));
          }
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        // A closed terminal: without a handler Node would die at once and leave every service running.
        process.on('SIGHUP', onSignal);
      });
    },
    finish(code: number) {
      finishing ??= (async () => {
        await (await reloader)?.close();
        await engine.shutdown();
        engine.dispose();
        await logFiles.close();
        // The socket goes last but for state.json: a client waiting on it (`msdev down`) then finds everything stopped.
        await (await control)?.close(code);
        instance.remove();
        if (output.json) out.writeKept(jsonExitLine(code));
        await Promise.all([out.flush(), ...flushers.map((f) => f())]);
        return code;
      })();
      return finishing;
    },
  };
}

/** Starts the control socket in the background (the services start meanwhile); a failure is said, and the run goes on without it. */
async function startControl(config: ProjectConfig, engine: Engine, onShutdown: () => void): Promise<ControlServer | null> {
  // After the command has started the services: loading node:http costs ~5 ms they need not wait for.
  await new Promise((resolve) => setImmediate(resolve));
  const { startControlServer } = await import('../frontends/control/control-server.js');
  const startedAt = new Date().toISOString();
  const version = packageVersion();
  // Asked each time: a reload of services.yaml changes the services.
  const info = (): InstanceInfo => {
    const now = engine.config;
    const dependsOn: Record<string, Readonly<Record<string, 'started' | 'healthy' | 'completed'>>> = {};
    for (const name of now.active) dependsOn[name] = now.services[name]!.dependsOn;
    return { pid: process.pid, project: now.name, dir: now.dir, file: now.file, version, services: now.active, depends_on: dependsOn, started_at: startedAt };
  };
  try {
    return await startControlServer({
      stack: engine,
      msdevDir: msdevDir(config.dir),
      info,
      onShutdown,
      onNote: (level, text) => engine.announce(level, text),
    });
  } catch (err) {
    engine.announce('warn', `${err instanceof Error ? err.message : String(err)}; msdev ps, logs, stop and down cannot reach this run`);
    return null;
  }
}

/** Watches the config file (and its env files) in the background once the services have started; a failure is said and the run goes on. */
async function startConfigWatch(config: ProjectConfig, opts: GlobalOptions, output: RunOutput, engine: Engine): Promise<ConfigReloader | null> {
  await new Promise((resolve) => setImmediate(resolve));
  const { watchConfig } = await import('./config-reload.js');
  try {
    return await watchConfig({
      engine,
      // The same file, named as the first load named it (its errors read `services.yaml:9:17: …`).
      load: (keepPorts) => loadConfig({ file: relative(opts.cwd, config.file), cwd: opts.cwd, profiles: opts.profiles, env: process.env, services: output.services, keepPorts }),
      say: (level, text) => engine.announce(level, text),
      poll: process.env.MSDEV_WATCH_POLL === '1',
    });
  } catch (err) {
    engine.announce('warn', `cannot watch ${config.file}: ${err instanceof Error ? err.message : String(err)}; edits to it apply at the next msdev up`);
    return null;
  }
}
