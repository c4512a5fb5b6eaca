// Hot reload latency (issue 11): file write → the new version answering over HTTP, 20 changes, under msdev
// (`up --no-tui`, `up --json` with its state events split into phases, and a 50 ms debounce) and `node --watch-path`,
// the changes alternating between them; the service's own start and exit time measured apart by starting it by
// hand; docker compose watch and Tilt computed from their fixed debounces. Run alone: `node bench/reload-latency.mjs`.
import { loadavg } from 'node:os';
import { isMain, progress, removeDir, runAlone, runs, tempDir } from './lib/env.mjs';
import { cleanupAll, forgetDead, sleep } from './lib/proc.mjs';
import { ByHand, freePort, makeReloadProject, MsdevReload, NodeWatchReload, POLL_MS, reloadYaml } from './lib/reload-run.mjs';
import { fmtMs, median, percentile, table } from './lib/stats.mjs';

/** The target for msdev's own overhead at the median. */
const TARGET_MS = 50;
/** Pause after each change has settled (healthy again) before the next one. */
const SETTLE_MS = 100;
/** docker compose watch: `QuietPeriod = 500 * time.Millisecond`, not configurable (pkg/watch/debounce.go). */
const COMPOSE_DEBOUNCE_MS = 500;
/** Tilt: `BufferMinRestDuration = 200 * time.Millisecond` (internal/controllers/core/filewatch/fsevent/coalesce.go). */
const TILT_DEBOUNCE_MS = 200;
/** Node's watch mode: `new FilesWatcher({ debounce: 200, … })` (lib/internal/main/watch_mode.js), a trailing debounce. */
const NODE_DEBOUNCE_MS = 200;

const MODES = [
  { key: 'plain', label: 'msdev up --no-tui', debounceMs: 200, make: (dir, port) => new MsdevReload({ json: false, debounceMs: 200, dir, port }) },
  { key: 'json', label: 'msdev up --json', debounceMs: 200, make: (dir, port) => new MsdevReload({ json: true, debounceMs: 200, dir, port }) },
  { key: 'json50', label: 'msdev up --json, `debounce: 50ms`', debounceMs: 50, make: (dir, port) => new MsdevReload({ json: true, debounceMs: 50, dir, port }) },
  { key: 'node', label: 'node --watch-path=version.txt', debounceMs: NODE_DEBOUNCE_MS, make: (dir, port) => new NodeWatchReload({ dir, port }) },
];
/** The service started by hand (its own start and exit time), taking its turn among the tools. */
const HAND = { key: 'hand', label: 'by hand', make: (dir, port) => new ByHand({ dir, port }) };


/** Median and p95 as `123 ms / 145 ms`. */
const mp = (values) => `${fmtMs(median(values))} / ${fmtMs(percentile(values, 95))}`;

/**
 * One restart under `up --json`, split by its state events (ms since the write): msdev's parts and the
 * service's. `own` is everything before the new process runs, less the debounce and the fork and exec the
 * service needs anyway (by hand): latency − debounce − the service's start in that very change.
 */
function split(c, debounceMs, hand) {
  const p = c.phases;
  return {
    toStopping: p.stopping,
    stopping: p.stopped - p.stopping,
    relaunch: p.starting - p.stopped,
    spawn: p.running - p.starting,
    boot: c.ms - p.running,
    healthy: p.healthy - p.running,
    own: p.running - debounceMs - hand.execMed,
  };
}

/** Runs every tool's changes, alternating; returns the results per tool key and how many pauses msdev reported. */
async function measure(n, work) {
  const results = new Map([...MODES, HAND].map((m) => [m.key, []]));
  const tools = new Map();
  let paused = 0;
  try {
    for (const m of [...MODES, HAND]) {
      const port = await freePort();
      const dir = makeReloadProject(work, m.key, MODES.includes(m) && m.key !== 'node' ? reloadYaml(port, m.debounceMs) : null);
      const tool = m.make(dir, port);
      tools.set(m.key, tool);
      progress(`reload-latency: starting ${m.label}`);
      await tool.start();
    }
    const all = [...MODES, HAND];
    for (let r = 1; r <= n; r++) {
      // Each round: one change per tool and one start of the service by hand, their order rotated round by round.
      const order = [...all.slice(r % all.length), ...all.slice(0, r % all.length)];
      const line = [];
      for (const m of order) {
        const res = await tools.get(m.key).change(r);
        results.get(m.key).push(res);
        line.push(m.key === 'hand' ? `by hand start ${fmtMs(res.startMs)} exit ${fmtMs(res.exitMs)}` : `${m.key} ${fmtMs(res.ms)}`);
        forgetDead();
        await sleep(SETTLE_MS);
      }
      progress(`reload-latency: round ${r}/${n}: ${line.join(', ')}`);
    }
  } finally {
    for (const tool of tools.values()) {
      paused += tool.paused ?? 0;
      await tool.stop().catch(() => undefined);
    }
    cleanupAll();
  }
  return { results, paused };
}

/** Runs the benchmark; returns { title, text, targets, data }. */
export async function reloadLatency() {
  const n = runs(20);
  const work = tempDir('reload');
  const loadBefore = loadavg()[0];
  let measured;
  try {
    measured = await measure(n, work);
  } finally {
    removeDir(work);
  }
  const { results, paused } = measured;
  const loadAfter = loadavg()[0];
  const byHand = results.get('hand');
  const hand = {
    startMed: median(byHand.map((h) => h.startMs)),
    execMed: median(byHand.map((h) => h.execMs)),
    exitMed: median(byHand.map((h) => h.exitMs)),
  };
  const sum = Object.fromEntries(
    MODES.map((m) => {
      const ms = results.get(m.key).map((c) => c.ms);
      const spans = m.key.startsWith('json') ? results.get(m.key).map((c) => split(c, m.debounceMs, hand)) : [];
      return [
        m.key,
        { ms, failed: ms.filter((x) => !Number.isFinite(x)).length, med: median(ms), overhead: ms.map((x) => x - m.debounceMs - hand.startMed), spans, pick: (k) => spans.map((x) => x[k]) },
      ];
    }),
  );
  for (const s of Object.values(sum)) s.overheadMed = median(s.overhead);

  let text =
    'Issue 11: "reload latency (file write → new version answering), median and p95 over 20 changes, with the debounce and the ' +
    'service\'s own start time shown apart". The service is `node bench/fixtures/version-server.mjs`: it reads `version.txt` once at ' +
    'start and answers it on `GET /` (127.0.0.1, a fixed free port); it exits 0 on SIGTERM. Each msdev case is its own temp project:\n\n' +
    '```yaml\nservices:\n  web:\n    command: [node, bench/fixtures/version-server.mjs]\n    port: PORT\n' +
    '    healthcheck: { http: "http://127.0.0.1:${port}/", start_interval: 25ms }\n' +
    '    watch: { paths: [version.txt], debounce: 200ms }   # 200ms: the default; one case 50ms\n```\n\n' +
    'msdev (`up --no-tui` and `up --json`, default options) and `node --watch-path=version.txt` (Node ' +
    `${process.version}'s own watch mode, a trailing 200 ms debounce) each run the service, all at once, each in its own folder. Once they are ready and ` +
    `watching, ${n} rounds: in each, one change per tool — the bench writes \`v1\`, \`v2\`, … into its \`version.txt\` (t0 just before the write) and polls ` +
    `\`GET /\` on a fresh connection every ${POLL_MS} ms until the new version answers (t1); latency = t1 − t0 — and one start of the service **by hand** ` +
    '(`PORT=… node version-server.mjs`: spawn → first answer of its version, same poller, is the service\'s own start time; SIGTERM → exit its own stop ' +
    `time), in an order rotated round by round; after each, msdev's service is let become healthy again, then ${SETTLE_MS} ms. Before each msdev change ` +
    'the bench sends `POST /watch {"enabled":true}` to its control socket: msdev pauses a watch after more than 5 restarts a minute (its loop guard counts ' +
    `every restart, not only those its own writes caused), and turning watching on resets that count ("watching paused" messages seen: ${paused}). ` +
    `1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (other benchmarks may have been running on this 2-CPU machine; ` +
    'the tools alternate change by change, so drifting load reaches them alike).\n\n';

  text += `### File write → new version answering (${n} changes each)\n\n`;
  const rows = MODES.map((m) => {
    const s = sum[m.key];
    return [m.label, `${m.debounceMs} ms`, fmtMs(s.med), fmtMs(percentile(s.ms, 95)), `${fmtMs(Math.min(...s.ms))} – ${fmtMs(Math.max(...s.ms))}`, mp(s.overhead), s.spans.length ? mp(s.pick('own')) : '—', `${n - s.failed}/${n}`];
  });
  for (const [label, debounce] of [
    ['docker compose watch (computed, not measured)', COMPOSE_DEBOUNCE_MS],
    ['Tilt (computed, not measured)', TILT_DEBOUNCE_MS],
  ]) {
    rows.push([label, `${debounce} ms (fixed)`, `≥ ${fmtMs(debounce + hand.startMed)}`, '—', '—', '—', '—', '—']);
  }
  text += table(
    ['tool', 'debounce', 'latency (median)', 'p95', 'min – max', 'overhead: latency − debounce − service start by hand (median / p95)', 'overhead per change, from the events (median / p95)', 'answered'],
    rows,
  );
  text +=
    `\n\nThe service by hand (${byHand.length} starts): spawn → first answer ${mp(byHand.map((h) => h.startMs))} (median / p95), of which spawn() → its ` +
    `\`spawn\` event (fork and exec) ${fmtMs(hand.execMed)}; SIGTERM → exit ${mp(byHand.map((h) => h.exitMs))}. ` +
    `**Overhead** as the issue defines it: each change's latency − the debounce − the median start by hand (${fmtMs(hand.startMed)}). Node's start ` +
    'on a loaded 2-CPU machine varies by ±100 ms from one start to the next, so a difference of medians is only good to some tens of ms; the ' +
    '**per-change** column (`--json` only) takes the service\'s start from the restart itself instead: latency − debounce − (`running` → answering, ' +
    'the new process booting) − the fork and exec by hand = write → `running` − debounce − fork and exec. Both leave in the stop of the old ' +
    `process (its own exit: ${fmtMs(hand.exitMed)} by hand). docker compose watch and Tilt are not installed here (no \`docker compose\` plugin, no daemon, ` +
    'no `tilt`): their rows are what the same change costs at least with them, their fixed debounce + the same start by hand (no exit, no ' +
    'watcher, no container restart counted).\n\n';

  text += "### Where the time goes (msdev `up --json`: each restart split by its state events' `ts`, medians)\n\n";
  const cell = (key, k, less = 0) => {
    const v = sum[key].pick(k);
    return less === null ? fmtMs(median(v)) : `${fmtMs(median(v))} (msdev: ${fmtMs(median(v.map((x) => x - less)))})`;
  };
  const brows = [
    ['write → `stopping`: the watcher, then the debounce', (key, d) => cell(key, 'toStopping', d)],
    ['`stopping` → `stopped`: the old process exits; msdev signals it and makes sure nothing of it is left', (key) => cell(key, 'stopping', hand.exitMed)],
    ['`stopped` → `starting`', (key) => cell(key, 'relaunch')],
    ['`starting` → `running`: spawn (fork and exec)', (key) => cell(key, 'spawn', hand.execMed)],
    ["`running` → answering: the new process boots (the service's own)", (key) => cell(key, 'boot', null)],
    ['`running` → `healthy` (not part of the latency)', (key) => cell(key, 'healthy', null)],
    ["msdev's own part: write → `running` − debounce − fork and exec", (key) => cell(key, 'own', null)],
  ];
  text += table(
    ['span', ...['json', 'json50'].map((k) => MODES.find((m) => m.key === k).label)],
    brows.map(([label, f]) => [label, ...['json', 'json50'].map((k) => f(k, MODES.find((m) => m.key === k).debounceMs))]),
  );
  text +=
    `\n\n"msdev:" is each span less what is not msdev's: the debounce, the service's exit by hand (${fmtMs(hand.exitMed)}), the fork and exec by hand ` +
    `(${fmtMs(hand.execMed)}). Medians of each span, so they need not add up. \`ts\` has 1 ms resolution; "answering" is the poller's t1 (within ` +
    `~${POLL_MS} ms + one request of the moment the new process listens). The same service boots by hand in ${fmtMs(hand.startMed - hand.execMed)} ` +
    '(spawn → answer − fork and exec).\n';

  const s = sum.plain;
  const j = sum.json;
  const ownMed = median(j.pick('own'));
  const targets = [
    {
      name: "hot reload: msdev's own overhead (latency − debounce − the service's start time) under 50 ms at the median (issue 11)",
      met: s.failed === 0 && j.failed === 0 && ownMed < TARGET_MS && s.overheadMed < TARGET_MS,
      figures:
        `per change from the \`--json\` events ${fmtMs(ownMed)} (p95 ${fmtMs(percentile(j.pick('own'), 95))}), of it \`stopping\` → \`stopped\` ` +
        `${fmtMs(median(j.pick('stopping')))} for a service that exits in ${fmtMs(hand.exitMed)}; medians: \`up --no-tui\` ${fmtMs(s.med)} latency ` +
        `(p95 ${fmtMs(percentile(s.ms, 95))}) − 200 ms − ${fmtMs(hand.startMed)} start by hand = ${fmtMs(s.overheadMed)}, \`up --json\` ${fmtMs(j.overheadMed)}, ` +
        `\`debounce: 50ms\` ${fmtMs(sum.json50.overheadMed)}; node --watch-path ${fmtMs(sum.node.overheadMed)} (latency ${fmtMs(sum.node.med)}); ` +
        `compose watch ≥ ${fmtMs(COMPOSE_DEBOUNCE_MS + hand.startMed)}, Tilt ≥ ${fmtMs(TILT_DEBOUNCE_MS + hand.startMed)} (computed)`,
    },
  ];
  return { title: 'Hot reload: file write → new version answering', text, targets, data: { sum, hand } };
}

if (isMain(import.meta.url)) await runAlone(reloadLatency);
