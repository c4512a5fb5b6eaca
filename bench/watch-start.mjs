// Hot reload start-up (issue 11): time from msdev's watchFiles() call to chokidar's `ready` on a project with
// 50,000 files under node_modules and a small src/, beside chokidar used naively (scanning everything) and with
// the usual `ignored` regex. Each start runs in a fresh node process (fixtures/watch-once.mjs), so loading chokidar
// is part of it. Run alone: `node bench/watch-start.mjs` (after `npm run build`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, isMain, NODE, packageVersion, progress, removeDir, runAlone, runs, tempDir } from './lib/env.mjs';
import { cleanupAll, forgetDead, spawnTool, withTimeout } from './lib/proc.mjs';
import { fmtInt, fmtMs, fmtX, median, table } from './lib/stats.mjs';

/** The target for msdev's start. */
const TARGET_MS = 1000;
/** A start that takes longer than this is stopped and counted as failed. */
const RUN_TIMEOUT_MS = 120_000;
const PACKAGES = 500;
const FILES_PER_PACKAGE = 100;

const MODES = [
  { key: 'msdev', label: 'msdev `watchFiles` (ignored folders never entered)' },
  { key: 'regex', label: 'chokidar with `ignored: /(^|\\/)(node_modules|\\.git)(\\/|$)/`' },
  { key: 'naive', label: 'chokidar with no `ignored` (scans and watches everything)' },
];

/** The project: 50,000 empty files in 500 packages under node_modules, 50 files in src/, a package.json. */
function makeProject(dir) {
  for (let p = 0; p < PACKAGES; p++) {
    const pkg = join(dir, 'node_modules', `pkg${p}`);
    mkdirSync(pkg, { recursive: true });
    for (let f = 0; f < FILES_PER_PACKAGE; f++) writeFileSync(join(pkg, `f${f}.js`), '');
  }
  for (let d = 0; d < 5; d++) {
    mkdirSync(join(dir, 'src', `m${d}`), { recursive: true });
    for (let f = 0; f < 10; f++) writeFileSync(join(dir, 'src', `m${d}`, `f${f}.js`), 'export {};\n');
  }
  writeFileSync(join(dir, 'package.json'), '{}\n');
}

/** One start in a fresh process: { ok, ms, watched, errors }. */
async function startOnce(mode, dir) {
  const t = spawnTool(NODE, [join(FIXTURES, 'watch-once.mjs'), mode, dir]);
  let out = '';
  t.child.stdout.on('data', (d) => (out += d));
  const exit = await withTimeout(t.exited, RUN_TIMEOUT_MS);
  if (exit === null) {
    progress(`  ${mode}: timed out after ${RUN_TIMEOUT_MS / 1000} s`);
    cleanupAll();
    return { ok: false, ms: NaN, watched: NaN, errors: NaN };
  }
  forgetDead();
  if (exit.code !== 0) {
    progress(`  ${mode}: failed (exit ${exit.code ?? exit.signal}); stderr: ${t.stderr().slice(0, 500)}`);
    return { ok: false, ms: NaN, watched: NaN, errors: NaN };
  }
  return { ok: true, ...JSON.parse(out) };
}

/** Runs the benchmark; returns { title, text, targets, data }. */
export async function watchStart() {
  const dir = tempDir('watch-start');
  const n = runs(5);
  const results = new Map(MODES.map((m) => [m.key, []]));
  const loadBefore = loadavg()[0];
  try {
    progress(`watch-start: writing ${fmtInt(PACKAGES * FILES_PER_PACKAGE)} files under node_modules`);
    makeProject(dir);
    for (let r = 0; r < n; r++) {
      // Rotated run by run, so that no watcher always follows the naive one (whose 50,000 inotify watches take a while to go).
      for (const m of [...MODES.slice(r % MODES.length), ...MODES.slice(0, r % MODES.length)]) {
        const res = await startOnce(m.key, dir);
        progress(`watch-start: ${m.key}, run ${r + 1}/${n}: ${fmtMs(res.ms)}, ${fmtInt(res.watched)} paths watched`);
        results.get(m.key).push(res);
      }
    }
  } finally {
    removeDir(dir);
  }
  const loadAfter = loadavg()[0];
  const sum = Object.fromEntries(
    MODES.map((m) => {
      const ok = results.get(m.key).filter((x) => x.ok);
      const ms = ok.map((x) => x.ms);
      return [m.key, { ms: median(ms), min: Math.min(...ms), max: Math.max(...ms), watched: median(ok.map((x) => x.watched)), errors: Math.max(0, ...ok.map((x) => x.errors)), ok: ok.length, runs: n }];
    }),
  );
  let text =
    `A project with ${fmtInt(PACKAGES * FILES_PER_PACKAGE)} files under \`node_modules\` (${PACKAGES} folders of ${FILES_PER_PACKAGE} empty files), ` +
    'a `src/` of 50 files in 5 folders and a `package.json`; the watch path is the project folder (a service\'s default). ' +
    'Each start runs in a fresh `node` process (`bench/fixtures/watch-once.mjs`): the time from the `watchFiles(...)` call ' +
    "(for chokidar: from its import) to chokidar's `ready`, loading chokidar included; \"paths watched\" counts the folders " +
    `and entries chokidar holds (\`getWatched()\`). chokidar ${packageVersion('chokidar') ?? '?'}, native events (inotify). ` +
    `Median of ${n} runs, the three alternating run by run (their order rotated each run); 1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.\n\n`;
  text += table(
    ['watcher', 'call → ready (median)', 'min – max', 'paths watched', 'errors', 'ok runs'],
    MODES.map((m) => {
      const s = sum[m.key];
      return [m.label, fmtMs(s.ms), `${fmtMs(s.min)} – ${fmtMs(s.max)}`, fmtInt(s.watched), String(s.errors), `${s.ok}/${s.runs}`];
    }),
  );
  text += '\n';
  const s = sum.msdev;
  const targets = [
    {
      name: 'watching starts in under 1 s with 50,000 files in ignored folders (issue 11)',
      met: s.ok === 0 ? false : s.ms < TARGET_MS,
      figures: `${fmtMs(s.ms)}, ${fmtInt(s.watched)} paths watched (chokidar scanning everything: ${fmtMs(sum.naive.ms)}, ${fmtX(sum.naive.ms / s.ms)} slower, ${fmtInt(sum.naive.watched)} paths)`,
    },
  ];
  return { title: 'Hot reload: watcher start-up with 50,000 files in node_modules', text, targets, data: { sum } };
}

if (isMain(import.meta.url)) await runAlone(watchStart);
