// A stack of 50 tiny services (fixtures/ready.mjs) started by msdev, concurrently or foreman: start it,
// time it to ready, stop it with SIGINT and time until every service process is gone.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONCURRENTLY, FIXTURES, MSDEV, NODE } from './env.mjs';
import { alive, cleanupAll, forgetDead, killPid, readStat, killGroup, sleep, spawnTool, track, withTimeout } from './proc.mjs';
import { makeProject, shq } from './project.mjs';

/** How many services the stack has. */
export const N_SERVICES = 50;
const READY = join(FIXTURES, 'ready.mjs');
const names = Array.from({ length: N_SERVICES }, (_, i) => `svc${String(i + 1).padStart(2, '0')}`);

/** The path of foreman when it is on PATH, else null. */
export function foremanPath() {
  const r = spawnSync('sh', ['-c', 'command -v foreman'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : null;
}

/** The 50-service services.yaml (log healthcheck `ready`), written into a temp folder; returns its dir. */
export function makeStackProject(pidFile, parent) {
  const services = Object.fromEntries(
    names.map((n) => [n, { command: `${shq(NODE)} ${shq(READY)} ${shq(pidFile)}`, healthcheck: { log: 'ready' } }]),
  );
  return makeProject('stack', services, parent).dir;
}

/** The services.yaml as shown in RESULTS.md. */
export const STACK_YAML_SHOWN =
  'services:\n' +
  '  svc01: { command: "node bench/fixtures/ready.mjs PIDFILE", healthcheck: { log: "ready" } }\n' +
  '  # … svc02 to svc50, the same\n';

/**
 * The tools that can run the stack. Each has start(work, pidFile) → { file, args, cwd }, and isReady(state)
 * telling from the lines seen on stdout whether everything is ready.
 */
export function stackTools() {
  const tools = [
    {
      key: 'msdev',
      label: 'msdev up --json',
      shown: 'bin/msdev.js up --json   (in the folder of the services.yaml below; ready = the {"type":"ready"} line)',
      start(work, pidFile) {
        return { file: MSDEV, args: ['up', '--json'], cwd: makeStackProject(pidFile, work) };
      },
      // Arrival times (now) and the times msdev stamped on the events (ts), both in ms since spawn.
      onLine(line, st, now) {
        let ev;
        try {
          ev = JSON.parse(line);
        } catch {
          return;
        }
        const gen = Date.parse(ev.ts) - st.t0Wall;
        if (st.firstMs === undefined) {
          st.firstMs = now;
          st.firstGenMs = gen;
        }
        if (ev.type === 'state') {
          const k = ev.state;
          st[k] = (st[k] ?? 0) + 1;
          if (k === 'healthy' && st[k] === 1) st.firstReadyMs = now;
          if (st[k] === N_SERVICES) {
            st[`all_${k}_ms`] = now;
            st[`all_${k}_gen`] = gen;
          }
        } else if (ev.type === 'ready') {
          st.readyMs = now;
          st.readyGenMs = gen;
          st.reportedMs = ev.ms;
        }
      },
    },
    {
      key: 'conc',
      label: 'concurrently',
      shown: `node_modules/.bin/concurrently "node bench/fixtures/ready.mjs PIDFILE" … (50 times)   (ready = 50 "[i] ready" lines printed)`,
      start(work, pidFile) {
        const cmd = `${shq(NODE)} ${shq(READY)} ${shq(pidFile)}`;
        return { file: CONCURRENTLY, args: names.map(() => cmd), cwd: work };
      },
      onLine: countReadyLines,
    },
  ];
  const foreman = foremanPath();
  if (foreman) {
    tools.push({
      key: 'foreman',
      label: 'foreman start',
      shown: 'foreman start -f Procfile   (Procfile: `svc01: node bench/fixtures/ready.mjs PIDFILE` … 50 lines; ready = 50 "| ready" lines)',
      start(work, pidFile) {
        const procfile = join(work, 'Procfile');
        writeFileSync(procfile, names.map((n) => `${n}: ${shq(NODE)} ${shq(READY)} ${shq(pidFile)}\n`).join(''));
        return { file: foreman, args: ['start', '-f', procfile, '-d', work], cwd: work };
      },
      onLine: countReadyLines,
    });
  }
  return tools;
}

function countReadyLines(line, st, now) {
  if (!/\bready\s*$/.test(line)) return;
  st.readyLines = (st.readyLines ?? 0) + 1;
  if (st.readyLines === 1) st.firstReadyMs = now;
  if (st.readyLines === N_SERVICES) st.readyMs = now;
}

/** The pids the services wrote to the pid file so far. */
export function stackPids(pidFile) {
  if (!existsSync(pidFile)) return [];
  return readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number);
}

function toolEnv() {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  env.NO_COLOR = '1';
  return env;
}

/**
 * Starts the stack with a tool and waits until it is ready (readyMs, ms since spawn, in the returned
 * stack's `st`) or timeoutMs passes (st.readyMs undefined). The caller must stop or kill it.
 */
export async function bootStack(tool, work, run, timeoutMs = 60_000) {
  const pidFile = join(work, `pids-${tool.key}-${run}.txt`);
  const { file, args, cwd } = tool.start(work, pidFile);
  const t = spawnTool(file, args, { cwd, env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const st = { t0Wall: t.t0Wall };
  let rest = '';
  let wake = null;
  t.child.stdout.setEncoding('utf8');
  t.child.stdout.on('data', (chunk) => {
    const now = performance.now() - t.t0;
    const text = rest + chunk;
    const lines = text.split('\n');
    rest = lines.pop();
    for (const line of lines) tool.onLine(line, st, now);
    if (st.readyMs !== undefined && wake) wake();
  });
  const ready = new Promise((resolve) => (wake = resolve));
  const outcome = await withTimeout(Promise.race([ready.then(() => 'ready'), t.exited.then(() => 'exited')]), timeoutMs, 'timeout');
  track(stackPids(pidFile));
  return { tool, t, st, pidFile, cwd, outcome };
}

/**
 * Sends SIGINT to the tool process (only to it, not its group) and measures: exitMs (signal → the tool
 * exits), goneMs (signal → the last service process is gone), aliveAtExit, and leftovers (service
 * processes still alive graceMs after the tool exited; they are then killed).
 */
export async function stopStack(stack, { timeoutMs = 30_000, graceMs = 2_000 } = {}) {
  const pids = stackPids(stack.pidFile);
  track(pids);
  const t0 = performance.now();
  killPid(stack.t.pid, 'SIGINT');
  let exitMs = NaN;
  let code = null;
  stack.t.exited.then((e) => {
    exitMs = performance.now() - t0;
    code = e.code ?? e.signal;
  });
  let goneMs = NaN;
  let aliveAtExit = NaN;
  const deadline = t0 + timeoutMs;
  let exitSeenAt = NaN;
  for (;;) {
    const now = performance.now();
    const living = pids.filter(alive).length;
    if (Number.isFinite(exitMs) && !Number.isFinite(exitSeenAt)) {
      exitSeenAt = now;
      aliveAtExit = living;
    }
    if (living === 0 && !Number.isFinite(goneMs)) goneMs = now - t0;
    if (Number.isFinite(goneMs) && Number.isFinite(exitMs)) break;
    if (Number.isFinite(exitSeenAt) && now - exitSeenAt > graceMs) break;
    if (now > deadline) break;
    await sleep(5);
  }
  const leftovers = pids.filter(alive).length;
  return { exitMs, goneMs, aliveAtExit, leftovers, code, services: pids.length };
}

/** Kills whatever is left of a stack (tool group, each service and its group) and waits until it is gone. */
export async function killStack(stack) {
  if (!stack) return;
  const pids = stackPids(stack.pidFile);
  track(pids);
  for (const pid of pids) {
    const s = readStat(pid);
    if (s && s.pgid > 1 && s.pgid !== stack.t.pid) killGroup(s.pgid);
  }
  cleanupAll();
  const end = performance.now() + 5_000;
  while (pids.some(alive) && performance.now() < end) await sleep(10);
  await withTimeout(stack.t.exited, 2_000);
  forgetDead();
}
