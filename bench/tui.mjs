// The TUI (issue 9) in a real terminal: `msdev up` in a 160×48 tmux session, under load (10 services × 10,000
// lines/s: key press → screen change, CPU, peak RSS, memory over time) and at rest (10 idle services: CPU over
// 30 s; the same under `up --no-tui` as a baseline). Run alone: `node bench/tui.mjs`.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, isMain, MSDEV, NODE, progress, removeDir, runAlone, tempDir } from './lib/env.mjs';
import { alive, CLK_TCK, cleanupAll, forgetDead, readMem, readStat, sleep, track } from './lib/proc.mjs';
import { makeProject, shq } from './lib/project.mjs';
import { hasTmux, Tmux } from './lib/tmux.mjs';
import { fmtMiB, fmtMs, fmtRate, median, table } from './lib/stats.mjs';

const N = 10;
const RATE = 10_000;
const WARMUP_MS = 5_000;
const LOAD_MS = 20_000;
/** RSS is compared as the highest sample in the first and in the last BUCKET_MS of the window (a garbage-collection cycle fits in one). */
const BUCKET_MS = 5_000;
const PRESSES = 20;
const IDLE_MS = 30_000;
const IDLE_WARMUP_MS = 3_000;
const COLS = 160;
const ROWS = 48;
const KEY_TARGET_MS = 100;
const IDLE_TARGET_PCT = 1;
/** Memory counts as flat when RSS at the end of the load is at most this much above RSS after the warm-up. */
const FLAT_RATIO = 1.1;
const names = Array.from({ length: N }, (_, i) => `svc${String(i + 1).padStart(2, '0')}`);

/** The services.yaml commands of each case. */
const CASES = {
  load: (i) => `${shq(NODE)} ${shq(join(FIXTURES, 'steady.mjs'))} ${i} ${RATE} 10 80`,
  idle: () => `${shq(NODE)} -e "setInterval(()=>{},1000)"`,
  plain: () => `${shq(NODE)} -e "setInterval(()=>{},1000)"`,
};
/** The plain-output baseline's window (the same idle services under `up --no-tui`). */
const PLAIN_MS = 15_000;

/** The selected service, from the detail line under the panes (` svc03: running (pid 123)`), or null. */
function selectedName(screen) {
  return /^ (svc\d+): /m.exec(screen)?.[1] ?? null;
}

/** How many list rows show running or healthy. */
function upCount(screen) {
  return [...screen.matchAll(/^[x│]\S (svc\d+) +(running|healthy) /gmu)].length;
}

/** state.json of the project: { pid, services: { NAME: { pid } } }, or null. */
function readState(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, '.msdev', 'state.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** The service pids state.json records. */
function servicePids(state) {
  return Object.values(state?.services ?? {})
    .map((s) => s.pid)
    .filter((p) => typeof p === 'number');
}

/** The highest line number in the last 8 KiB of a service's log file (0 when none). */
function lastSeq(dir, name) {
  const file = join(dir, '.msdev', 'logs', `${name}.log`);
  if (!existsSync(file)) return 0;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 8192));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    const all = [...buf.toString('latin1').matchAll(/steady:\d+:(\d{8})/g)];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  } finally {
    closeSync(fd);
  }
}

/** msdev's CPU seconds (user + system of its own process) and memory now. */
function probe(pid) {
  const st = readStat(pid);
  const mem = readMem(pid);
  return { at: performance.now(), cpuS: st ? st.cpuTicks / CLK_TCK : NaN, rssMb: mem ? mem.rssKb / 1024 : NaN, hwmMb: mem ? mem.hwmKb / 1024 : NaN };
}

/** CPU between two probes as % of one core. */
function cpuPct(a, b) {
  return ((b.cpuS - a.cpuS) / ((b.at - a.at) / 1000)) * 100;
}

/** Polls the screen every ~5 ms until check(screen) is truthy; returns { ms, screen } or null after timeoutMs. */
async function pollScreen(term, check, timeoutMs, t0 = performance.now()) {
  for (;;) {
    const screen = term.screen();
    const now = performance.now();
    if (check(screen)) return { ms: now - t0, screen };
    if (now - t0 > timeoutMs) return null;
    await sleep(5);
  }
}

/** 20 presses of j / k (whichever moves the selection), each timed from send-keys to the first capture showing it moved. */
async function keyLatencies(term) {
  const out = [];
  for (let i = 0; i < PRESSES; i++) {
    const before = selectedName(term.screen());
    const key = before === names[0] ? 'j' : 'k';
    const t0 = performance.now();
    term.keys(key);
    const seen = await pollScreen(term, (s) => { const now = selectedName(s); return now !== null && now !== before; }, 2_000, t0);
    out.push(seen ? seen.ms : NaN);
    // An uneven pause, so that presses do not fall in step with the TUI's 50 ms frame timer.
    await sleep(250 + ((i * 53) % 150));
  }
  return out;
}

/** The p-th percentile (nearest rank) of the finite values. */
function percentile(values, p) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] : NaN;
}

/** Starts `msdev up` for a case in tmux, waits for every service to run, measures, quits with q; returns the figures. */
async function runCase(kind, work) {
  const { dir } = makeProject(kind, Object.fromEntries(names.map((n, i) => [n, { command: CASES[kind](i) }])), work);
  const cache = process.env.MSDEV_CACHE_DIR ? `export MSDEV_CACHE_DIR=${shq(process.env.MSDEV_CACHE_DIR)}; ` : '';
  const flags = kind === 'plain' ? ' --no-tui' : '';
  const command = `unset CI FORCE_COLOR NO_COLOR; ${cache}${shq(NODE)} ${shq(MSDEV)} up${flags}; echo "EXIT=$?"; sleep 600`;
  const term = new Tmux(kind, { cwd: dir, cols: COLS, rows: ROWS, command });
  const res = { kind };
  let pid = null;
  try {
    // The TUI: every list row says running; plain output: state.json names N live service pids.
    const allUp = kind === 'plain' ? () => servicePids(readState(dir)).filter(alive).length === N : (s) => upCount(s) === N;
    const up = await pollScreen(term, allUp, 30_000);
    const state = readState(dir);
    if (!up || !state) throw new Error(`the ${kind} stack did not come up in the TUI; the screen:\n${term.screen()}`);
    pid = state.pid;
    track([pid, ...servicePids(state)]);
    res.upMs = up.ms;
    if (kind === 'load') {
      await sleep(WARMUP_MS);
      const seq0 = names.map((n) => lastSeq(dir, n));
      const a = probe(pid);
      const samples = [a];
      const sampler = setInterval(() => samples.push(probe(pid)), 250);
      res.latencies = await keyLatencies(term);
      const left = LOAD_MS - (performance.now() - a.at);
      if (left > 0) await sleep(left);
      clearInterval(sampler);
      const b = probe(pid);
      samples.push(b);
      // The highest RSS in each BUCKET_MS of the window: one point reading would mostly show where the GC happens to be.
      res.rssBuckets = Array.from({ length: LOAD_MS / BUCKET_MS }, (_, k) =>
        Math.max(...samples.filter((x) => Math.min(LOAD_MS / BUCKET_MS - 1, Math.floor((x.at - a.at) / BUCKET_MS)) === k).map((x) => x.rssMb)),
      );
      const seq1 = names.map((n) => lastSeq(dir, n));
      res.rate = seq1.reduce((s, x, i) => s + x - seq0[i], 0) / ((b.at - a.at) / 1000);
      Object.assign(res, { cpuPct: cpuPct(a, b), rssStartMb: a.rssMb, rssEndMb: b.rssMb, peakMb: b.hwmMb, windowS: (b.at - a.at) / 1000 });
    } else {
      await sleep(IDLE_WARMUP_MS);
      const a = probe(pid);
      await sleep(kind === 'plain' ? PLAIN_MS : IDLE_MS);
      const b = probe(pid);
      Object.assign(res, { cpuPct: cpuPct(a, b), rssStartMb: a.rssMb, rssEndMb: b.rssMb, peakMb: b.hwmMb, windowS: (b.at - a.at) / 1000 });
    }
    // Quit: q (it asks nothing; a second q is ignored; plain output: Ctrl-C), then wait for msdev to exit and its services to be gone.
    const pids = servicePids(readState(dir) ?? state);
    track(pids);
    const q0 = performance.now();
    term.keys(kind === 'plain' ? 'C-c' : 'q');
    const exited = await pollScreen(term, (s) => /^EXIT=\d+/m.test(s), 20_000);
    res.quitMs = exited ? exited.ms : NaN;
    res.exitCode = exited ? Number(/^EXIT=(\d+)/m.exec(exited.screen)[1]) : null;
    while ([pid, ...pids].some(alive) && performance.now() - q0 < 25_000) await sleep(20);
    res.left = [pid, ...pids].filter(alive).length;
    res.tuiError = existsSync(join(dir, '.msdev', 'tui-error.log'));
    return res;
  } finally {
    term.kill();
    cleanupAll();
    forgetDead();
  }
}

/** Runs the benchmark; returns { title, text, targets, data }. */
export async function tui() {
  const title = 'TUI under load and at rest (issue 9)';
  if (!hasTmux()) {
    return { title, text: 'Skipped: `tmux` is not installed.', targets: [{ name: 'TUI key press → screen change within 100 ms (p95) under 10 × 10,000 lines/s', met: null, figures: 'tmux missing' }] };
  }
  const work = tempDir('tui');
  let load;
  let idle;
  let plain;
  try {
    progress(`tui: load case (${N} × ${RATE.toLocaleString('en-US')} lines/s, ${WARMUP_MS / 1000} s warm-up, ${LOAD_MS / 1000} s measured)`);
    load = await runCase('load', work);
    progress(`  key → screen median ${fmtMs(median(load.latencies))}, p95 ${fmtMs(percentile(load.latencies, 95))}; CPU ${load.cpuPct.toFixed(1)}%; RSS ${fmtMiB(load.rssStartMb)} → ${fmtMiB(load.rssEndMb)}`);
    progress(`tui: idle case (${N} idle services, ${IDLE_MS / 1000} s measured)`);
    idle = await runCase('idle', work);
    progress(`  CPU ${idle.cpuPct.toFixed(2)}% of a core`);
    progress(`tui: baseline, the same idle services under up --no-tui (${PLAIN_MS / 1000} s measured)`);
    plain = await runCase('plain', work);
    progress(`  CPU ${plain.cpuPct.toFixed(2)}% of a core`);
  } finally {
    removeDir(work);
  }
  const lat = load.latencies;
  const failed = lat.filter((x) => !Number.isFinite(x)).length;
  const med = median(lat);
  const p95 = percentile(lat, 95);
  const buckets = load.rssBuckets;
  const grow = buckets[buckets.length - 1] / buckets[0];
  let text =
    `\`bin/msdev.js up\` in a ${COLS}×${ROWS} tmux terminal (its own server socket; \`capture-pane -p\` to read it), in a temp ` +
    `folder with ${N} services and no health checks. **Load**: each service is \`node bench/fixtures/steady.mjs ID ${RATE} 10 80\` ` +
    `(${RATE.toLocaleString('en-US')} numbered 80-byte lines a second, written every 10 ms, forever). After every list row shows ` +
    `\`running\`, ${WARMUP_MS / 1000} s of warm-up, then a window of ${LOAD_MS / 1000} s: msdev's CPU (user + system of its own ` +
    `process, \`/proc/PID/stat\`; the pid from \`.msdev/state.json\`) and RSS at its start and end (and every 250 ms between), peak RSS (VmHWM) at its end; ` +
    `during it ${PRESSES} key presses (\`j\` / \`k\`, whichever moves the selection, 250–400 ms apart), each timed from \`send-keys\` ` +
    `to the first \`capture-pane\` (polled every ~5 ms) whose detail line names the newly selected service; the delivered rate is ` +
    `read from the line numbers at the end of each \`.msdev/logs/SERVICE.log\`. **Idle**: each service is ` +
    `\`node -e "setInterval(()=>{},1000)"\`; ${IDLE_WARMUP_MS / 1000} s after all run, msdev's CPU over ${IDLE_MS / 1000} s; as a ` +
    `baseline, the same services under \`msdev up --no-tui\` (plain output, same terminal) over ${PLAIN_MS / 1000} s. ` +
    `Each case ends with \`q\` (the baseline: Ctrl-C): time until msdev exited, its exit code, and processes (msdev and the services) left. One run of each.\n\n`;
  text += table(
    ['case', 'window', 'msdev CPU (% of a core)', 'RSS start → end', 'peak RSS', 'lines delivered', 'up → all running', 'q → exit', 'exit', 'left'],
    [load, idle, plain].map((r) => [
      { load: `load: ${N} × ${RATE.toLocaleString('en-US')} lines/s`, idle: `idle: ${N} idle services`, plain: 'idle, `up --no-tui` (baseline)' }[r.kind],
      `${r.windowS.toFixed(1)} s`,
      `${r.cpuPct.toFixed(r.kind === 'load' ? 1 : 2)}%`,
      `${fmtMiB(r.rssStartMb)} → ${fmtMiB(r.rssEndMb)}`,
      fmtMiB(r.peakMb),
      r.kind === 'load' ? fmtRate(r.rate) : '-',
      fmtMs(r.upMs),
      fmtMs(r.quitMs),
      String(r.exitCode ?? 'none') + (r.tuiError ? ' (tui-error.log written)' : ''),
      String(r.left),
    ]),
  );
  text +=
    `\n\nKey press → screen change under load (${PRESSES} presses): median ${fmtMs(med)}, p95 ${fmtMs(p95)}, ` +
    `min ${fmtMs(Math.min(...lat.filter(Number.isFinite)))}, max ${fmtMs(Math.max(...lat.filter(Number.isFinite)))}` +
    `${failed ? `; ${failed} press(es) showed no change within 2 s` : ''}. Each figure includes a \`tmux send-keys\` and a ` +
    `\`capture-pane\` (a few ms each); the TUI redraws at most every 50 ms, only when something changed.\n\n` +
    `All (ms): ${lat.map((x) => (Number.isFinite(x) ? Math.round(x) : 'none')).join(', ')}\n\n` +
    `msdev's RSS under load, sampled every 250 ms, the highest in each ${BUCKET_MS / 1000} s of the window (${WARMUP_MS / 1000}–${(WARMUP_MS + LOAD_MS) / 1000} s ` +
    `after all services ran): ${buckets.map(fmtMiB).join(', ')}.\n`;
  const targets = [
    {
      name: `TUI: key press → screen change within ${KEY_TARGET_MS} ms (p95) under ${N} × ${RATE.toLocaleString('en-US')} lines/s (issue 9)`,
      met: failed === 0 && p95 <= KEY_TARGET_MS,
      figures: `p95 ${fmtMs(p95)}, median ${fmtMs(med)} over ${PRESSES} presses${failed ? ` (${failed} unseen)` : ''}; msdev CPU ${load.cpuPct.toFixed(0)}% of a core, peak RSS ${fmtMiB(load.peakMb)}, ${fmtRate(load.rate)} delivered`,
    },
    {
      name: `TUI: idle CPU under ${IDLE_TARGET_PCT}% of a core with ${N} idle services (issue 9)`,
      met: idle.cpuPct < IDLE_TARGET_PCT,
      figures: `${idle.cpuPct.toFixed(2)}% over ${idle.windowS.toFixed(0)} s (the same services under \`up --no-tui\`: ${plain.cpuPct.toFixed(2)}%)`,
    },
    {
      name: `TUI: memory flat under load (the highest RSS in the last ${BUCKET_MS / 1000} s of the ${LOAD_MS / 1000} s window ≤ ${FLAT_RATIO}× that in its first ${BUCKET_MS / 1000} s) (issue 9)`,
      met: grow <= FLAT_RATIO,
      figures: `${fmtMiB(buckets[0])} at ${WARMUP_MS / 1000}–${(WARMUP_MS + BUCKET_MS) / 1000} s → ${fmtMiB(buckets[buckets.length - 1])} at ${(WARMUP_MS + LOAD_MS - BUCKET_MS) / 1000}–${(WARMUP_MS + LOAD_MS) / 1000} s (${grow.toFixed(2)}×); point readings ${fmtMiB(load.rssStartMb)} at ${WARMUP_MS / 1000} s, ${fmtMiB(load.rssEndMb)} at ${(WARMUP_MS + LOAD_MS) / 1000} s`,
    },
    {
      name: 'TUI: `q` exits 0 and leaves no process, in both cases (issue 9)',
      met: load.exitCode === 0 && idle.exitCode === 0 && load.left === 0 && idle.left === 0,
      figures: `load: exit ${load.exitCode ?? 'none'} after ${fmtMs(load.quitMs)}, ${load.left} left; idle: exit ${idle.exitCode ?? 'none'} after ${fmtMs(idle.quitMs)}, ${idle.left} left`,
    },
  ];
  return { title, text, targets, data: { load, idle, plain } };
}

if (isMain(import.meta.url)) await runAlone(tui);
