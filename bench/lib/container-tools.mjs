// The four ways the container benchmark starts 5 busybox httpd containers with an exec health check, each from
// start to ready and then stopped: msdev (`up -d`, `down`), a `docker run` shell loop with and without health,
// and docker-compose v1 (`up -d` then a wait for healthy, `down`). Each files its own project in a work folder.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MSDEV, NODE, progress, toolEnv } from './env.mjs';
import { containersOf, IMAGE, networksOf, removeAll, runningOf, sh } from './docker.mjs';
import { alive, killGroup, killPid, readStat, spawnTool, track, waitUntil, withTimeout } from './proc.mjs';

/** How many containers each tool starts. */
export const N_CONTAINERS = 5;
/** The health check, the same command for every tool (busybox wget against httpd on its own port). */
export const HEALTH_CMD = 'wget -q -O /dev/null http://127.0.0.1:8080/';
/** The health check interval given to every tool (compose terms); msdev keeps its default start_interval (100 ms). */
export const HEALTH_INTERVAL = '1s';
/** A start that takes longer than this is stopped and counted as failed. */
const RUN_TIMEOUT_MS = 60_000;
/** How long a stop may take before the bench gives up on it. */
const STOP_TIMEOUT_MS = 60_000;
/** The bench label on the containers of the docker run loop. */
export const BENCH_LABEL = 'dev.msdev.bench';
/** The shell's poll of `docker inspect` until every container is healthy (the loop and compose share it). */
const POLL = (ids) =>
  `until [ "$(docker inspect -f '{{.State.Health.Status}}' ${ids} | grep -c '^healthy$')" = ${N_CONTAINERS} ]; do sleep 0.05; done`;

/** Names web1 … web5. */
const names = () => Array.from({ length: N_CONTAINERS }, (_, i) => `web${i + 1}`);

/** msdev's services.yaml for project `name`: 5 image services, an ephemeral host port each, the exec check. */
export function msdevYaml(name) {
  const lines = [`name: ${name}`, 'services:'];
  for (const s of names()) {
    lines.push(`  ${s}:`, `    image: ${IMAGE}`, '    ports: ["8080"]', '    healthcheck:', `      exec: ${HEALTH_CMD}`, `      interval: ${HEALTH_INTERVAL}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The equivalent compose file: init, the port on 127.0.0.1 (as msdev binds it), the same check and interval, compose's other defaults. */
export function composeYaml() {
  const lines = ['services:'];
  for (const s of names()) {
    lines.push(
      `  ${s}:`,
      `    image: ${IMAGE}`,
      '    init: true',
      '    ports: ["127.0.0.1::8080"]',
      '    healthcheck:',
      `      test: ["CMD-SHELL", "${HEALTH_CMD}"]`,
      `      interval: ${HEALTH_INTERVAL}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The docker run loop as a shell script: `sh loop.sh PREFIX`; with health it then polls until all are healthy. */
export function loopScript(label, health) {
  const hc = health ? ` --health-cmd '${HEALTH_CMD}' --health-interval ${HEALTH_INTERVAL}` : '';
  return [
    'set -e',
    'ids=',
    `for i in $(seq ${N_CONTAINERS}); do`,
    `  ids="$ids $(docker run -d --init --name "$1-$i" --label ${label} -p 127.0.0.1::8080${hc} ${IMAGE})"`,
    'done',
    'echo started',
    ...(health ? [POLL('$ids')] : []),
    '',
  ].join('\n');
}

/** The compose run as a shell script: `sh compose.sh PROJECT`: up -d, then the same poll over the project's containers. */
export function composeScript() {
  return [
    'set -e',
    'docker-compose -p "$1" up -d',
    'echo started',
    POLL('$(docker ps -q --filter label=com.docker.compose.project="$1")'),
    '',
  ].join('\n');
}

/**
 * Runs a command to its end: { ok, ms, startedMs (when it printed `started`, if it does), code, stderr }.
 * Past the timeout its process group is killed and the run counts as failed.
 */
async function timed(file, args, cwd) {
  const t = spawnTool(file, args, { cwd, env: toolEnv() });
  let startedMs = NaN;
  let out = '';
  t.child.stdout.setEncoding('utf8');
  t.child.stdout.on('data', (chunk) => {
    out += chunk;
    if (Number.isNaN(startedMs) && out.includes('started\n')) startedMs = performance.now() - t.t0;
  });
  const exit = await withTimeout(t.exited, RUN_TIMEOUT_MS);
  if (exit === null) {
    killGroup(t.pid);
    return { ok: false, ms: NaN, startedMs, code: 'timeout', stderr: t.stderr(), out };
  }
  return { ok: exit.code === 0, ms: exit.ms, startedMs, code: exit.code ?? exit.signal, stderr: t.stderr(), out };
}

/** What a tool's stop left, then removed by id: { left (containers), leftRunning, leftNetworks }. */
function leftovers(token, labels) {
  const cs = containersOf(token, labels);
  const running = runningOf(cs).length;
  const ns = networksOf(token, labels).length;
  removeAll(token, labels);
  return { left: cs.length, leftRunning: running, leftNetworks: ns };
}

/** The supervisor pid msdev wrote to .msdev/state.json, or null. */
function supervisorPid(dir) {
  try {
    const pid = JSON.parse(readFileSync(join(dir, '.msdev', 'state.json'), 'utf8')).pid;
    return typeof pid === 'number' ? pid : null;
  } catch {
    return null;
  }
}

/** The tools, each { key, label, shown, prepare(work), run(r) → { ok, readyMs, startedMs, stopMs, left, leftRunning, leftNetworks, healthy } }. */
export function containerTools(token, { compose }) {
  const mName = `${token}m`;
  const mLabels = [`dev.msdev.project=${mName}`];
  const cProject = `${token}c`;
  const cLabels = [`com.docker.compose.project=${cProject}`];
  const lLabel = `${BENCH_LABEL}=${token}`;
  const dirs = {};
  const msdev = {
    key: 'msdev',
    label: 'msdev `up -d`',
    shown: '`msdev up -d` (returns once every service is healthy), then `msdev down`',
    prepare(work) {
      dirs.msdev = join(work, 'msdev');
      mkdirSync(dirs.msdev);
      writeFileSync(join(dirs.msdev, 'services.yaml'), msdevYaml(mName));
    },
    async run() {
      const up = await timed(NODE, [MSDEV, 'up', '-d'], dirs.msdev);
      const sup = supervisorPid(dirs.msdev);
      if (sup !== null) {
        track([sup]);
      }
      if (!up.ok) progress(`  msdev up -d failed (${up.code}): ${up.stderr.slice(0, 600)}`);
      const ps = sh(NODE, [MSDEV, 'ps', '--json'], { cwd: dirs.msdev, env: toolEnv() });
      let healthy = 0;
      try {
        healthy = JSON.parse(ps.out).filter((s) => s.health === 'healthy' || s.state === 'healthy').length;
      } catch {
        // no instance: none healthy
      }
      const down = sh(NODE, [MSDEV, 'down'], { cwd: dirs.msdev, env: toolEnv(), timeoutMs: STOP_TIMEOUT_MS });
      if (!down.ok) progress(`  msdev down failed (${down.code}): ${down.err.slice(0, 400)}`);
      if (sup !== null && !(await waitUntil(() => !alive(sup), 15_000, 20))) {
        progress(`  msdev's supervisor (pid ${sup}) still alive 15 s after down: killed`);
        const st = readStat(sup);
        if (st) killGroup(st.pgid);
        killPid(sup);
      }
      return { ok: up.ok, readyMs: up.ms, startedMs: NaN, stopMs: down.ok ? down.ms : NaN, healthy, ...leftovers(mName, mLabels) };
    },
  };
  const msdevJson = {
    key: 'msdevJson',
    label: 'msdev `up --json` (foreground, for the split)',
    shown: '`msdev up --json` in the same folder, until its `{"type":"ready"}` event; the state events split it; then SIGINT and its exit',
    prepare() {},
    async run() {
      const t = spawnTool(NODE, [MSDEV, 'up', '--json'], { cwd: dirs.msdev, env: toolEnv() });
      const at = { firstStarting: NaN, firstRunning: NaN, allRunning: NaN, firstHealthy: NaN, ready: NaN };
      const running = new Set();
      const healthySet = new Set();
      let rest = '';
      let onReady;
      const ready = new Promise((resolve) => (onReady = resolve));
      t.child.stdout.setEncoding('utf8');
      t.child.stdout.on('data', (chunk) => {
        const now = performance.now() - t.t0;
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const line of lines) {
          if (!line.startsWith('{')) continue;
          let e;
          try {
            e = JSON.parse(line);
          } catch {
            continue;
          }
          if (e.type === 'state' && e.state === 'starting' && Number.isNaN(at.firstStarting)) at.firstStarting = now;
          if (e.type === 'state' && e.state === 'running') {
            running.add(e.service);
            if (Number.isNaN(at.firstRunning)) at.firstRunning = now;
            if (running.size === N_CONTAINERS && Number.isNaN(at.allRunning)) at.allRunning = now;
          }
          if (e.type === 'state' && e.state === 'healthy') {
            healthySet.add(e.service);
            if (Number.isNaN(at.firstHealthy)) at.firstHealthy = now;
          }
          if (e.type === 'ready' && Number.isNaN(at.ready)) {
            at.ready = now;
            at.readyEventMs = e.ms;
            onReady();
          }
        }
      });
      const outcome = await withTimeout(Promise.race([ready.then(() => 'ready'), t.exited.then(() => 'exited')]), RUN_TIMEOUT_MS, 'timeout');
      if (outcome !== 'ready') progress(`  msdev up --json: ${outcome}; stderr: ${t.stderr().slice(0, 600)}`);
      const sup = supervisorPid(dirs.msdev);
      const t0 = performance.now();
      killPid(t.pid, 'SIGINT');
      const exit = await withTimeout(t.exited, STOP_TIMEOUT_MS);
      if (exit === null) {
        progress('  msdev up --json did not exit after SIGINT: killed');
        killGroup(t.pid);
      }
      const stopMs = exit === null ? NaN : performance.now() - t0;
      if (sup !== null && sup !== t.pid && alive(sup)) killPid(sup);
      return { ok: outcome === 'ready', readyMs: at.ready, startedMs: at.allRunning, stopMs, healthy: healthySet.size, split: at, ...leftovers(mName, mLabels) };
    },
  };
  const loop = (health) => ({
    key: health ? 'loopHealth' : 'loop',
    label: health ? '`docker run` loop + wait for healthy' : '`docker run` loop (no health check)',
    shown: health
      ? '`sh loop-health.sh`: 5 × `docker run -d --init -p 127.0.0.1::8080 --health-cmd … --health-interval 1s`, then `docker inspect` every 50 ms until all are healthy; then `docker stop` + `docker rm`'
      : '`sh loop.sh`: 5 × `docker run -d --init -p 127.0.0.1::8080` (started, not known ready); then `docker stop` + `docker rm`',
    prepare(work) {
      dirs.loop = work;
      writeFileSync(join(work, health ? 'loop-health.sh' : 'loop.sh'), loopScript(lLabel, health));
    },
    async run(r) {
      const prefix = `${token}${health ? 'h' : 'l'}${r}`;
      const res = await timed('sh', [health ? 'loop-health.sh' : 'loop.sh', prefix], dirs.loop);
      if (!res.ok) progress(`  the docker run loop failed (${res.code}): ${res.stderr.slice(0, 600)}`);
      const ids = containersOf(`${prefix}-`);
      const healthy = ids.length
        ? sh('docker', ['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', ...ids]).out.split('\n').filter((s) => s === 'healthy').length
        : 0;
      const t0 = performance.now();
      const stop = ids.length ? sh('docker', ['stop', ...ids], { timeoutMs: STOP_TIMEOUT_MS }) : { ok: true };
      const rm = stop.ok && ids.length ? sh('docker', ['rm', '-v', ...ids]) : { ok: stop.ok };
      const stopMs = stop.ok && rm.ok ? performance.now() - t0 : NaN;
      return { ok: res.ok, readyMs: res.ms, startedMs: res.startedMs, stopMs, healthy: health ? healthy : NaN, ...leftovers(`${prefix}-`, []) };
    },
  });
  const composeTool = {
    key: 'compose',
    label: `docker-compose ${compose ?? ''} \`up -d\` + wait for healthy`.replace('  ', ' '),
    shown: '`sh compose.sh` in a folder with the compose file: `docker-compose -p P up -d`, then `docker inspect` every 50 ms until all are healthy; then `docker-compose -p P down`',
    prepare(work) {
      dirs.compose = join(work, 'compose');
      mkdirSync(dirs.compose);
      writeFileSync(join(dirs.compose, 'docker-compose.yml'), composeYaml());
      writeFileSync(join(dirs.compose, 'compose.sh'), composeScript());
    },
    async run() {
      const res = await timed('sh', ['compose.sh', cProject], dirs.compose);
      if (!res.ok) progress(`  docker-compose failed (${res.code}): ${res.stderr.slice(0, 600)}`);
      const ids = containersOf(cProject, cLabels);
      const healthy = ids.length
        ? sh('docker', ['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', ...ids]).out.split('\n').filter((s) => s === 'healthy').length
        : 0;
      const down = sh('docker-compose', ['-p', cProject, 'down'], { cwd: dirs.compose, env: toolEnv(), timeoutMs: STOP_TIMEOUT_MS });
      if (!down.ok) progress(`  docker-compose down failed (${down.code}): ${down.err.slice(0, 400)}`);
      return { ok: res.ok, readyMs: res.ms, startedMs: res.startedMs, stopMs: down.ok ? down.ms : NaN, healthy, ...leftovers(cProject, cLabels) };
    },
  };
  return [msdev, msdevJson, loop(true), ...(compose ? [composeTool] : []), loop(false)];
}
