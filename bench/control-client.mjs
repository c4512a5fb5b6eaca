// Control socket clients vs log throughput (issue 10): `msdev up --no-tui` with spewing services, into a
// file and through `| cat`, with no client, with a client of `GET /events` that never reads, and with one
// that reads everything. Run alone: `node bench/control-client.mjs`.
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, isMain, MSDEV, NODE, progress, removeDir, runAlone, runs, tempDir, toolEnv } from './lib/env.mjs';
import { runPipeCase } from './lib/pipe-run.mjs';
import { cleanupAll } from './lib/proc.mjs';
import { shq } from './lib/project.mjs';
import { socketClient } from './lib/socket-client.mjs';
import { fmtInt, fmtMiB, fmtMs, fmtRate, max, median, table } from './lib/stats.mjs';

/** The never-reading client may cost at most this share of the throughput without a client. */
const WITHIN = 0.1;
/** Nor raise msdev's peak RSS by more than this (MiB; it holds at most ~1 MiB for the client, then skips). */
const RSS_WITHIN_MIB = 5;
/** What msdev says when it drops a client (src/frontends/control/control-server.ts). */
const DROP_NOTE = 'control socket: dropped a client';
const GATED_SPEW = join(FIXTURES, 'gated-spew.mjs');

const MODES = [
  { key: 'none', label: 'no client' },
  { key: 'stuck', label: 'a client of `GET /events` that never reads' },
  { key: 'reader', label: 'a client reading `GET /events?logs=0`' },
];
const OUTPUTS = [
  { key: 'file', label: '`> out.txt`' },
  { key: 'cat', label: '`| cat > out.txt`' },
];

/** msdev with the workload's services, each waiting for `gate` before it writes (fixtures/gated-spew.mjs). */
function gatedTool(sc, gate) {
  const cmd = (id) => `${shq(NODE)} ${shq(GATED_SPEW)} ${shq(gate)} ${sc.perId} ${id}`;
  const services = Object.fromEntries(Array.from({ length: sc.ids }, (_, i) => [sc.ids === 1 ? 'gen' : `s${i}`, { command: cmd(i), restart: 'no' }]));
  return { key: 'msdev', label: 'msdev up --no-tui', file: MSDEV, args: ['up', '--no-tui'], services, env: toolEnv() };
}

/** The medians (and worst runs) of one mode × output. */
function summarize(list, lines) {
  const pick = (k) => list.map((x) => x[k]);
  const clients = list.map((x) => x.client ?? {});
  const tallies = clients.map((c) => c.tally).filter(Boolean);
  const floods = list.map((x) => x.wallMs - (x.client?.gateMs ?? NaN));
  return {
    runs: list.length,
    floods,
    peaks: pick('peakMb'),
    cpus: pick('cpuS'),
    wallMs: median(pick('wallMs')),
    gateMs: median(clients.map((c) => c.gateMs)),
    floodMs: median(floods),
    rate: lines / (median(floods) / 1000),
    cpuS: median(pick('cpuS')),
    peakMb: median(pick('peakMb')),
    peakMaxMb: max(pick('peakMb')),
    longestMs: max(pick('wallMs')),
    lost: max(list.map((x) => x.lost + x.mangled + x.reordered)),
    logLost: max(list.map((x) => (x.logLost ?? 0) + (x.logMangled ?? 0) + (x.logReordered ?? 0))),
    dropped: list.filter((x) => x.found > 0).length,
    connected: clients.filter((c) => Number.isFinite(c.connectedMs)).length,
    connectedMs: median(clients.map((c) => c.connectedMs)),
    errors: [...new Set(clients.map((c) => c.error).filter(Boolean))],
    failures: list.filter((x) => x.code !== 0).length,
    // The reading client's tally, per run.
    tallies,
    readMiB: median(tallies.map((t) => t.bytes / 1024 / 1024)),
    received: median(tallies.map((t) => t.distinct)),
    skipped: median(tallies.map((t) => t.skipped)),
    notes: median(tallies.map((t) => t.notes)),
    accounted: tallies.filter((t) => t.distinct + t.skipped === lines && t.broken === 0).length,
    exitLines: tallies.filter((t) => t.exitLine).length,
    messages: [...new Set(tallies.flatMap((t) => t.messages))],
  };
}

/** Runs one workload: every output × mode `n` times, alternating run by run. */
async function runWorkload(sc, n) {
  const work = tempDir('ctl');
  const results = {};
  const lines = sc.ids * sc.perId;
  try {
    for (let r = 0; r < n; r++) {
      for (const o of OUTPUTS) {
        for (const m of MODES) {
          progress(`${sc.name}: ${o.key}, ${m.label}, run ${r + 1}/${n}`);
          const gate = join(work, `gate-${o.key}-${r}-${m.key}`);
          const res = await runPipeCase(gatedTool(sc, gate), o.key, sc, work, `${r}-${m.key}`, { onSpawn: socketClient(m.key, gate, sc), find: DROP_NOTE });
          const c = res.client;
          const t = c.tally;
          progress(
            `  ${fmtMs(res.wallMs)} (lines from ${fmtMs(c.gateMs)}), CPU ${res.cpuS.toFixed(2)} s, peak ${fmtMiB(res.peakMb)}, lost ${res.lost}/${res.logLost}, socket at ${fmtMs(c.socketMs)}` +
              (m.key === 'none' ? '' : `, connected at ${fmtMs(c.connectedMs)}${c.error ? ` (${c.error})` : ''}`) +
              (t ? `, got ${fmtInt(t.distinct)} + skipped ${fmtInt(t.skipped)} (${t.notes} notes) = ${fmtInt(t.distinct + t.skipped)} of ${fmtInt(lines)}, ${fmtMiB(t.bytes / 1024 / 1024)}, exit line ${t.exitLine}` : '') +
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
  const sum = Object.fromEntries(Object.entries(results).map(([k, list]) => [k, summarize(list, lines)]));
  // Each run against the no-client run just before it (same output, same round): load that drifts between
  // rounds cancels out, which a ratio of medians would not do.
  for (const o of OUTPUTS) {
    const base = sum[`${o.key}:none`];
    for (const m of MODES) {
      const s = sum[`${o.key}:${m.key}`];
      s.paired = median(s.floods.map((w, r) => base.floods[r] / w));
      s.cpuPaired = median(s.cpus.map((c, r) => c / base.cpus[r]));
      s.rssPaired = median(s.peaks.map((p, r) => p - base.peaks[r]));
      s.rssPairedMax = max(s.peaks.map((p, r) => p - base.peaks[r]));
    }
  }
  return sum;
}

/** The table of one workload: one row per output × mode. */
function renderWorkload(sum, lines) {
  const rows = [];
  for (const o of OUTPUTS) {
    const base = sum[`${o.key}:none`];
    for (const m of MODES) {
      const s = sum[`${o.key}:${m.key}`];
      const none = m.key === 'none';
      rows.push([
        o.label,
        m.label,
        `${s.runs}`,
        fmtMs(s.wallMs),
        fmtMs(s.gateMs),
        fmtRate(s.rate),
        none ? `${fmtMs(Math.min(...s.floods))} – ${fmtMs(Math.max(...s.floods))}` : `${s.paired.toFixed(3)} (of medians ${(s.rate / base.rate).toFixed(3)})`,
        `${s.cpuS.toFixed(2)} s`,
        `${fmtMiB(s.peakMb)} (max ${fmtMiB(s.peakMaxMb)})`,
        none ? '—' : `${s.rssPaired >= 0 ? '+' : ''}${s.rssPaired.toFixed(1)} (max ${s.rssPairedMax >= 0 ? '+' : ''}${s.rssPairedMax.toFixed(1)})`,
        none ? '—' : `${fmtMs(s.connectedMs)} (${s.connected}/${s.runs})`,
        m.key === 'reader'
          ? `${fmtInt(s.received)} + ${fmtInt(s.skipped)} skipped (${s.notes} notes); = ${fmtInt(lines)} in ${s.accounted}/${s.runs}; ${fmtMiB(s.readMiB)}; exit line ${s.exitLines}/${s.runs}`
          : '—',
        `${s.dropped}/${s.runs}`,
        `${fmtInt(s.lost)} / ${fmtInt(s.logLost)}`,
        s.failures > 0 ? `${s.failures} failed` : 'ok',
      ]);
    }
  }
  return table(
    ['stdout of msdev', 'socket client', 'runs', 'wall', 'lines from', 'lines/s', '÷ no client (runs: min – max)', 'msdev CPU', 'msdev peak RSS', 'RSS − no client (MiB)', 'client connected at', 'client got: log lines + skipped (notes)', '"dropped a client" printed', 'lost (output / log files)', 'exit'],
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
    '(`bench/fixtures/spew.mjs`: numbered 100-byte lines as fast as the pipe takes them, `restart: "no"`), started through `fixtures/gated-spew.mjs`, ' +
    'which holds each one until the bench creates a gate file, under `msdev up --no-tui` (default config: no `--drop-lines`), its stdout going to a regular file (`> out.txt`) or through a real pipe ' +
    '(`sh -c "msdev up --no-tui | cat > out.txt"`), in three modes, alternating run by run:\n\n' +
    '- **no client**: nobody connects to the control socket; the gate opens when `.msdev/msdev.sock` appears (polled every 2 ms);\n' +
    '- **a client that never reads**: as soon as the socket appears, the bench connects a raw `net` socket, ' +
    "writes `GET /events HTTP/1.1`, opens the gate and pauses the socket without ever reading (Node buffers at most 16 KiB; the kernel's socket buffer, ~200 KiB, holds the rest). " +
    'Once a client is more than 1 MiB behind, msdev sends it no log lines (skipped and counted; state and message events still go); it drops a client only when it reads nothing for 10 s while behind, ' +
    'or when non-log events alone put it 4 MiB behind, with a warning on its own output (counted: "dropped a client" printed). These runs last well under 10 s, so the never-reading client should not be dropped;\n' +
    '- **a client that reads**: `GET /events?logs=0` read to the end by the bench process as fast as it can, like `msdev logs -f` or `up --attach` (tallied, discarded). ' +
    'The gate opens once its response began (it is subscribed), so it is owed every line the services write: the numbered log lines it received (each checked: intact, once, in order) ' +
    'plus the N of each `… N log lines skipped: this client fell behind` note it got must make up all of them ("= N in k/5": runs where they did, with no line broken).\n\n' +
    `Measured as in the pipe throughput section, from the gate: **lines from** = when the gate opened (ms after spawn; msdev starts the socket after the services, about 200 ms in); ` +
    '**lines/s** = lines ÷ the median time from the gate until msdev exited and the reader had everything; ' +
    "each cell's **÷ no client** = the median over rounds of that run's lines/s ÷ the no-client run's of the same round, so that load drifting between rounds cancels (the ratio of the medians beside it); **wall** = spawn until the end; " +
    "msdev's own **CPU** (user + system) and **peak RSS** (max VmHWM), sampled every 20 ms from `/proc`; **RSS − no client** = the median over rounds of its peak RSS minus that of the no-client run of the round (the largest in brackets); " +
    '**lost** = numbered lines that did not arrive intact in msdev\'s output and in `.msdev/logs` (all generations). ' +
    `${n} runs per cell; medians.\n\n`;
  const data = {};
  for (const sc of workloads) {
    const sum = await runWorkload(sc, n);
    data[sc.key] = { scenario: sc, sum };
    text += `### ${sc.name}\n\n${renderWorkload(sum, sc.ids * sc.perId)}\n\n`;
  }
  const readers = Object.values(data).flatMap(({ sum }) => OUTPUTS.map((o) => sum[`${o.key}:reader`]));
  const messages = [...new Set(readers.flatMap((s) => s.messages))];
  if (messages.length > 0) text += `Other messages the reading client got: ${messages.map((m) => `"${m}"`).join('; ')}.\n\n`;
  text +=
    `Load average (1 min) when the benchmark started / ended: ${loadBefore.toFixed(1)} / ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs ` +
    '(the reading client runs in the bench process, on the same CPUs as msdev, its services and `cat`).\n\n';
  return { title: 'Control socket clients vs log throughput', text, targets: controlTargets(data), data };
}

/** The targets of issue 10 under the skip-don't-drop policy, from every workload × output. */
function controlTargets(data) {
  const cells = Object.values(data).flatMap(({ scenario, sum }) =>
    OUTPUTS.map((o) => ({
      what: `${scenario.ids}×${o.key}`,
      lines: scenario.ids * scenario.perId,
      none: sum[`${o.key}:none`],
      stuck: sum[`${o.key}:stuck`],
      reader: sum[`${o.key}:reader`],
    })),
  );
  const lost = cells.flatMap((c) => MODES.map((m) => c[m.key].lost + c[m.key].logLost)).reduce((a, b) => a + b, 0);
  const failed = cells.flatMap((c) => MODES.map((m) => c[m.key].failures)).reduce((a, b) => a + b, 0);
  const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  return [
    {
      name: `never-reading client within ${WITHIN * 100}% of no client (lines/s, issue 10)`,
      met: cells.every((c) => c.stuck.paired >= 1 - WITHIN),
      figures:
        'lines/s of each run ÷ that of the no-client run of its round, median: ' +
        cells
          .map((c) => `${c.what} ${c.stuck.paired.toFixed(3)} (medians ${fmtRate(c.stuck.rate)} vs ${fmtRate(c.none.rate)}; msdev CPU × ${c.stuck.cpuPaired.toFixed(3)})`)
          .join('; ') +
        ' (1× / 10× = 1 service × 1M lines / 10 × 100k)',
    },
    {
      name: `never-reading client: msdev's peak RSS at most ${RSS_WITHIN_MIB} MiB above no client, and the client not dropped in these runs (all under 10 s)`,
      met: cells.every((c) => c.stuck.rssPaired <= RSS_WITHIN_MIB && c.stuck.dropped === 0 && c.stuck.connected === c.stuck.runs),
      figures:
        'peak RSS minus that of the no-client run of its round, median (largest): ' +
        cells.map((c) => `${c.what} ${signed(c.stuck.rssPaired)} MiB (${signed(c.stuck.rssPairedMax)}; medians ${fmtMiB(c.stuck.peakMb)} vs ${fmtMiB(c.none.peakMb)})`).join('; ') +
        '; dropped in ' +
        cells.map((c) => `${c.what} ${c.stuck.dropped}/${c.stuck.runs} (connected ${c.stuck.connected}, longest run ${fmtMs(c.stuck.longestMs)})`).join(', '),
    },
    {
      name: 'a client reading as fast as it can (`logs -f`, `up --attach`) is never dropped, and gets or is told of every line (received + skipped = written)',
      met: cells.every((c) => c.reader.dropped === 0 && c.reader.connected === c.reader.runs && c.reader.accounted === c.reader.runs),
      figures:
        cells
          .map(
            (c) =>
              `${c.what}: dropped ${c.reader.dropped}/${c.reader.runs}, accounted ${c.reader.accounted}/${c.reader.runs}, median ${fmtInt(c.reader.received)} received + ${fmtInt(c.reader.skipped)} skipped of ${fmtInt(c.lines)}, ` +
              `lines/s × ${c.reader.paired.toFixed(3)} of no client`,
          )
          .join('; '),
    },
    {
      name: '0 lines lost in msdev\'s output and log files, in every mode',
      met: lost === 0 && failed === 0,
      figures: `lines lost, cut or out of order (output and log files, all ${cells.length * MODES.length} cells): ${fmtInt(lost)}; runs that failed: ${failed}`,
    },
  ];
}

if (isMain(import.meta.url)) await runAlone(controlClient);
