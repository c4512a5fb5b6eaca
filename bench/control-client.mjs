// Control socket clients vs log throughput (issue 10): `msdev up --no-tui` with spewing services, into a
// file and through `| cat`, with no client, with a client of `GET /events` that never reads, and with one
// that reads everything. Run alone: `node bench/control-client.mjs`.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createConnection } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { isMain, progress, removeDir, runAlone, runs, tempDir, toolEnv } from './lib/env.mjs';
import { runPipeCase } from './lib/pipe-run.mjs';
import { cleanupAll, sleep } from './lib/proc.mjs';
import { fmtInt, fmtMiB, fmtMs, fmtRate, max, median, table } from './lib/stats.mjs';
import { toolsFor } from './log-throughput.mjs';

/** The never-reading client may cost at most this share of the throughput without a client. */
const WITHIN = 0.1;
/** What msdev says when it drops a client (src/frontends/control/control-server.ts). */
const DROP_NOTE = 'control socket: dropped a client';
/** A request line written raw by the clients. */
const EVENTS_REQUEST = 'GET /events HTTP/1.1\r\nHost: msdev\r\n\r\n';

const MODES = [
  { key: 'none', label: 'no client' },
  { key: 'stuck', label: 'a client of `GET /events` that never reads' },
  { key: 'reader', label: 'a client reading `GET /events?logs=0`' },
];
const OUTPUTS = [
  { key: 'file', label: '`> out.txt`' },
  { key: 'cat', label: '`| cat > out.txt`' },
];

/**
 * The client of one run, started as msdev is spawned: waits for `.msdev/msdev.sock` (polled every 2 ms),
 * then (mode `stuck`) connects, writes `GET /events` and never reads (the socket paused: Node takes at most
 * its 16 KiB read buffer, the kernel's socket buffer holds the rest), or (mode `reader`) reads
 * `GET /events?logs=0` to the end, counting and discarding. Mode `none` only notes when the socket appeared.
 */
function socketClient(mode) {
  return ({ cwd, t0, exited }) => {
    const path = join(cwd, '.msdev', 'msdev.sock');
    const info = { socketMs: NaN, connectedMs: NaN, bytes: 0, exitLine: false, error: null };
    let over = false;
    void exited.then(() => (over = true));
    const closers = [];
    const connectOnce = () =>
      new Promise((resolve) => {
        if (mode === 'stuck') {
          const socket = createConnection(path);
          closers.push(() => socket.destroy());
          socket.pause();
          socket.once('connect', () => {
            socket.write(EVENTS_REQUEST);
            resolve(null);
          });
          socket.on('error', (err) => resolve(err));
          return;
        }
        let tail = '';
        const req = request({ socketPath: path, path: '/events?logs=0', agent: false }, (res) => {
          resolve(null);
          res.on('data', (chunk) => {
            info.bytes += chunk.length;
            tail = (tail + chunk.toString('latin1')).slice(-200);
          });
          res.on('end', () => (info.exitLine = /"type":"exit"/.test(tail)));
        });
        closers.push(() => req.destroy());
        req.on('error', (err) => resolve(err));
        req.end();
      });
    const run = (async () => {
      while (!over && !existsSync(path)) await sleep(2);
      if (over) return;
      info.socketMs = performance.now() - t0;
      if (mode === 'none') return;
      // The file exists once bound; listen follows at once, so a refusal is retried a few times.
      for (let attempt = 0; attempt < 50 && !over; attempt++) {
        const err = await connectOnce();
        if (err === null) {
          info.connectedMs = performance.now() - t0;
          return;
        }
        info.error = err.code ?? err.message;
        await sleep(2);
      }
    })();
    return {
      async stop() {
        await run;
        // The reader has what msdev sent before it exited; the never-reader is let go.
        await sleep(mode === 'reader' ? 50 : 0);
        for (const close of closers) close();
        return info;
      },
    };
  };
}

/** The medians (and worst runs) of one mode × output. */
function summarize(list, lines) {
  const pick = (k) => list.map((x) => x[k]);
  const clients = list.map((x) => x.client ?? {});
  return {
    runs: list.length,
    walls: pick('wallMs'),
    cpus: pick('cpuS'),
    wallMs: median(pick('wallMs')),
    rate: lines / (median(pick('wallMs')) / 1000),
    cpuS: median(pick('cpuS')),
    peakMb: median(pick('peakMb')),
    peakMaxMb: max(pick('peakMb')),
    lost: max(list.map((x) => x.lost + x.mangled + x.reordered)),
    logLost: max(list.map((x) => (x.logLost ?? 0) + (x.logMangled ?? 0) + (x.logReordered ?? 0))),
    dropped: list.filter((x) => x.found > 0).length,
    socketMs: median(clients.map((c) => c.socketMs)),
    connectedMs: median(clients.map((c) => c.connectedMs)),
    connected: clients.filter((c) => Number.isFinite(c.connectedMs)).length,
    readMiB: median(clients.map((c) => c.bytes / 1024 / 1024)),
    exitLines: clients.filter((c) => c.exitLine).length,
    errors: [...new Set(clients.map((c) => c.error).filter(Boolean))],
    failures: list.filter((x) => x.code !== 0).length,
  };
}

/** Runs one workload: every output × mode `n` times, alternating run by run. */
async function runWorkload(sc, n) {
  const msdev = toolsFor(sc.ids, sc.perId).find((t) => t.key === 'msdev');
  const tool = { ...msdev, env: toolEnv() };
  const work = tempDir('ctl');
  const results = {};
  try {
    for (let r = 0; r < n; r++) {
      for (const o of OUTPUTS) {
        for (const m of MODES) {
          progress(`${sc.name}: ${o.key}, ${m.label}, run ${r + 1}/${n}`);
          const res = await runPipeCase(tool, o.key, sc, work, `${r}-${m.key}`, { onSpawn: socketClient(m.key), find: DROP_NOTE });
          const c = res.client;
          progress(
            `  ${fmtMs(res.wallMs)}, CPU ${res.cpuS.toFixed(2)} s, peak ${fmtMiB(res.peakMb)}, lost ${res.lost}, socket at ${fmtMs(c.socketMs)}` +
              (m.key === 'none' ? '' : `, connected at ${fmtMs(c.connectedMs)}${c.error ? ` (${c.error})` : ''}`) +
              (m.key === 'reader' ? `, read ${fmtMiB(c.bytes / 1024 / 1024)}` : '') +
              (res.found > 0 ? ', msdev dropped a client' : ''),
          );
          (results[`${o.key}:${m.key}`] ??= []).push(res);
        }
      }
    }
  } finally {
    cleanupAll();
    removeDir(work);
  }
  const lines = sc.ids * sc.perId;
  const sum = Object.fromEntries(Object.entries(results).map(([k, list]) => [k, summarize(list, lines)]));
  // Each run against the no-client run just before it (same output, same round): load that drifts between
  // rounds cancels out, which a ratio of medians would not do.
  for (const o of OUTPUTS) {
    const base = sum[`${o.key}:none`];
    for (const m of MODES) {
      const s = sum[`${o.key}:${m.key}`];
      s.paired = median(s.walls.map((w, r) => base.walls[r] / w));
      s.cpuPaired = median(s.cpus.map((c, r) => c / base.cpus[r]));
    }
  }
  return sum;
}

/** The table of one workload: one row per output × mode. */
function renderWorkload(sum) {
  const rows = [];
  for (const o of OUTPUTS) {
    const base = sum[`${o.key}:none`];
    for (const m of MODES) {
      const s = sum[`${o.key}:${m.key}`];
      rows.push([
        o.label,
        m.label,
        `${s.runs}`,
        fmtMs(s.wallMs),
        fmtRate(s.rate),
        m.key === 'none' ? `${fmtMs(Math.min(...s.walls))} – ${fmtMs(Math.max(...s.walls))}` : `${s.paired.toFixed(3)} (of medians ${(s.rate / base.rate).toFixed(3)})`,
        `${s.cpuS.toFixed(2)} s`,
        `${fmtMiB(s.peakMb)} (max ${fmtMiB(s.peakMaxMb)})`,
        fmtMs(s.socketMs),
        m.key === 'none' ? '—' : `${fmtMs(s.connectedMs)} (${s.connected}/${s.runs})`,
        m.key === 'reader' ? `${fmtMiB(s.readMiB)}, exit line ${s.exitLines}/${s.runs}` : '—',
        `${s.dropped}/${s.runs}`,
        `${fmtInt(s.lost)} / ${fmtInt(s.logLost)}`,
        s.failures > 0 ? `${s.failures} failed` : 'ok',
      ]);
    }
  }
  return table(
    ['stdout of msdev', 'socket client', 'runs', 'wall', 'lines/s', '÷ no client (runs: min – max wall)', 'msdev CPU', 'msdev peak RSS', 'socket there at', 'client connected at', 'client read', '"dropped a client" printed', 'lost (reader / log files)', 'exit'],
    rows,
  );
}

/** Runs the control-client benchmark; returns { title, text, targets, data }. */
export async function controlClient() {
  const workloads = [
    { key: 'multi', name: '10 services × 100,000 lines', ids: 10, perId: 100_000 },
    { key: 'single', name: '1 service × 1,000,000 lines', ids: 1, perId: 1_000_000 },
  ];
  const n = runs(5);
  const loadBefore = loadavg()[0];
  let text =
    'Issue 10: "a client that connects and never reads does not slow `up`". The services of the log throughput benchmark ' +
    '(`bench/fixtures/spew.mjs`: numbered 100-byte lines as fast as the pipe takes them, `restart: "no"`) under `msdev up --no-tui` ' +
    '(default config: no `--drop-lines`), its stdout going to a regular file (`> out.txt`) or through a real pipe ' +
    '(`sh -c "msdev up --no-tui | cat > out.txt"`), in three modes, alternating run by run:\n\n' +
    '- **no client**: nobody connects to the control socket (the bench still polls for `.msdev/msdev.sock` to appear, as in the other modes);\n' +
    '- **a client that never reads**: as soon as `.msdev/msdev.sock` appears (polled every 2 ms), the bench connects a raw `net` socket, ' +
    "writes `GET /events HTTP/1.1` and pauses the socket without ever reading (Node buffers at most 16 KiB; the kernel's socket buffer, ~200 KiB, holds the rest). " +
    'msdev keeps what it could not send per client and drops one that falls 4 MiB behind, with a warning on its output (counted: "dropped a client" printed);\n' +
    '- **a client that reads**: `GET /events?logs=0` read to the end by the bench process (counted, discarded): every log line rendered as NDJSON for it, over the whole run.\n\n' +
    `Measured as in the pipe throughput section (each cell's ÷ no client = the median over rounds of that run's lines/s ÷ the no-client run's of the same round, so that load drifting between rounds cancels; the ratio of the medians beside it): **wall** = spawn until msdev exited and the reader has everything; **lines/s** = lines ÷ median wall; ` +
    "msdev's own **CPU** (user + system) and **peak RSS** (max VmHWM), sampled every 20 ms from `/proc`; **lost** = numbered lines that did not arrive intact, " +
    'at the reader and in `.msdev/logs` (all generations). "socket there at" / "client connected at" = ms after spawn (medians). ' +
    `${n} runs per cell; medians.\n\n`;
  const data = {};
  for (const sc of workloads) {
    const sum = await runWorkload(sc, n);
    data[sc.key] = { scenario: sc, sum };
    text += `### ${sc.name}\n\n${renderWorkload(sum)}\n\n`;
  }
  const readers = Object.values(data).flatMap(({ sum }) => OUTPUTS.map((o) => sum[`${o.key}:reader`]));
  const readerDrops = readers.reduce((a, s) => a + s.dropped, 0);
  const readerRuns = readers.reduce((a, s) => a + s.runs, 0);
  if (readerDrops > 0) {
    text +=
      `The reading client was dropped too, in ${readerDrops} of ${readerRuns} runs ("client read" is what it got before that; it never got the final \`exit\` line in ` +
      `${readers.reduce((a, s) => a + s.runs - s.exitLines, 0)} runs): at these rates msdev renders 100+ MB/s of NDJSON for it (~170 bytes a line), and a reader sharing ` +
      `${cpus().length} CPUs with msdev, its services and \`cat\` does not take 4 MiB of it in time. So its column measures a client that reads until it is dropped, ` +
      'not one that follows the whole run: under a log storm like this one a streaming client (`msdev logs -f`, `up --attach`) is dropped unless it keeps up.\n\n';
  }
  text +=
    `Load average (1 min) when the benchmark started / ended: ${loadBefore.toFixed(1)} / ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs ` +
    '(the reading client runs in the bench process, on the same CPUs as msdev, its services and `cat`).\n\n';
  return { title: 'Control socket clients vs log throughput', text, targets: controlTargets(data), data };
}

/** The issue's target (never-reading client within 10% of no client), and the drop note, from every workload × output. */
function controlTargets(data) {
  const cells = Object.values(data).flatMap(({ scenario, sum }) =>
    OUTPUTS.map((o) => ({
      what: `${scenario.ids}×${o.key}`,
      none: sum[`${o.key}:none`],
      stuck: sum[`${o.key}:stuck`],
      reader: sum[`${o.key}:reader`],
    })),
  );
  const ratio = (c, k) => c[k].paired;
  const lost = cells.flatMap((c) => MODES.map((m) => c[m.key].lost + c[m.key].logLost)).reduce((a, b) => a + b, 0);
  return [
    {
      name: `never-reading client within ${WITHIN * 100}% of no client (lines/s, issue 10)`,
      met: cells.every((c) => ratio(c, 'stuck') >= 1 - WITHIN),
      figures:
        'lines/s of each run ÷ that of the no-client run of its round, median: ' +
        cells
          .map((c) => `${c.what} ${ratio(c, 'stuck').toFixed(3)} (medians ${fmtRate(c.stuck.rate)} vs ${fmtRate(c.none.rate)}; no-client runs ${fmtMs(Math.min(...c.none.walls))} – ${fmtMs(Math.max(...c.none.walls))}; msdev CPU × ${c.stuck.cpuPaired.toFixed(3)})`)
          .join('; ') +
        `; a reading client (for comparison, no target): ${cells.map((c) => `${c.what} ${ratio(c, 'reader').toFixed(3)}`).join(', ')}` +
        ' (1× / 10× = 1 service × 1M lines / 10 × 100k)',
    },
    {
      name: 'the never-reading client is dropped with a warning, and no line is lost in any mode',
      met: cells.every((c) => c.stuck.dropped === c.stuck.runs && c.stuck.connected === c.stuck.runs) && lost === 0,
      figures:
        cells.map((c) => `${c.what}: "dropped a client" in ${c.stuck.dropped}/${c.stuck.runs} runs (connected in ${c.stuck.connected})`).join('; ') +
        `; lines lost or cut (reader and log files, all modes): ${fmtInt(lost)}`,
    },
  ];
}

if (isMain(import.meta.url)) await runAlone(controlClient);
