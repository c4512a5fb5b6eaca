// Log throughput: services writing numbered ~100-byte lines as fast as they can, through each tool, into
// a file. Measures wall time, lines/s, peak RSS, and lines lost. Run alone: `node bench/log-throughput.mjs`.
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { countSpew } from './lib/count.mjs';
import { CONCURRENTLY, FIXTURES, isMain, MSDEV, NODE, progress, removeDir, runAlone, runs, tempDir, toolEnv } from './lib/env.mjs';
import { alive, cleanupAll, forgetDead, killGroup, RssSampler, spawnTool, withTimeout } from './lib/proc.mjs';
import { makeProject, shq } from './lib/project.mjs';
import { fmtInt, fmtMb, fmtMs, fmtRate, fmtX, max, median, table } from './lib/stats.mjs';

const SPEW = join(FIXTURES, 'spew.mjs');
const RUN_TIMEOUT_MS = 180_000;
const LOG_KEEP = 3; // SPEC §5: SERVICE.log rotated at 10 MB, 3 kept

/** The tools compared in a scenario of `ids` services × `perId` lines each. */
export function toolsFor(ids, perId) {
  const spewCmd = (id) => `${shq(NODE)} ${shq(SPEW)} ${perId} ${id}`;
  const spewShown = (id) => `node bench/fixtures/spew.mjs ${perId} ${id}`;
  const idList = Array.from({ length: ids }, (_, i) => i);
  const rawScript = ids === 1 ? spewCmd(0) : `${idList.map((i) => `${spewCmd(i)} &`).join(' ')} wait`;
  const rawShown = ids === 1 ? spewShown(0) : `${idList.map((i) => `${spewShown(i)} &`).join(' ')} wait`;
  const services = Object.fromEntries(idList.map((i) => [ids === 1 ? 'gen' : `s${i}`, { command: spewCmd(i), restart: 'no' }]));
  const servicesShown = Object.fromEntries(idList.map((i) => [ids === 1 ? 'gen' : `s${i}`, { command: spewShown(i), restart: 'no' }]));
  return [
    {
      key: 'raw',
      label: 'raw pipe (sh)',
      file: 'sh',
      args: ['-c', rawScript],
      shown: `sh -c ${shq(rawShown)} > out.txt`,
    },
    {
      key: 'conc-raw',
      label: 'concurrently --raw',
      file: CONCURRENTLY,
      args: ['--raw', ...idList.map(spewCmd)],
      shown: `node_modules/.bin/concurrently --raw ${idList.map((i) => shq(spewShown(i))).join(' ')} > out.txt`,
    },
    {
      key: 'conc',
      label: 'concurrently (prefixed)',
      file: CONCURRENTLY,
      args: idList.map(spewCmd),
      shown: `node_modules/.bin/concurrently ${idList.map((i) => shq(spewShown(i))).join(' ')} > out.txt`,
    },
    {
      key: 'msdev',
      label: 'msdev up --no-tui',
      file: MSDEV,
      args: ['up', '--no-tui'],
      services,
      servicesShown,
      shown: `bin/msdev.js up --no-tui > out.txt   (in a folder holding the services.yaml below)`,
    },
  ];
}

/** One run of one tool: spawn it with stdout to a file, sample memory, wait, count lines. */
export async function runOnce(tool, scenario, work, r) {
  const outFile = join(work, `${tool.key}-${r}.out`);
  let project = null;
  let cwd = work;
  if (tool.services) {
    project = makeProject('log', tool.services, work);
    cwd = project.dir;
  }
  const fd = openSync(outFile, 'w');
  let t;
  try {
    t = spawnTool(tool.file, tool.args, { cwd, env: toolEnv(), stdio: ['ignore', fd, 'pipe'] });
  } finally {
    closeSync(fd);
  }
  const sampler = new RssSampler(t.pid, 50);
  let exit = null;
  let memory;
  let leftovers;
  try {
    exit = await withTimeout(t.exited, RUN_TIMEOUT_MS, null);
  } finally {
    memory = sampler.stop();
    if (exit === null) killGroup(t.pid);
    // Anything the tool left behind (it should leave nothing) is counted, then killed.
    leftovers = [...sampler.seen].filter(alive);
    cleanupAll();
    forgetDead();
  }
  const result = {
    wallMs: exit ? exit.ms : NaN,
    code: exit ? exit.code : 'timeout',
    ...memory,
    leftovers: leftovers.length,
    outBytes: statSync(outFile).size,
  };
  const counted = await countSpew([outFile], { ids: scenario.ids, perId: scenario.perId });
  rmSync(outFile, { force: true });
  result.lost = counted.lost;
  result.mangled = counted.mangled;
  result.duplicates = counted.duplicates;
  result.rate = exit ? counted.expected / (exit.ms / 1000) : NaN;
  if (project) {
    // SPEC §5: .msdev/logs/SERVICE.log is rotated at 10 MB with 3 kept, so only the newest ~40 MB stay:
    // count what is kept across all rotations, and gaps inside what was kept.
    const files = [];
    for (const name of Object.keys(tool.services)) {
      const base = join(project.dir, '.msdev', 'logs', `${name}.log`);
      for (let i = LOG_KEEP; i >= 1; i--) files.push(`${base}.${i}`);
      files.push(base);
    }
    const inLogs = await countSpew(files, { ids: scenario.ids, perId: scenario.perId });
    result.logKept = inLogs.distinct;
    result.logGaps = inLogs.perId.reduce((a, s) => a + s.gaps, 0);
    result.logNewest = inLogs.perId.every((s) => s.max === scenario.perId);
    result.logFiles = files.filter((f) => existsSync(f)).length;
    removeDir(project.dir);
  }
  if (result.code !== 0) progress(`  ${tool.label}: exit ${result.code}; stderr: ${t.stderr().slice(0, 500)}`);
  return result;
}

/** Runs a scenario: every tool `n` times, round-robin so drift hits all alike. */
async function runScenario(scenario, n) {
  const tools = toolsFor(scenario.ids, scenario.perId);
  const work = tempDir('log');
  const results = new Map(tools.map((t) => [t.key, []]));
  try {
    for (let r = 0; r < n; r++) {
      for (const tool of tools) {
        progress(`${scenario.name}: ${tool.label}, run ${r + 1}/${n}`);
        const res = await runOnce(tool, scenario, work, r);
        progress(
          `  ${fmtMs(res.wallMs)}, ${fmtRate(res.rate)}, own peak ${fmtMb(res.toolPeakMb)}, lost ${res.lost}` +
            (res.logKept !== undefined ? `, log files kept ${res.logKept} (gaps ${res.logGaps})` : ''),
        );
        results.get(tool.key).push(res);
      }
    }
  } finally {
    cleanupAll();
    removeDir(work);
  }
  return { tools, results };
}

/** The medians of a tool's runs. */
function summarize(list) {
  const pick = (k) => list.map((x) => x[k]);
  return {
    wallMs: median(pick('wallMs')),
    rate: median(pick('rate')),
    toolPeakMb: median(pick('toolPeakMb')),
    toolPeakMaxMb: max(pick('toolPeakMb')),
    treePeakMb: median(pick('treePeakMb')),
    toolCpuS: median(pick('toolCpuS')),
    lostMax: max(pick('lost')),
    mangledMax: max(pick('mangled')),
    dupMax: max(pick('duplicates')),
    leftoversMax: max(pick('leftovers')),
    failures: list.filter((x) => x.code !== 0).length,
    logKept: median(pick('logKept')),
    logGapsMax: max(pick('logGaps')),
    logNewest: list.every((x) => x.logNewest !== false),
    runs: list.length,
  };
}

/** Runs the log throughput benchmark; returns { title, text, targets, data }. */
export async function logThroughput() {
  const scenarios = [
    { key: 'single', name: '1 service × 1,000,000 lines', ids: 1, perId: 1_000_000, runs: runs(5) },
    { key: 'multi', name: '10 services × 100,000 lines', ids: 10, perId: 100_000, runs: runs(5) },
  ];
  let text =
    'Each service is `node bench/fixtures/spew.mjs COUNT ID`: COUNT numbered lines of 100 bytes (`spew:ID:SEQ:xxx…`), ' +
    'written in ~100 KB chunks honouring backpressure. stdout of the tool goes to a file (`> out.txt`), then the file is ' +
    'read back and every intact numbered line counted. Wall time = spawn of the tool until it exits (for msdev: ' +
    '`restart: "no"` services, so it exits by itself once all completed). "own peak RSS" is the tool process itself ' +
    '(msdev / concurrently / sh), max VmHWM sampled every 50 ms from /proc; "tree peak RSS" is the max over samples of ' +
    'the summed VmRSS of the tool and all its descendants (the services included). "CPU" is the tool process\'s own ' +
    'user+system time (last sample before exit). "fixed cost" is the median wall time of the same command with 1 line ' +
    'per service (start-up and exit of the tool and the services); "net lines/s" = lines / (wall − fixed cost), the ' +
    'rate of the log path alone. "lost" (worst run) counts numbered lines that did not arrive intact; "mangled" (worst ' +
    "run), those of them cut by another writer's text (a prefix or another service's output landing mid-line). With `--raw`, concurrently gives its " +
    'children its own stdout (stdio: inherit), so it is not in the data path at all.\n\n';
  const data = {};
  for (const sc of scenarios) {
    const fixedRun = await runScenario({ ...sc, name: `${sc.name} (fixed cost: 1 line each)`, perId: 1 }, sc.runs);
    const fixed = Object.fromEntries(fixedRun.tools.map((t) => [t.key, summarize(fixedRun.results.get(t.key))]));
    const { tools, results } = await runScenario(sc, sc.runs);
    const sum = Object.fromEntries(tools.map((t) => [t.key, summarize(results.get(t.key))]));
    for (const t of tools) {
      sum[t.key].fixedMs = fixed[t.key].wallMs;
      sum[t.key].netRate = (sc.ids * sc.perId) / ((sum[t.key].wallMs - fixed[t.key].wallMs) / 1000);
    }
    data[sc.key] = { scenario: sc, sum };
    const raw = sum.raw;
    const rows = tools.map((t) => {
      const s = sum[t.key];
      return [
        t.label,
        fmtMs(s.wallMs),
        fmtRate(s.rate),
        fmtX(s.rate / raw.rate),
        fmtMs(s.fixedMs),
        fmtRate(s.netRate),
        fmtMb(s.toolPeakMb),
        fmtMb(s.treePeakMb),
        Number.isFinite(s.toolCpuS) ? `${s.toolCpuS.toFixed(2)} s` : 'n/a',
        fmtInt(s.lostMax),
        fmtInt(s.mangledMax),
        s.failures > 0 ? `${s.failures} failed` : 'ok',
      ];
    });
    text += `### ${sc.name} (median of ${sc.runs} runs)\n\n`;
    text += table(['tool', 'wall', 'lines/s', 'vs raw', 'fixed cost', 'net lines/s', 'own peak RSS', 'tree peak RSS', 'own CPU', 'lost', 'mangled', 'exit'], rows);
    const m = sum.msdev;
    text +=
      `\n\nmsdev's \`.msdev/logs/\` files (all rotations): median ${fmtInt(m.logKept)} of ${fmtInt(sc.ids * sc.perId)} lines kept, ` +
      `${m.logNewest ? 'ending with the last line of every service' : 'NOT ending with the last line of every service'}, ` +
      `max ${fmtInt(m.logGapsMax)} missing inside what was kept` +
      ` (rotation at 10 MB × ${LOG_KEEP} kept + the current file, per SPEC §5, bounds what can be kept).\n\n`;
    text += 'Commands (paths relative to the repository root; the bench runs them with absolute paths):\n\n';
    for (const t of tools) text += `- ${t.label}: \`${t.shown}\`\n`;
    const shownYaml = Object.entries(tools.find((t) => t.key === 'msdev').servicesShown)
      .map(([name, s]) => `  ${name}: { command: ${JSON.stringify(s.command)}, restart: "no" }`)
      .join('\n');
    text += `\n\`\`\`yaml\n# services.yaml used by msdev\nservices:\n${shownYaml}\n\`\`\`\n\n`;
  }

  const single = data.single.sum;
  const multi = data.multi.sum;
  const ratioConc = single.msdev.rate / single.conc.rate;
  const ratioRaw = single.msdev.rate / single.raw.rate;
  const lost = Math.max(single.msdev.lostMax, multi.msdev.lostMax);
  const mangled = Math.max(single.msdev.mangledMax, multi.msdev.mangledMax);
  const logGaps = Math.max(single.msdev.logGapsMax, multi.msdev.logGapsMax);
  const rss = Math.max(single.msdev.toolPeakMaxMb, multi.msdev.toolPeakMaxMb);
  const targets = [
    {
      name: 'log throughput ≥ 2× concurrently (prefixed), in both workloads',
      met: ratioConc >= 2 && multi.msdev.rate / multi.conc.rate >= 2,
      figures:
        `1×1M: msdev ${fmtRate(single.msdev.rate)} vs concurrently ${fmtRate(single.conc.rate)} = ${fmtX(ratioConc)} ` +
        `(concurrently --raw: ${fmtRate(single['conc-raw'].rate)}); ` +
        `10×100k: msdev ${fmtRate(multi.msdev.rate)} vs concurrently ${fmtRate(multi.conc.rate)} = ${fmtX(multi.msdev.rate / multi.conc.rate)}. ` +
        `Note: 2× concurrently is ${fmtRate(2 * single.conc.rate)}, ${((200 * single.conc.rate) / single.raw.rate).toFixed(0)}% of the raw pipe's ` +
        `${fmtRate(single.raw.rate)} on this machine. Net of fixed costs (1×1M): msdev ${fmtRate(single.msdev.netRate)} vs concurrently ${fmtRate(single.conc.netRate)}`,
    },
    {
      name: 'log throughput ≥ 50% of the raw pipe, in both workloads',
      met: ratioRaw >= 0.5 && multi.msdev.rate / multi.raw.rate >= 0.5,
      figures:
        `1×1M: msdev ${fmtRate(single.msdev.rate)} vs raw ${fmtRate(single.raw.rate)} = ${(ratioRaw * 100).toFixed(0)}%; ` +
        `10×100k: ${fmtRate(multi.msdev.rate)} vs ${fmtRate(multi.raw.rate)} = ${((multi.msdev.rate / multi.raw.rate) * 100).toFixed(0)}%`,
    },
    {
      name: '0 lines lost',
      met: lost === 0 && mangled === 0 && logGaps === 0,
      figures: `stdout file: worst run lost ${fmtInt(lost)}, mangled ${fmtInt(mangled)}; log files: ${fmtInt(logGaps)} missing inside the kept window`,
    },
    {
      name: 'peak RSS < 150 MB (the msdev process itself)',
      met: rss < 150,
      figures: `worst run ${fmtMb(rss)} (medians: 1×1M ${fmtMb(single.msdev.toolPeakMb)}, 10×100k ${fmtMb(multi.msdev.toolPeakMb)}; concurrently prefixed 1×1M ${fmtMb(single.conc.toolPeakMb)})`,
    },
  ];
  return { title: 'Log throughput', text, targets, data };
}

if (isMain(import.meta.url)) await runAlone(logThroughput);
