// Runs every benchmark, prints the tables, and writes bench/RESULTS.md. `npm run bench` builds first.
// BENCH_RUNS=N overrides every repetition count; BENCH_ONLY and BENCH_OUT below pick benchmarks and the output file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, machine, progress, renderSection, renderTargets, ROOT } from './lib/env.mjs';
import { installCleanupHandlers } from './lib/proc.mjs';
import { joinResults, mergeResults, parseResults, renderMarkedTargets } from './lib/results-file.mjs';
import { containerStart } from './container-start.mjs';
import { controlClient } from './control-client.mjs';
import { healthStart } from './health-start.mjs';
import { logThroughput } from './log-throughput.mjs';
import { pipeThroughput } from './pipe-throughput.mjs';
import { reloadLatency } from './reload-latency.mjs';
import { scale } from './scale.mjs';
import { shutdown } from './shutdown.mjs';
import { startup } from './startup.mjs';
import { tui } from './tui.mjs';
import { watchStart } from './watch-start.mjs';

installCleanupHandlers();
ensureBuilt();
const started = performance.now();
const m = machine();
const sections = [];
// BENCH_ONLY=scale,startup runs only the named benchmarks (function names: logThroughput, pipeThroughput, startup,
// shutdown, healthStart, scale, tui, controlClient, watchStart, reloadLatency, containerStart) and replaces only their sections and targets in RESULTS.md, keeping the rest.
const all = [logThroughput, pipeThroughput, startup, shutdown, healthStart, scale, tui, controlClient, watchStart, reloadLatency, containerStart];
const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim()).filter(Boolean);
const unknown = only?.filter((name) => !all.some((b) => b.name === name)) ?? [];
if (unknown.length) {
  progress(`BENCH_ONLY: no benchmark named ${unknown.join(', ')} (known: ${all.map((b) => b.name).join(', ')})`);
  process.exit(2);
}
const benches = all.filter((b) => !only || only.includes(b.name));
for (const bench of benches) {
  try {
    const result = await bench();
    result.bench = bench.name;
    sections.push(result);
    process.stdout.write(`\n${renderSection(result)}\n`);
  } catch (err) {
    const text = `This benchmark failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`;
    progress(text);
    sections.push({ bench: bench.name, title: bench.name, text: '```\n' + text + '\n```', targets: [] });
  }
}
const minutes = (performance.now() - started) / 60_000;
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const runsText = process.env.BENCH_RUNS
  ? `BENCH_RUNS=${process.env.BENCH_RUNS} for every measurement`
  : 'the defaults (5 per tool, 20 for the CLI start-up commands; pipe throughput: slow reader 3; scale: validate 5 / 3 / 1 for 100 / 1,000 / 10,000 services, up 3 / 2 for 100 / 1,000; reload latency: 20 changes per tool; container start-up: 5 per tool after a warm-up round)';
const header =
  `# msdev benchmarks\n\n` +
  `Written by \`npm run bench\` (\`bench/run.mjs\`); see \`bench/README.md\`. Every figure is the median of the runs ` +
  `given per table, the tools alternating run by run on the same machine in one session.\n\n` +
  `- Date: ${date} (the whole suite took ${minutes.toFixed(1)} min)\n` +
  `- Machine: ${m.cpus} CPUs, ${m.model}, ${m.memGb.toFixed(1)} GB RAM, ${m.os}\n` +
  `- Node ${m.node}; msdev ${m.msdev} (built from this checkout); concurrently ${m.concurrently ?? 'not installed'}\n` +
  `- Runs: ${runsText}\n`;
const fresh = sections.map((s) => ({
  bench: s.bench,
  targets: renderMarkedTargets(s.bench, s.targets),
  section: { title: s.title, text: renderSection(s) },
}));
const parts = { header, targets: fresh.flatMap((f) => f.targets.map((line) => ({ bench: f.bench, line }))), sections: fresh.map((f) => ({ bench: f.bench, ...f.section })) };
// BENCH_OUT=FILE writes the results of this run alone there (e.g. to check the harness without touching RESULTS.md).
// Otherwise a BENCH_ONLY run replaces its own sections and targets in the existing RESULTS.md; a full run rewrites it.
const resultsFile = join(ROOT, 'bench', 'RESULTS.md');
const outFile = process.env.BENCH_OUT || resultsFile;
let md;
if (only && !process.env.BENCH_OUT && existsSync(resultsFile)) {
  const note =
    `- Re-measured alone (BENCH_ONLY=${only.join(',')}): ${date}, ${minutes.toFixed(1)} min, ` +
    `Node ${m.node}, ${m.cpus} CPUs, runs: ${process.env.BENCH_RUNS ? `BENCH_RUNS=${process.env.BENCH_RUNS}` : 'the defaults'} (the rest of this file is from the date above)`;
  md = joinResults(mergeResults(parseResults(readFileSync(resultsFile, 'utf8')), fresh, all.map((b) => b.name), note));
} else {
  md = joinResults(parts);
}
writeFileSync(outFile, md);
const targets = sections.flatMap((s) => s.targets ?? []);
process.stdout.write(`\n## Targets\n\n${renderTargets(targets)}\n\nWrote ${outFile} (${minutes.toFixed(1)} min).\n`);
