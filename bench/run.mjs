// Runs every benchmark, prints the tables, and writes bench/RESULTS.md. `npm run bench` builds first.
// BENCH_RUNS=N overrides every repetition count; BENCH_ONLY and BENCH_OUT below pick benchmarks and the output file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, machine, progress, renderSection, renderTargets, ROOT } from './lib/env.mjs';
import { installCleanupHandlers } from './lib/proc.mjs';
import { healthStart } from './health-start.mjs';
import { logThroughput } from './log-throughput.mjs';
import { scale } from './scale.mjs';
import { shutdown } from './shutdown.mjs';
import { startup } from './startup.mjs';

installCleanupHandlers();
ensureBuilt();
const started = performance.now();
const m = machine();
const sections = [];
// BENCH_ONLY=scale,startup runs only the named benchmarks (function names: logThroughput, startup, shutdown, healthStart, scale).
const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim());
const benches = [logThroughput, startup, shutdown, healthStart, scale].filter((b) => !only || only.includes(b.name));
for (const bench of benches) {
  try {
    const result = await bench();
    sections.push(result);
    process.stdout.write(`\n${renderSection(result)}\n`);
  } catch (err) {
    const text = `This benchmark failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`;
    progress(text);
    sections.push({ title: bench.name, text: '```\n' + text + '\n```', targets: [] });
  }
}
const targets = sections.flatMap((s) => s.targets ?? []);
const minutes = (performance.now() - started) / 60_000;
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const header =
  `# msdev benchmarks\n\n` +
  `Written by \`npm run bench\` (\`bench/run.mjs\`); see \`bench/README.md\`. Every figure is the median of the runs ` +
  `given per table, the tools alternating run by run on the same machine in one session.\n\n` +
  `- Date: ${date} (the whole suite took ${minutes.toFixed(1)} min)\n` +
  `- Machine: ${m.cpus} CPUs, ${m.model}, ${m.memGb.toFixed(1)} GB RAM, ${m.os}\n` +
  `- Node ${m.node}; msdev ${m.msdev} (built from this checkout); concurrently ${m.concurrently ?? 'not installed'}\n` +
  `- Runs: ${process.env.BENCH_RUNS ? `BENCH_RUNS=${process.env.BENCH_RUNS} for every measurement` : 'the defaults (5 per tool, 20 for the CLI start-up commands; scale: validate 5 / 3 / 1 for 100 / 1,000 / 10,000 services, up 3 / 2 for 100 / 1,000)'}\n\n`;
const targetText = `## Targets\n\n${renderTargets(targets)}\n`;
const md = `${header}${targetText}\n${sections.map(renderSection).join('\n')}`;
// BENCH_OUT=FILE writes the results there instead (e.g. to check the harness without touching RESULTS.md).
const outFile = process.env.BENCH_OUT || join(ROOT, 'bench', 'RESULTS.md');
writeFileSync(outFile, md);
process.stdout.write(`\n${targetText}\nWrote ${outFile} (${minutes.toFixed(1)} min).\n`);
