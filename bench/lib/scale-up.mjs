// `msdev up` of N `sleep` services → ready → SIGINT → every process gone, side by side with concurrently
// running the same N commands. Every service process is found by a token the bench puts in the tool's
// environment (inherited by everything it starts, whatever it execs) and by the pids the services write.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONCURRENTLY, MSDEV, NODE } from './env.mjs';
import { alive, forgetDead, killGroup, killPid, OwnSampler, pidsWithEnv, readStat, sleep, spawnTool, track, withTimeout } from './proc.mjs';
import { sleepYaml, writeProject } from './scale-project.mjs';

/** The sizes measured. */
export const UP_SIZES = [100, 1_000];
/** Each service: writes its pid, then becomes `sleep 1000` (same pid). Run by `sh -c` in both tools. */
export const SERVICE_COMMAND = 'echo $$ >> pids.txt; exec sleep 1000';
/** How long a stop may take before the bench gives up on it and kills everything (BENCH_SCALE_STOP_S overrides). */
export const STOP_TIMEOUT_MS = (Number(process.env.BENCH_SCALE_STOP_S) || 15) * 1000;
/** The environment variable carrying a run's token. */
const TOKEN_VAR = 'MSDEV_BENCH_SCALE_RUN';

/** The tools compared: each gives the command line for a project folder of n services. */
export function upTools() {
  return [
    {
      key: 'msdev',
      label: 'msdev up --json',
      // BENCH_CPU_PROF=DIR: msdev runs under `node --cpu-prof` and writes its profile into DIR.
      command: () =>
        process.env.BENCH_CPU_PROF
          ? { file: NODE, args: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, MSDEV, 'up', '--json'] }
          : { file: MSDEV, args: ['up', '--json'] },
      shown: 'bin/msdev.js up --json   (services.yaml: N services, each command: "echo $$$$ >> pids.txt; exec sleep 1000", as $$ is a literal $ there)',
    },
    {
      key: 'conc',
      label: 'concurrently',
      command: (n) => ({ file: CONCURRENTLY, args: Array.from({ length: n }, () => SERVICE_COMMAND) }),
      shown: `node_modules/.bin/concurrently 'echo $$ >> pids.txt; exec sleep 1000' …   (N times)`,
    },
  ];
}

/** The pids written to pids.txt so far. */
function writtenPids(dir) {
  const file = join(dir, 'pids.txt');
  if (!existsSync(file)) return [];
  const pids = readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  if (pids.some((p) => !(p > 1))) throw new Error(`pids.txt holds something that is not a pid: ${readFileSync(file, 'utf8').slice(0, 100)}`);
  return pids;
}

/**
 * One run: start the tool on n services, wait until all n pids are written (and, for msdev, its
 * `ready` event), SIGINT to the tool process only, then poll until it exited and every service pid
 * is gone. Returns the figures (ms since spawn for start-up, ms since SIGINT for the stop).
 */
export async function upOnce(tool, n, work, { startTimeoutMs = 180_000, stopTimeoutMs = STOP_TIMEOUT_MS, graceMs = 2_000 } = {}) {
  // In services.yaml `$$` is a literal `$` (SPEC §1), so the shell's `$$` is written `$$$$` there.
  const dir = writeProject(work, `up-${tool.key}-${n}`, 'services.yaml', sleepYaml(n, SERVICE_COMMAND.replaceAll('$', () => '$$')));
  const token = `${TOKEN_VAR}=${process.pid}-${randomBytes(6).toString('hex')}`;
  const env = { ...process.env, NO_COLOR: '1', [TOKEN_VAR]: token.slice(TOKEN_VAR.length + 1) };
  delete env.FORCE_COLOR;
  const { file, args } = tool.command(n);
  const t = spawnTool(file, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const sampler = new OwnSampler(t.pid, 20);
  const res = { n, readyMs: NaN, allStartedMs: NaN, exitMs: NaN, goneMs: NaN, aliveAtExit: NaN, leftovers: NaN, code: null };
  let exited = false;
  t.exited.then((e) => {
    exited = true;
    res.code = e.code ?? e.signal;
  });
  let rest = '';
  t.child.stdout.setEncoding('utf8');
  t.child.stdout.on('data', (chunk) => {
    if (tool.key !== 'msdev') return;
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) if (Number.isNaN(res.readyMs) && line.includes('"type":"ready"')) res.readyMs = performance.now() - t.t0;
  });
  try {
    // Start-up: poll pids.txt until it holds n pids (and msdev said ready).
    const deadline = t.t0 + startTimeoutMs;
    for (;;) {
      const count = writtenPids(dir).length;
      if (count >= n && Number.isNaN(res.allStartedMs)) res.allStartedMs = performance.now() - t.t0;
      const readyDone = tool.key !== 'msdev' || !Number.isNaN(res.readyMs);
      if ((count >= n && readyDone) || exited || performance.now() > deadline) break;
      await sleep(25);
    }
    sampler.mark('atReady');
    res.started = writtenPids(dir).length;
    res.outcome = exited ? 'exited' : res.started >= n && (tool.key !== 'msdev' || !Number.isNaN(res.readyMs)) ? 'ready' : 'timeout';
    if (res.outcome !== 'ready') res.stderr = t.stderr().slice(0, 500);

    // Stop: SIGINT to the tool process only, as a terminal's Ctrl-C through a script or a supervisor would.
    let pids = writtenPids(dir);
    track(pids);
    const t0 = performance.now();
    killPid(t.pid, 'SIGINT');
    let exitSeenAt = NaN;
    for (;;) {
      const now = performance.now();
      pids = pids.filter(alive);
      if (exited && Number.isNaN(exitSeenAt)) {
        exitSeenAt = now;
        res.exitMs = now - t0;
        res.aliveAtExit = pids.length;
      }
      if (pids.length === 0 && Number.isNaN(res.goneMs)) res.goneMs = now - t0;
      if (exited && pids.length === 0) break;
      if (exited && now - exitSeenAt > graceMs) break;
      if (now - t0 > stopTimeoutMs) break;
      await sleep(pids.length > 100 ? 20 : 5);
    }
    // Whatever carries the token is left behind (sh that never exec'd, anything a service started);
    // when the tool never exited, what was still alive when the bench gave up.
    res.stopTimedOut = !exited;
    res.leftovers = pidsWithEnv(token).filter((p) => p !== t.pid).length;
  } finally {
    const s = sampler.stop();
    res.cpuS = s.cpuS;
    res.cpuAtReadyS = s.marks.atReady ?? NaN;
    res.peakMb = s.peakMb;
    await cleanUpRun(t, token);
  }
  return res;
}

/** Kills the tool's group and every process carrying the run's token (by pid and its group), then waits. */
async function cleanUpRun(t, token) {
  killGroup(t.pid);
  const left = pidsWithEnv(token);
  for (const pid of left) {
    const s = readStat(pid);
    if (s && s.pgid > 1) killGroup(s.pgid);
    killPid(pid);
  }
  const end = performance.now() + 5_000;
  while (left.some(alive) && performance.now() < end) await sleep(20);
  await withTimeout(t.exited, 2_000);
  forgetDead();
}
