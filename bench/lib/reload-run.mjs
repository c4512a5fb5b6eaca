// The reload benchmark's moving parts: a project whose service answers its version.txt over HTTP, a poller
// that times when a new version answers, and the tools that restart the service on a change: msdev (`up --json`
// or `up --no-tui`), `node --watch-path`, and the service started by hand (its own start and exit time).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { FIXTURES, MSDEV, NODE, toolEnv } from './env.mjs';
import { killGroup, killPid, sleep, spawnTool, track, waitUntil, withTimeout } from './proc.mjs';

/** Time between two GET / of the poller (after the previous one ended). */
export const POLL_MS = 3;
/** The service: node bench/fixtures/version-server.mjs (reads version.txt at start, answers it). */
export const SERVER = join(FIXTURES, 'version-server.mjs');
/** How long one change may take to answer before it counts as failed. */
const CHANGE_TIMEOUT_MS = 15_000;

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One GET / on a fresh connection: the body, or null (refused, reset, no answer within a second). */
export function getOnce(port) {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.setTimeout(1000, () => req.destroy());
  });
}

/** Polls GET / every POLL_MS until it answers `expected`: the performance.now() of that answer, or NaN after timeoutMs. */
export async function waitForAnswer(port, expected, timeoutMs = CHANGE_TIMEOUT_MS) {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const body = await getOnce(port);
    const now = performance.now();
    if (body === expected) return now;
    if (now > end) return NaN;
    await sleep(POLL_MS);
  }
}

/** A folder holding version.txt (`v0`) and, for msdev, a services.yaml; returns its path. */
export function makeReloadProject(work, name, yaml) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'version.txt'), 'v0\n');
  if (yaml) writeFileSync(join(dir, 'services.yaml'), yaml);
  return dir;
}

/** The services.yaml of the msdev cases: the service, a fixed port, an http check, a watch of version.txt. */
export function reloadYaml(port, debounceMs) {
  return (
    'name: reload\nservices:\n  web:\n' +
    `    command: [${JSON.stringify(NODE)}, ${JSON.stringify(SERVER)}]\n` +
    `    port: ${port}\n` +
    '    healthcheck: { http: "http://127.0.0.1:${port}/", start_interval: 25ms }\n' +
    `    watch: { paths: [version.txt], debounce: ${debounceMs}ms }\n`
  );
}

/** Writes version `v${i}` (the change) and times it until that version answers: { ms, wall, t0 }. */
async function changeAndTime(dir, port, i) {
  const wall = Date.now();
  const t0 = performance.now();
  writeFileSync(join(dir, 'version.txt'), `v${i}\n`);
  const at = await waitForAnswer(port, `v${i}`);
  return { ms: at - t0, wall, t0 };
}

/** POST /watch {"enabled": true} on msdev's control socket (it also lifts a loop-guard pause and resets its count). */
function watchOn(dir) {
  return new Promise((resolve) => {
    const body = JSON.stringify({ enabled: true });
    const req = request({ socketPath: join(dir, '.msdev', 'msdev.sock'), method: 'POST', path: '/watch', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

/**
 * msdev running the project, `up --json` or `up --no-tui`. start() resolves once it is watching, v0 answers
 * and the service is healthy; change(i) writes v${i} and resolves with the latency and (--json) the time of
 * each state change after the write, once the service is healthy again.
 */
export class MsdevReload {
  constructor({ json, debounceMs, dir, port }) {
    Object.assign(this, { json, debounceMs, dir, port });
    this.lines = [];
    this.paused = 0;
  }

  async start() {
    this.t = spawnTool(MSDEV, ['up', this.json ? '--json' : '--no-tui'], { cwd: this.dir, env: toolEnv() });
    let rest = '';
    this.t.child.stdout.setEncoding('utf8');
    this.t.child.stdout.on('data', (chunk) => {
      const at = performance.now();
      const parts = (rest + chunk).split('\n');
      rest = parts.pop();
      for (const text of parts) {
        const line = { text, at, ev: null };
        if (this.json) {
          try {
            line.ev = JSON.parse(text);
          } catch {
            // not an event
          }
          if (typeof line.ev?.pid === 'number') track([line.ev.pid]);
        }
        if (/watching paused/.test(text)) this.paused++;
        this.lines.push(line);
      }
    });
    const watching = () => this.lines.some((l) => /watching for changes: web/.test(l.text));
    const ok = await waitUntil(() => watching() || this.t.child.exitCode !== null, 30_000, 5);
    if (!ok || !watching()) throw new Error(`msdev up did not start watching: ${this.t.stderr().slice(0, 500)}`);
    if (!Number.isFinite(await waitForAnswer(this.port, 'v0'))) throw new Error('the service never answered v0 under msdev');
    await this.untilHealthy(0);
  }

  /** Waits until the service is healthy again after line index `from` (a state event, or the plain line). */
  untilHealthy(from) {
    const healthy = (l) => (this.json ? l.ev?.type === 'state' && l.ev.service === 'web' && l.ev.state === 'healthy' : /^msdev \| web: healthy$/.test(l.text));
    return waitUntil(() => this.lines.slice(from).some(healthy), CHANGE_TIMEOUT_MS, 2);
  }

  async change(i) {
    // msdev pauses a service's watch after more than 5 restarts a minute; turning watching on resets that count.
    await watchOn(this.dir);
    const mark = this.lines.length;
    const res = await changeAndTime(this.dir, this.port, i);
    await this.untilHealthy(mark);
    // With --json, each state change after the write, in ms since it (from the events' ts: 1 ms resolution).
    const phases = {};
    for (const { ev } of this.lines.slice(mark)) {
      if (ev?.type === 'state' && ev.service === 'web' && !(ev.state in phases)) phases[ev.state] = Date.parse(ev.ts) - res.wall;
    }
    return { ms: res.ms, phases };
  }

  /** SIGINT, as a user's Ctrl-C; resolves once msdev exited (killed after 15 s). */
  async stop() {
    if (!this.t) return;
    try {
      const state = JSON.parse(readFileSync(join(this.dir, '.msdev', 'state.json'), 'utf8'));
      track(Object.values(state.services ?? {}).map((s) => s.pid).filter((p) => typeof p === 'number'));
    } catch {
      // no state file: nothing more to track
    }
    killPid(this.t.pid, 'SIGINT');
    if ((await withTimeout(this.t.exited, 15_000)) === null) killGroup(this.t.pid);
  }
}

/** `node --watch-path=version.txt version-server.mjs`: Node's own watch mode restarting the same service. */
export class NodeWatchReload {
  constructor({ dir, port }) {
    Object.assign(this, { dir, port });
  }

  async start() {
    this.t = spawnTool(NODE, ['--watch-path=version.txt', SERVER], { cwd: this.dir, env: { ...toolEnv(), PORT: String(this.port) } });
    this.t.child.stdout.resume();
    if (!Number.isFinite(await waitForAnswer(this.port, 'v0', 30_000))) throw new Error(`node --watch never answered v0: ${this.t.stderr().slice(0, 500)}`);
  }

  async change(i) {
    const res = await changeAndTime(this.dir, this.port, i);
    return { ms: res.ms, phases: {} };
  }

  async stop() {
    if (!this.t) return;
    killGroup(this.t.pid, 'SIGTERM');
    if ((await withTimeout(this.t.exited, 10_000)) === null) killGroup(this.t.pid);
  }
}

/**
 * The service alone, started by hand: spawn → the first answer of its version (its own start time, with the
 * same poller; of it, spawn() → the child's `spawn` event: fork and exec), then SIGTERM → its exit (its own
 * stop time). Returns { startMs, execMs, exitMs }.
 */
export async function plainStartStop(dir, port, i) {
  writeFileSync(join(dir, 'version.txt'), `v${i}\n`);
  const t = spawnTool(NODE, [SERVER], { cwd: dir, env: { ...toolEnv(), PORT: String(port) } });
  let execMs = NaN;
  t.child.once('spawn', () => (execMs = performance.now() - t.t0));
  t.child.stdout.resume();
  const at = await waitForAnswer(port, `v${i}`);
  const startMs = at - t.t0;
  const signalled = performance.now();
  killPid(t.pid, 'SIGTERM');
  const exit = await withTimeout(t.exited, 10_000);
  if (exit === null) killGroup(t.pid);
  return { startMs, execMs, exitMs: exit === null ? NaN : t.t0 + exit.ms - signalled };
}

/** The service started by hand, as one more tool taking its turn: change(i) is one start and stop (plainStartStop). */
export class ByHand {
  constructor({ dir, port }) {
    Object.assign(this, { dir, port });
  }

  start() {
    return Promise.resolve();
  }

  async change(i) {
    const own = await plainStartStop(this.dir, this.port, i);
    return { ms: own.startMs, ...own, phases: {} };
  }

  stop() {
    return Promise.resolve();
  }
}
