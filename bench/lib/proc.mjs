// Spawning the tools under test, reading /proc, and cleaning up everything the bench started (by pid only).
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Process groups the bench spawned (detached: pgid = pid), killed on cleanup. */
const groups = new Set();
/** Other pids the bench learned about (service pids from pid files, descendants seen while sampling). */
const extraPids = new Set();
/** The bench's own process group, never signalled. */
const ownPgid = readStat(process.pid)?.pgid ?? -1;

/** The parsed /proc/PID/stat of a process, or null when it is gone. */
export function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' ');
  // f[0] = state (field 3), f[1] = ppid, f[2] = pgrp, f[11] = utime, f[12] = stime (clock ticks)
  return { state: f[0], ppid: Number(f[1]), pgid: Number(f[2]), cpuTicks: Number(f[11]) + Number(f[12]) };
}

/** Whether a process is alive (zombies count as gone). */
export function alive(pid) {
  const s = readStat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/** VmRSS and VmHWM of a process in KiB, or null when it is gone. */
export function readMem(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return null;
  }
  const rss = /VmRSS:\s+(\d+)/.exec(text);
  const hwm = /VmHWM:\s+(\d+)/.exec(text);
  if (!rss) return null; // a zombie has no memory lines
  return { rssKb: Number(rss[1]), hwmKb: hwm ? Number(hwm[1]) : Number(rss[1]) };
}

/** Every live pid with its parent, from /proc. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const pid = Number(name);
    const s = readStat(pid);
    if (s) table.set(pid, s);
  }
  return table;
}

/** The pids descending from root (root excluded), found by walking parent links in /proc. */
export function descendants(root) {
  const children = new Map();
  for (const [pid, s] of processTable()) {
    let list = children.get(s.ppid);
    if (!list) children.set(s.ppid, (list = []));
    list.push(pid);
  }
  const out = [];
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop();
    for (const c of children.get(p) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/** Clock ticks per second (for utime/stime in /proc/PID/stat). */
export const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout);
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/**
 * Samples memory every intervalMs: the tool process's own VmRSS/VmHWM, and the sum of VmRSS over the
 * tool and all its descendants (the tree). The peak of the tool's own memory is max(VmHWM) over the
 * samples, so growth between the last sample and exit is the only thing it can miss.
 */
export class RssSampler {
  constructor(pid, intervalMs = 50) {
    this.pid = pid;
    this.toolPeakKb = 0;
    this.treePeakKb = 0;
    this.toolCpuTicks = 0;
    this.samples = 0;
    this.seen = new Set();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }

  sample() {
    const own = readMem(this.pid);
    if (!own) return;
    const st = readStat(this.pid);
    if (st && st.state !== 'Z') this.toolCpuTicks = st.cpuTicks;
    this.samples++;
    this.toolPeakKb = Math.max(this.toolPeakKb, own.hwmKb, own.rssKb);
    let tree = own.rssKb;
    for (const d of descendants(this.pid)) {
      this.seen.add(d);
      extraPids.add(d);
      const m = readMem(d);
      if (m) tree += m.rssKb;
    }
    this.treePeakKb = Math.max(this.treePeakKb, tree);
  }

  /** Stops sampling; returns the peaks in MB and the tool's CPU seconds (as of its last sample). */
  stop() {
    clearInterval(this.timer);
    return {
      toolPeakMb: this.toolPeakKb / 1024,
      treePeakMb: this.treePeakKb / 1024,
      toolCpuS: this.toolCpuTicks / CLK_TCK,
      samples: this.samples,
    };
  }
}

/**
 * Samples one process cheaply (its own /proc/PID/stat and status, nothing else) every intervalMs: its CPU
 * time (user + system, its own, not its children's) and its peak RSS (max VmHWM). For a tool supervising
 * a thousand processes, where walking its descendants on every sample would cost more than the tool.
 * mark(label) keeps the CPU time at that moment (e.g. at ready).
 */
export class OwnSampler {
  constructor(pid, intervalMs = 20) {
    this.pid = pid;
    this.cpuTicks = 0;
    this.peakKb = 0;
    this.marks = {};
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }

  sample() {
    const st = readStat(this.pid);
    if (!st || st.state === 'X') return;
    this.cpuTicks = Math.max(this.cpuTicks, st.cpuTicks);
    const m = readMem(this.pid);
    if (m) this.peakKb = Math.max(this.peakKb, m.hwmKb, m.rssKb);
  }

  /** Samples now and keeps the CPU seconds so far under `label`. */
  mark(label) {
    this.sample();
    this.marks[label] = this.cpuTicks / CLK_TCK;
  }

  /** Stops sampling; returns the peak RSS in MB, the CPU seconds (as of the last sample) and the marks. */
  stop() {
    clearInterval(this.timer);
    return { peakMb: this.peakKb / 1024, cpuS: this.cpuTicks / CLK_TCK, marks: this.marks };
  }
}

/**
 * The live processes (zombies excluded) whose environment holds exactly `entry` (`NAME=value`): how the
 * bench finds every process of a run by a token it put in the tool's environment, whatever they exec'd.
 */
export function pidsWithEnv(entry) {
  const found = [];
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let env;
    try {
      env = readFileSync(`/proc/${name}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (!(env.startsWith(`${entry}\0`) || env.includes(`\0${entry}\0`))) continue;
    const pid = Number(name);
    if (alive(pid)) found.push(pid);
  }
  return found;
}

/**
 * Spawns a tool in its own process group (detached), remembered for cleanup. Returns the child, the
 * start time (t0: performance.now(), t0Wall: Date.now()), and `exited`, resolving with { code, signal, ms } (ms since spawn).
 */
export function spawnTool(file, args, { cwd, env, stdio = ['ignore', 'pipe', 'pipe'] } = {}) {
  const t0 = performance.now();
  const t0Wall = Date.now();
  const child = spawn(file, args, { cwd, env: env ?? process.env, stdio, detached: true });
  if (child.pid) groups.add(child.pid);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    if (stderr.length < 64 * 1024) stderr += d.toString();
  });
  const exited = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, ms: performance.now() - t0 }));
  });
  return { child, pid: child.pid, t0, t0Wall, exited, stderr: () => stderr };
}

/** Remembers pids to kill on cleanup (e.g. service pids from a pid file). */
export function track(pids) {
  for (const p of pids) extraPids.add(p);
}

/** Sends a signal to a process group, ignoring errors (ESRCH: already gone). */
export function killGroup(pgid, signal = 'SIGKILL') {
  if (!(pgid > 1) || pgid === ownPgid) return; // never the bench's own group
  try {
    process.kill(-pgid, signal);
  } catch {
    // gone
  }
}

/** Sends a signal to one pid, ignoring errors. */
export function killPid(pid, signal = 'SIGKILL') {
  try {
    process.kill(pid, signal);
  } catch {
    // gone
  }
}

/**
 * Kills everything the bench started: each spawned process group, each remembered pid, and the process
 * group of each remembered pid (msdev puts every service in its own session). Only pids the bench
 * spawned or saw descend from what it spawned are touched.
 */
export function cleanupAll() {
  for (const pid of extraPids) {
    const s = readStat(pid);
    if (s && s.state !== 'Z') killGroup(s.pgid);
    killPid(pid);
  }
  for (const pgid of groups) killGroup(pgid);
  extraPids.clear();
  groups.clear();
}

/** Forgets the pids of a finished run once they are confirmed gone (keeps the cleanup set small). */
export function forgetDead() {
  for (const pid of extraPids) if (!alive(pid)) extraPids.delete(pid);
  for (const pgid of groups) if (!alive(pgid)) groups.delete(pgid);
}


let hooked = false;
/** Installs exit/signal handlers that clean up before the bench process ends. */
export function installCleanupHandlers() {
  if (hooked) return;
  hooked = true;
  process.on('exit', cleanupAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      cleanupAll();
      process.exit(130);
    });
  }
}

/** Resolves after ms milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls pred every intervalMs until it is true (resolves true) or timeoutMs passes (resolves false). */
export async function waitUntil(pred, timeoutMs, intervalMs = 10) {
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (pred()) return true;
    if (performance.now() >= end) return false;
    await sleep(intervalMs);
  }
}

/** Resolves with the promise's value, or with `fallback` after ms. */
export function withTimeout(promise, ms, fallback = null) {
  let timer;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
