// Health start-up probing: examples/python-shop under `msdev smoke`, time to ready with the default config
// (start_interval 100ms, interval 1s), with `interval: 50ms` on every check, and with start_interval set to
// interval (the behaviour before start_interval). Run alone: `node bench/health-start.mjs`.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isMain, MSDEV, NODE, progress, removeDir, ROOT, runAlone, runs, tempDir } from './lib/env.mjs';
import { cmdline } from './lib/project.mjs';
import { cleanupAll, forgetDead, spawnTool, track, withTimeout } from './lib/proc.mjs';
import { fmtMs, median, table } from './lib/stats.mjs';

/** The example stack, copied into a temp folder per variant. */
const EXAMPLE = join(ROOT, 'examples', 'python-shop');
/** The target for the default config. */
const TARGET_MS = 1200;
/** A run that takes longer than this is stopped and counted as failed. */
const RUN_TIMEOUT_MS = 60_000;

/** The configs compared: keys added to every `healthcheck:` of the example's services.yaml. */
const VARIANTS = [
  { key: 'default', label: 'default (start_interval 100ms, interval 1s)', add: {} },
  { key: 'i50', label: '`interval: 50ms` on every check', add: { interval: '50ms' } },
  { key: 'i50s50', label: '`interval: 50ms`, `start_interval: 50ms`', add: { interval: '50ms', start_interval: '50ms' } },
  { key: 'old', label: '`start_interval: 1s` (= interval: the old behaviour)', add: { start_interval: '1s' } },
];

/** Copies the example into dir with `add` written under every healthcheck; returns how many checks were changed. */
function writeVariant(dir, add) {
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('.msdev') });
  const file = join(dir, 'services.yaml');
  let checks = 0;
  const text = readFileSync(file, 'utf8').replace(/^(\s*)healthcheck:\s*$/gm, (line, indent) => {
    checks++;
    return [line, ...Object.entries(add).map(([k, v]) => `${indent}  ${k}: ${v}`)].join('\n');
  });
  writeFileSync(file, text);
  return checks;
}

/** One `msdev smoke --json --settle 0` run: { ok, readyMs (the ready event's ms), wallMs (spawn → ready event), code }. */
async function smokeOnce(dir) {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const t = spawnTool(NODE, [MSDEV, 'smoke', '--json', '--settle', '0'], { cwd: dir, env });
  const res = { ok: false, readyMs: NaN, wallMs: NaN, seedMs: NaN, code: null };
  let seedStart = NaN;
  let rest = '';
  t.child.stdout.setEncoding('utf8');
  t.child.stdout.on('data', (chunk) => {
    const now = performance.now() - t.t0;
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      if (!line.startsWith('{"ts"')) continue;
      const e = JSON.parse(line);
      if (typeof e.pid === 'number') track([e.pid]);
      if (e.type === 'state' && e.service === 'seed' && e.state === 'starting') seedStart = now;
      if (e.type === 'ready') {
        res.readyMs = e.ms;
        res.wallMs = now;
        res.seedMs = now - seedStart;
      }
    }
  });
  const exit = await withTimeout(t.exited, RUN_TIMEOUT_MS);
  if (exit === null) {
    progress(`  timed out after ${RUN_TIMEOUT_MS / 1000} s; stderr: ${t.stderr().slice(0, 500)}`);
    cleanupAll();
    return res;
  }
  res.code = exit.code ?? exit.signal;
  res.ok = exit.code === 0 && Number.isFinite(res.readyMs);
  if (!res.ok) progress(`  failed (exit ${res.code}); stderr: ${t.stderr().slice(0, 500)}`);
  forgetDead();
  return res;
}

/** Runs the benchmark; returns { title, text, targets, data }. */
export async function healthStart() {
  const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (python.status !== 0) {
    return { title: 'Health start-up probing (python-shop)', text: 'Skipped: `python3` is not on PATH.', targets: [{ name: 'python-shop ready under 1.2 s', met: null, figures: 'python3 missing' }] };
  }
  const work = tempDir('health-start');
  const n = runs(5);
  const loadBefore = loadavg()[0];
  const results = new Map(VARIANTS.map((v) => [v.key, []]));
  try {
    for (const v of VARIANTS) {
      const checks = writeVariant(join(work, v.key), v.add);
      if (checks !== 5) throw new Error(`expected 5 healthchecks in ${EXAMPLE}/services.yaml, found ${checks}`);
    }
    for (let r = 0; r < n; r++) {
      for (const v of VARIANTS) {
        progress(`health-start: ${v.key}, run ${r + 1}/${n}`);
        const res = await smokeOnce(join(work, v.key));
        progress(`  ready ${fmtMs(res.readyMs)} (spawn → ready ${fmtMs(res.wallMs)})`);
        results.get(v.key).push(res);
      }
    }
  } finally {
    removeDir(work);
  }
  const loadAfter = loadavg()[0];

  const sum = Object.fromEntries(
    VARIANTS.map((v) => {
      const all = results.get(v.key);
      const ok = all.filter((x) => x.ok);
      const ready = ok.map((x) => x.readyMs);
      return [v.key, { readyMs: median(ready), minMs: Math.min(...ready), maxMs: Math.max(...ready), wallMs: median(ok.map((x) => x.wallMs)), seedMs: median(ok.map((x) => x.seedMs)), ok: ok.length, runs: all.length }];
    }),
  );
  const command = cmdline('msdev', ['smoke', '--json', '--settle', '0']);
  let text =
    '`examples/python-shop` (five services with health checks in a chain catalog, queue → orders, notifier → gateway → ' +
    'the one-shot seed, which must complete) copied to a temp folder, `start_interval` / `interval` written under every ' +
    `\`healthcheck:\`, then \`${command}\` in it. "ready" is the \`ms\` of msdev's \`{"type":"ready"}\` event (engine ` +
    'start until every service is healthy or completed); "spawn → ready" adds node and msdev start-up; "of which seed" is ' +
    'the one-shot `seed` from its start to its exit (a Python start-up and two orders through the stack), the last step of ready. ' +
    `Median of ${n} runs, variants alternating run by run. The chain holds four Python start-ups in a row, so the ` +
    `figures follow the machine's load (1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after).\n\n`;
  text += table(
    ['config', 'ready (median)', 'ready min – max', 'spawn → ready', 'of which seed', 'ok runs'],
    VARIANTS.map((v) => {
      const s = sum[v.key];
      return [v.label, fmtMs(s.readyMs), `${fmtMs(s.minMs)} – ${fmtMs(s.maxMs)}`, fmtMs(s.wallMs), fmtMs(s.seedMs), `${s.ok}/${s.runs}`];
    }),
  );
  text += '\n';
  const d = sum.default;
  const targets = [
    {
      name: '`examples/python-shop` under `msdev smoke`, default config, ready in under 1.2 s (issue 7; was 3.3 s)',
      met: d.ok === 0 ? false : d.readyMs < TARGET_MS,
      figures: `${fmtMs(d.readyMs)} (\`interval: 50ms\`: ${fmtMs(sum.i50.readyMs)}; start_interval = interval, the old behaviour: ${fmtMs(sum.old.readyMs)})`,
    },
  ];
  return { title: 'Health start-up probing (python-shop)', text, targets, data: { sum } };
}

if (isMain(import.meta.url)) await runAlone(healthStart);
