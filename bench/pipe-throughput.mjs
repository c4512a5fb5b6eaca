// Pipe throughput: msdev and concurrently side by side with their stdout going where users send it (a file,
// `| cat`, a parent process reading a pipe, a slow reader at 10 MB/s): wall time, the tool's own CPU and peak
// RSS, and lines lost on screen and in msdev's log files. Run alone: `node bench/pipe-throughput.mjs`.
import { cpus, loadavg } from 'node:os';
import { isMain, progress, removeDir, runAlone, runs, tempDir, toolEnv } from './lib/env.mjs';
import { runPipeCase } from './lib/pipe-run.mjs';
import { cleanupAll } from './lib/proc.mjs';
import { fmtInt, fmtMiB, fmtMs, fmtX, max, median, table } from './lib/stats.mjs';
import { toolsFor } from './log-throughput.mjs';

const SLOW_RATE = 10_000_000; // bytes per second
const RSS_TARGET_MIB = 120;
const FLAT_WITHIN = 0.1; // slow-reader peak RSS within 10% of the `| cat` one

/** The output cases: where the tool's stdout goes. `fast` ones count toward the wall-time target. */
const OUTPUTS = [
  { key: 'file', output: 'file', label: '`> out.txt` (a regular file)', fast: true },
  { key: 'cat', output: 'cat', label: '`| cat > out.txt` (a shell pipe)', fast: true },
  { key: 'parent', output: 'parent', label: 'read by the parent as fast as it can', fast: true },
  { key: 'json', output: 'cat', label: '`up --json | cat > out.txt`', json: true },
  { key: 'slow', output: 'slow', label: '`| slow-reader.mjs` at 10 MB/s', slow: true },
];

/** msdev (plain or --json) and concurrently (prefixed, its default) running the same services. */
function pipeTools(ids, perId) {
  const all = toolsFor(ids, perId);
  const conc = all.find((t) => t.key === 'conc');
  const msdev = all.find((t) => t.key === 'msdev');
  const env = toolEnv();
  return {
    msdev: { ...msdev, label: 'msdev up', args: ['up'], env },
    msdevJson: { ...msdev, key: 'msdev-json', label: 'msdev up --json', args: ['up', '--json'], env },
    conc: { ...conc, label: 'concurrently', env },
  };
}

/** The medians (and worst runs) of one tool × output. */
function summarize(list) {
  const pick = (k) => list.map((x) => x[k]);
  const worst = (k) => (list.some((x) => x[k] !== undefined) ? max(pick(k)) : undefined);
  return {
    runs: list.length,
    wallMs: median(pick('wallMs')),
    cpuS: median(pick('cpuS')),
    peakMb: median(pick('peakMb')),
    peakMaxMb: max(pick('peakMb')),
    lost: max(pick('lost')),
    mangled: max(pick('mangled')),
    reordered: max(pick('reordered')),
    logLost: worst('logLost'),
    logBad: list.some((x) => x.logLost !== undefined) ? max(list.map((x) => x.logMangled + x.logReordered)) : undefined,
    logFiles: median(pick('logFiles')),
    failures: list.filter((x) => x.code !== 0).length,
  };
}

/** Runs every case of a workload: fast outputs round-robin `n` times, the slow reader `nSlow` times. */
async function runWorkload(sc, n, nSlow) {
  const tools = pipeTools(sc.ids, sc.perId);
  const work = tempDir('pipe');
  const results = {};
  const add = (key, res) => (results[key] ??= []).push(res);
  const once = async (tool, o, r, total) => {
    progress(`${sc.name}: ${tool.label}, ${o.key}, run ${r + 1}/${total}`);
    const res = await runPipeCase(tool, o.output, sc, work, r, { rate: SLOW_RATE });
    progress(
      `  ${fmtMs(res.wallMs)}, CPU ${res.cpuS.toFixed(2)} s, peak ${fmtMiB(res.peakMb)}, lost ${res.lost}` +
        (res.logLost !== undefined ? `, in logs lost ${res.logLost} (${res.logFiles} files)` : ''),
    );
    add(`${tool.key}:${o.key}`, res);
  };
  try {
    for (let r = 0; r < n; r++) {
      for (const o of OUTPUTS.filter((x) => !x.slow)) {
        if (o.json) await once(tools.msdevJson, o, r, n);
        else for (const tool of [tools.msdev, tools.conc]) await once(tool, o, r, n);
      }
    }
    for (let r = 0; r < nSlow; r++) for (const tool of [tools.msdev, tools.conc]) await once(tool, OUTPUTS.find((x) => x.slow), r, nSlow);
  } finally {
    cleanupAll();
    removeDir(work);
  }
  const sum = Object.fromEntries(Object.entries(results).map(([k, list]) => [k, summarize(list)]));
  return { tools, sum };
}

/** A figure of a tool's summary, or an em dash when the tool was not run in that case. */
const cell = (s, f) => (s ? f(s) : '—');

/** The table of one workload: one row per output, msdev and concurrently side by side. */
function renderWorkload(sum) {
  const rows = OUTPUTS.map((o) => {
    const m = o.json ? sum[`msdev-json:${o.key}`] : sum[`msdev:${o.key}`];
    const c = o.json ? undefined : sum[`conc:${o.key}`];
    const lostText = (s) => {
      const bad = s.mangled + s.reordered;
      return `${fmtInt(s.lost)}${bad > 0 ? ` (${fmtInt(bad)} cut/out of order)` : ''}`;
    };
    return [
      o.label,
      `${m.runs}`,
      fmtMs(m.wallMs),
      cell(c, (x) => fmtMs(x.wallMs)),
      cell(c, (x) => fmtX(m.wallMs / x.wallMs)),
      `${m.cpuS.toFixed(2)} s`,
      cell(c, (x) => `${x.cpuS.toFixed(2)} s`),
      `${fmtMiB(m.peakMb)} (max ${fmtMiB(m.peakMaxMb)})`,
      cell(c, (x) => fmtMiB(x.peakMb)),
      lostText(m),
      `${fmtInt(m.logLost)}${m.logBad > 0 ? ` (${fmtInt(m.logBad)} cut/out of order)` : ''}`,
      cell(c, lostText),
      m.failures + (c?.failures ?? 0) > 0 ? `${m.failures + (c?.failures ?? 0)} failed` : 'ok',
    ];
  });
  return table(
    ['stdout of the tool', 'runs', 'msdev wall', 'concurrently wall', 'msdev ÷ conc.', 'msdev CPU', 'conc. CPU', 'msdev peak RSS', 'conc. peak RSS', 'msdev lost (reader)', 'msdev lost (log files)', 'conc. lost', 'exit'],
    rows,
  );
}

/** Runs the pipe throughput benchmark; returns { title, text, targets, data }. */
export async function pipeThroughput() {
  const workloads = [
    { key: 'single', name: '1 service × 1,000,000 lines', ids: 1, perId: 1_000_000 },
    { key: 'multi', name: '10 services × 100,000 lines', ids: 10, perId: 100_000 },
  ];
  const n = runs(5);
  const nSlow = runs(3);
  const data = {};
  const loadBefore = loadavg()[0];
  let text =
    'The services of the log throughput benchmark (`bench/fixtures/spew.mjs`: numbered 100-byte lines, as fast as the pipe takes them, ' +
    '`restart: "no"`, so msdev exits by itself once all completed), under `msdev up` with its default config (plain output; ' +
    'one case `up --json`) and under `concurrently` with its default prefixing (`[0] `), the same commands. stdout of the tool goes to:\n\n' +
    '- `> out.txt`: a regular file (the tool is spawned with the file as fd 1);\n' +
    '- `| cat > out.txt`: a real pipe, `sh -c "TOOL | cat > out.txt"` (a file rather than /dev/null so that the lines can be counted; cat is never the bottleneck);\n' +
    "- read by the parent: the bench spawns the tool with node's `stdio: 'pipe'` (libuv makes that a Unix socketpair, as in any Node parent: CI runners, execa, test runners) and keeps every chunk as it arrives;\n" +
    `- \`| slow-reader.mjs\`: \`sh -c "TOOL | node bench/fixtures/slow-reader.mjs ${SLOW_RATE} > out.txt"\`, which reads 64 KiB at a time and sleeps to hold ${SLOW_RATE / 1e6} MB/s (≈ 10 s a run), like a CI log or \`| less\` falling behind.\n\n` +
    `Measured: **wall** = spawn until the tool exited and the reader has everything (the shell pipeline exited, or the parent saw end of file). ` +
    `**CPU** = user + system time of the tool's own process (msdev's or concurrently's node process, not the services', not the reader's), from \`/proc/PID/stat\` ` +
    `sampled every 20 ms (the last sample, ≤ 20 ms before exit). **peak RSS** = max VmHWM of the tool's own process from \`/proc/PID/status\`, sampled every 20 ms (VmHWM never decreases, so only growth in the last 20 ms could be missed; MiB = KiB / 1024). ` +
    'In a shell pipeline the tool\'s pid is found among the shell\'s descendants (the node process with the tool\'s launcher in its arguments). ' +
    "**lost (reader)** (worst run) = numbered lines that did not reach the reader intact: every `spew:ID:SEQ:xxx…` record is checked (number, full padding), each service's numbers must all be there, once, in increasing order; lines cut by other text or out of order are shown in brackets. " +
    "**lost (log files)** (worst run) = the same count over msdev's `.msdev/logs/SERVICE.log`: msdev rotates it at 10 MiB keeping 3, so the bench hard-links each generation of the file as it appears (polled every 20 ms by inode; a generation stays under one of the four names for 40 MiB of output) and counts every line of every generation, oldest first — all 1,000,000 lines, not just the newest 40 MiB. " +
    `Fast outputs: ${n} runs, the tools alternating; the slow reader: ${nSlow} runs each (≈ 10 s a run). Medians; "max" is the worst run.\n\n`;
  for (const sc of workloads) {
    const { tools, sum } = await runWorkload(sc, n, nSlow);
    data[sc.key] = { scenario: sc, sum };
    text += `### ${sc.name}\n\n${renderWorkload(sum)}\n\n`;
    if (sc.key === 'single') {
      text += `Commands: \`bin/msdev.js up\` (and \`bin/msdev.js up --json\`) in a folder holding the services.yaml below; \`${tools.conc.shown.replace(' > out.txt', '')}\`.\n\n`;
      const yaml = Object.entries(tools.msdev.servicesShown).map(([name, s]) => `  ${name}: { command: ${JSON.stringify(s.command)}, restart: "no" }`);
      text += `\`\`\`yaml\nservices:\n${yaml.join('\n')}\n\`\`\`\n\n`;
    } else {
      text += 'Commands: the same with 10 services `s0`…`s9`, each `node bench/fixtures/spew.mjs 100000 ID` (as in the log throughput section).\n\n';
    }
  }
  text +=
    `Load average (1 min) when the benchmark started / ended: ${loadBefore.toFixed(1)} / ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs ` +
    '(above the CPU count, other work shared the machine: wall times are then longer for both tools; the alternation keeps the comparison fair).\n\n';
  const concLost = Object.values(data).some(({ sum }) => ['cat', 'parent', 'slow'].some((k) => sum[`conc:${k}`].lost > 0));
  if (concLost) {
    text +=
      "concurrently loses lines through a pipe or socket too: Node writes to them asynchronously, so what the reader has not taken yet waits in concurrently's " +
      'memory (its peak RSS), and concurrently calls `process.exit()` once its commands are done, which drops that queue. Its wall time there is the time ' +
      'to deliver what it did not drop. Into a file its writes are synchronous, so nothing is dropped (with 10 services a few lines are cut by another ' +
      "service's output landing mid-line, as in the log throughput section).\n\n";
  }
  return { title: 'Pipe throughput', text, targets: pipeTargets(data), data };
}

/** The targets of issue 8, from both workloads' summaries. */
function pipeTargets(data) {
  const wl = Object.values(data);
  const fast = OUTPUTS.filter((o) => o.fast);
  const walls = wl.flatMap(({ scenario, sum }) =>
    fast.map((o) => {
      const c = sum[`conc:${o.key}`];
      return { what: `${scenario.ids}×${o.key}`, m: sum[`msdev:${o.key}`].wallMs, c: c.wallMs, cLost: c.lost };
    }),
  );
  const msdevKeys = (sum) => Object.keys(sum).filter((k) => k.startsWith('msdev'));
  const peaks = wl.flatMap(({ scenario, sum }) => msdevKeys(sum).map((k) => ({ what: `${scenario.ids}×${k.split(':')[1]}`, mb: sum[k].peakMaxMb })));
  const worstPeak = peaks.reduce((a, p) => (p.mb > a.mb ? p : a), { mb: -Infinity });
  const flat = wl.map(({ scenario, sum }) => ({ ids: scenario.ids, slow: sum['msdev:slow'].peakMb, full: sum['msdev:cat'].peakMb }));
  const lost = wl.flatMap(({ scenario, sum }) =>
    msdevKeys(sum).map((k) => {
      const s = sum[k];
      return { what: `${scenario.ids}×${k.split(':')[1]}`, screen: s.lost + s.mangled + s.reordered, logs: (s.logLost ?? 0) + (s.logBad ?? 0) };
    }),
  );
  const bad = lost.filter((x) => x.screen > 0 || x.logs > 0);
  return [
    {
      name: "through a pipe and to a file, msdev's wall time ≤ concurrently's (issue 8)",
      met: walls.every((w) => w.m <= w.c),
      figures:
        walls.map((w) => `${w.what} ${fmtMs(w.m)} vs ${fmtMs(w.c)}${w.cLost > 0 ? ` (concurrently lost up to ${fmtInt(w.cLost)} lines there)` : ''}`).join('; ') +
        ' (1× / 10× = the workload, 1 service × 1M lines / 10 × 100k)',
    },
    {
      name: `msdev's own peak RSS ≤ ${RSS_TARGET_MIB} MiB in every case (issue 8)`,
      met: worstPeak.mb <= RSS_TARGET_MIB,
      figures: `worst run ${fmtMiB(worstPeak.mb)} (${worstPeak.what}); worst run per case: ${peaks.map((p) => `${p.what} ${fmtMiB(p.mb)}`).join(', ')}`,
    },
    {
      name: `msdev's peak RSS flat under a slow reader (10 MB/s within ${FLAT_WITHIN * 100}% of \`| cat\`) (issue 8)`,
      met: flat.every((f) => f.slow <= f.full * (1 + FLAT_WITHIN)),
      figures: flat.map((f) => `${f.ids} service(s): ${fmtMiB(f.slow)} at 10 MB/s vs ${fmtMiB(f.full)} through \`| cat\` (${fmtX(f.slow / f.full)})`).join('; '),
    },
    {
      name: 'msdev: 0 lines lost, on screen and in the log files, in every plain and JSON case (issue 8)',
      met: bad.length === 0,
      figures:
        bad.length === 0
          ? `0 lost, cut or out of order in all ${lost.length} cases`
          : bad.map((x) => `${x.what}: ${fmtInt(x.screen)} on screen, ${fmtInt(x.logs)} in the log files`).join('; '),
    },
  ];
}

if (isMain(import.meta.url)) await runAlone(pipeThroughput);
