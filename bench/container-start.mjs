// Container start-up (issue 12): 5 busybox httpd containers with an exec health check, from start to ready, under
// msdev (`up -d`), a `docker run` shell loop (the floor; also without health, for reference) and docker-compose v1
// (`up -d`, then a wait for healthy), tools alternating run by run. Run alone: `node bench/container-start.mjs`.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { isMain, progress, removeDir, runAlone, runs, tempDir } from './lib/env.mjs';
import { composeVersion, engineStatus, IMAGE, removeAll, removeOnExit } from './lib/docker.mjs';
import { BENCH_LABEL, containerTools, HEALTH_CMD, HEALTH_INTERVAL, N_CONTAINERS } from './lib/container-tools.mjs';
import { forgetDead, sleep } from './lib/proc.mjs';
import { fmtMs, fmtX, max, median, table } from './lib/stats.mjs';

const TITLE = 'Container start-up (5 busybox containers, exec health checks)';
/** The issue's targets: msdev within 1.1× of the docker run loop with health, and faster than docker-compose. */
const LOOP_FACTOR = 1.1;

/** The section when the benchmark cannot run. */
function skipped(why) {
  return {
    title: TITLE,
    text: `Skipped: ${why}.`,
    targets: [
      { name: `msdev \`up -d\` of ${N_CONTAINERS} containers to ready within ${LOOP_FACTOR}× of a \`docker run\` loop (issue 12)`, met: null, figures: why },
      { name: 'msdev `up -d` faster than docker-compose `up -d` + wait for healthy (issue 12)', met: null, figures: why },
    ],
  };
}

/** Medians and extremes of one tool's runs. */
function summarize(all) {
  const ok = all.filter((x) => x.ok);
  const ready = ok.map((x) => x.readyMs);
  return {
    readyMs: median(ready),
    minMs: ready.length ? Math.min(...ready) : NaN,
    maxMs: max(ready),
    startedMs: median(ok.map((x) => x.startedMs)),
    stopMs: median(all.map((x) => x.stopMs)),
    left: max(all.map((x) => x.left)),
    leftRunning: max(all.map((x) => x.leftRunning)),
    leftNetworks: max(all.map((x) => x.leftNetworks)),
    unhealthy: all.filter((x) => Number.isFinite(x.healthy) && x.healthy < N_CONTAINERS).length,
    ok: ok.length,
    runs: all.length,
  };
}

/** Runs the benchmark; returns { title, text, targets, data }. */
export async function containerStart() {
  const engine = engineStatus();
  if (!engine.ok) return skipped(engine.why);
  const compose = composeVersion();
  const token = `msdevbenchcs${randomBytes(3).toString('hex')}`;
  const labels = [`${BENCH_LABEL}=${token}`, `dev.msdev.project=${token}m`, `com.docker.compose.project=${token}c`];
  removeOnExit(token, labels);
  const tools = containerTools(token, { compose });
  const n = runs(5);
  const work = tempDir('container-start');
  const results = new Map(tools.map((t) => [t.key, []]));
  const loadBefore = loadavg()[0];
  try {
    for (const t of tools) t.prepare(work);
    for (let r = -1; r < n; r++) {
      // Round -1 warms the engine and each tool up (page cache, docker-compose's Python imports) and is not counted.
      for (let k = 0; k < tools.length; k++) {
        const tool = tools[(k + Math.max(r, 0)) % tools.length];
        progress(`container-start: ${tool.key}, ${r < 0 ? 'warm-up' : `run ${r + 1}/${n}`}`);
        const res = await tool.run(r + 1);
        progress(
          `  ${res.ok ? `ready ${fmtMs(res.readyMs)}` : 'FAILED'}` +
            `${Number.isFinite(res.startedMs) ? ` (started ${fmtMs(res.startedMs)})` : ''}, stop ${fmtMs(res.stopMs)}` +
            `${res.left ? `, ${res.left} container(s) left and removed` : ''}${res.leftNetworks ? `, ${res.leftNetworks} network(s) left` : ''}`,
        );
        if (r >= 0) results.get(tool.key).push(res);
        forgetDead();
        await sleep(300);
      }
    }
  } finally {
    removeAll(token, labels);
    removeDir(work);
  }
  const loadAfter = loadavg()[0];
  const sum = Object.fromEntries(tools.map((t) => [t.key, summarize(results.get(t.key))]));

  let text =
    `${N_CONTAINERS} containers of \`${IMAGE}\` (static busybox, \`httpd -f -p 8080\`; imported, so the image has no HEALTHCHECK of its own), ` +
    `each publishing 8080 on an ephemeral 127.0.0.1 port, with the exec health check \`${HEALTH_CMD}\` at \`interval: ${HEALTH_INTERVAL}\`. ` +
    'Each tool keeps its own other defaults: msdev probes every 100 ms (`start_interval`) until the first success; ' +
    `Docker ${engine.server} probes first \`interval\` after the start (its \`--health-start-interval\` came in Docker 25), ` +
    'so the docker and compose rows hold about one interval by construction. Every container runs with an init (`--init`, ' +
    '`init: true`; msdev\'s default). "start → ready" is the wall time of the whole command (for msdev, `up -d`, which returns ' +
    'once every service is healthy); "of which started" is when the 5 `docker run` or `docker-compose up -d` had returned; ' +
    '"stop + remove" is `msdev down`, `docker-compose down`, `docker stop` + `docker rm` (not part of the start). ' +
    `Median of ${n} runs after one warm-up round, tools alternating with their order rotated run by run; every container and ` +
    'network is found by a token in its name or label and removed by id afterwards, and "left" counts what the tool\'s own stop ' +
    `left behind. Engine ${engine.server}, docker CLI ${engine.client}, docker-compose ${compose ?? 'absent (`apt-get install docker-compose`)'}; ` +
    `1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.\n\n`;
  text += table(
    ['tool', 'start → ready (median)', 'min – max', 'of which started', 'stop + remove', 'left after stop (containers / running / networks)', 'ok runs'],
    [
      ...tools.map((t) => {
        const s = sum[t.key];
        return [
          t.label,
          fmtMs(s.readyMs),
          `${fmtMs(s.minMs)} – ${fmtMs(s.maxMs)}`,
          fmtMs(s.startedMs),
          fmtMs(s.stopMs),
          `${s.left} / ${s.leftRunning} / ${s.leftNetworks}`,
          `${s.ok}/${s.runs}${s.unhealthy ? ` (${s.unhealthy} not all healthy)` : ''}`,
        ];
      }),
      ...(compose ? [] : [['docker-compose', 'absent: `apt-get install docker-compose`', '', '', '', '', '']]),
    ],
  );
  const splits = results.get('msdevJson')?.filter((x) => x.ok).map((x) => x.split) ?? [];
  if (splits.length) {
    const at = (k) => fmtMs(median(splits.map((x) => x[k])));
    text +=
      '\n\nWhere msdev\'s time goes (`up --json`, ms from spawning msdev, medians; `starting` comes after node and msdev have ' +
      'loaded and the config is read, `running` once the engine has created and started the container, `healthy` at the first ' +
      'successful exec probe):\n\n' +
      table(
        ['first `starting`', 'first `running`', `all ${N_CONTAINERS} \`running\``, 'first `healthy`', '`ready` event', 'its `ms` (engine start → ready)'],
        [[at('firstStarting'), at('firstRunning'), at('allRunning'), at('firstHealthy'), at('ready'), at('readyEventMs')]],
      );
  }
  text += '\n\nCommands:\n\n' + tools.map((t) => `- ${t.label}: ${t.shown}`).join('\n') + '\n';

  const m = sum.msdev;
  const lh = sum.loopHealth;
  const c = sum.compose;
  const targets = [
    {
      name: `msdev \`up -d\` of ${N_CONTAINERS} containers to ready within ${LOOP_FACTOR}× of a \`docker run\` loop + wait for healthy (issue 12)`,
      met: m.ok === 0 || lh.ok === 0 ? false : m.readyMs <= LOOP_FACTOR * lh.readyMs,
      figures:
        `msdev ${fmtMs(m.readyMs)} vs the loop ${fmtMs(lh.readyMs)} = ${fmtX(m.readyMs / lh.readyMs)} ` +
        `(the loop without health: ${fmtMs(sum.loop.readyMs)}); ok runs ${m.ok}/${m.runs} and ${lh.ok}/${lh.runs}`,
    },
    compose
      ? {
          name: 'msdev `up -d` faster than docker-compose `up -d` + wait for healthy (issue 12)',
          met: m.ok === 0 || c.ok === 0 ? false : m.readyMs < c.readyMs,
          figures: `msdev ${fmtMs(m.readyMs)} vs docker-compose ${compose} ${fmtMs(c.readyMs)} = ${fmtX(m.readyMs / c.readyMs)}; ok runs ${m.ok}/${m.runs} and ${c.ok}/${c.runs}`,
        }
      : { name: 'msdev `up -d` faster than docker-compose `up -d` + wait for healthy (issue 12)', met: null, figures: 'docker-compose absent (`apt-get install docker-compose`)' },
    {
      name: '`msdev down` leaves no container and no network (issue 12)',
      met: m.ok > 0 && m.left === 0 && m.leftNetworks === 0 && Number.isFinite(m.stopMs),
      figures: `worst run: ${m.left} container(s), ${m.leftNetworks} network(s) left; \`msdev down\` ${fmtMs(m.stopMs)} (docker-compose down ${fmtMs(c?.stopMs)}, docker stop + rm ${fmtMs(lh.stopMs)})`,
    },
  ];
  return { title: TITLE, text, targets, data: { sum, engine, compose } };
}

if (isMain(import.meta.url)) await runAlone(containerStart);
