// The Docker engine for the container benchmark: whether one answers, the peers (docker CLI, docker-compose v1),
// and removing what a run created, found by a unique token in names and labels and removed by id, never by name.
import { spawnSync } from 'node:child_process';

/** The local image every case runs (made by scripts/busybox-image.sh; no registry needed). */
export const IMAGE = 'msdev-test/busybox';

/** Runs a CLI synchronously: { ok, code, out, err, ms, missing } (missing: the program is not on PATH). */
export function sh(file, args, { timeoutMs = 60_000, cwd, env } = {}) {
  const t0 = performance.now();
  const r = spawnSync(file, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    ok: r.status === 0,
    code: r.status,
    out: r.stdout ?? '',
    err: r.stderr ?? '',
    ms: performance.now() - t0,
    missing: r.error?.code === 'ENOENT',
  };
}

/** The first line of a tool's error output, for a one-line reason. */
function firstLine(text) {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

/**
 * Whether the benchmark can run: { ok: true, server, client } or { ok: false, why } (no docker CLI, no engine
 * answering, or the image missing).
 */
export function engineStatus() {
  const v = sh('docker', ['version', '--format', '{{.Server.Version}} {{.Client.Version}}'], { timeoutMs: 15_000 });
  if (v.missing) return { ok: false, why: 'the `docker` CLI is not on PATH (Debian: `apt-get install docker.io`)' };
  if (!v.ok) return { ok: false, why: `no Docker engine answers (\`docker version\`: ${firstLine(v.err) || `exit ${v.code}`})` };
  const [server, client] = v.out.trim().split(' ');
  const img = sh('docker', ['image', 'inspect', '--format', '{{.Id}}', IMAGE]);
  if (!img.ok) return { ok: false, why: `the image ${IMAGE} is missing (\`scripts/busybox-image.sh\` makes it)` };
  return { ok: true, server, client };
}

/** docker-compose's version (Debian's v1 CLI), or null when it is not on PATH. */
export function composeVersion() {
  const r = sh('docker-compose', ['version', '--short'], { timeoutMs: 15_000 });
  return r.ok ? r.out.trim() : null;
}

/** Unique ids from `docker … -q` listings. */
function ids(outputs) {
  return [...new Set(outputs.flatMap((o) => o.out.split('\n').map((x) => x.trim()).filter(Boolean)))];
}

/**
 * The bench's containers: those whose name contains `token` or that carry one of `labels` (`KEY=VALUE`).
 * The token is random per bench run (`msdevbenchcs` + hex), so nothing else matches.
 */
export function containersOf(token, labels = []) {
  const filters = [['--filter', `name=${token}`], ...labels.map((l) => ['--filter', `label=${l}`])];
  return ids(filters.map((f) => sh('docker', ['ps', '-aq', '--no-trunc', ...f])));
}

/** The bench's networks, found as containersOf finds containers. */
export function networksOf(token, labels = []) {
  const filters = [['--filter', `name=${token}`], ...labels.map((l) => ['--filter', `label=${l}`])];
  return ids(filters.map((f) => sh('docker', ['network', 'ls', '-q', '--no-trunc', ...f])));
}

/** The running containers among ids (by `docker inspect`), for counting what a stop left behind. */
export function runningOf(containerIds) {
  if (containerIds.length === 0) return [];
  const r = sh('docker', ['inspect', '-f', '{{.Id}} {{.State.Running}}', ...containerIds]);
  return r.out
    .split('\n')
    .filter((l) => l.endsWith(' true'))
    .map((l) => l.split(' ')[0]);
}

/** Removes the bench's containers (forced) and then its networks, by id; returns how many of each were there. */
export function removeAll(token, labels = []) {
  const cs = containersOf(token, labels);
  if (cs.length) sh('docker', ['rm', '-f', '-v', ...cs]);
  const ns = networksOf(token, labels);
  if (ns.length) sh('docker', ['network', 'rm', ...ns]);
  return { containers: cs.length, networks: ns.length };
}

let hooked = false;
const owned = [];
/**
 * Removes the bench's containers and networks when the bench process exits, however it exits (the cleanup
 * handlers of proc.mjs turn signals into an exit; spawnSync works inside an exit handler).
 */
export function removeOnExit(token, labels = []) {
  owned.push({ token, labels });
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const o of owned) removeAll(o.token, o.labels);
  });
}
