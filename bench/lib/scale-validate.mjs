// `msdev validate` on generated projects of 100 / 1,000 / 10,000 services, side by side with the floor
// (`node -e 0`), the YAML parse alone, and dclint's check of the same stack as a compose file.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MSDEV, NODE, progress, ROOT } from './env.mjs';
import { killGroup, spawnTool, withTimeout } from './proc.mjs';
import { composeYaml, mixYaml, sleepYaml, writeProject } from './scale-project.mjs';
import { median } from './stats.mjs';

/** The sizes measured. */
export const VALIDATE_SIZES = [100, 1_000, 10_000];
/** The shapes measured. */
export const SHAPES = ['sleep', 'mix'];
/** A run that takes longer is stopped and recorded as "over" this (BENCH_SCALE_TIMEOUT_S overrides). */
export const VALIDATE_TIMEOUT_MS = (Number(process.env.BENCH_SCALE_TIMEOUT_S) || 15) * 1000;

/** dclint's launcher: BENCH_DCLINT, else node_modules/.bin, else bench/.tmp/peers (see README), else null. */
export function dclintPath() {
  const candidates = [
    process.env.BENCH_DCLINT,
    join(ROOT, 'node_modules', '.bin', 'dclint'),
    join(ROOT, 'bench', '.tmp', 'peers', 'node_modules', '.bin', 'dclint'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

/** The yaml package msdev uses, as a URL for an `import()` in `node -e`. */
const YAML_MAIN = join(ROOT, 'node_modules', 'yaml', 'dist', 'index.js');

/** The commands compared for one project folder (holding services.yaml and compose.yaml). */
export function validateTools(dclint) {
  const tools = [
    { key: 'floor', label: 'node -e 0 (the floor)', command: () => ({ file: NODE, args: ['-e', '0'] }), shown: 'node -e 0' },
    {
      key: 'parse',
      label: 'YAML parse only',
      command: (dir) => ({
        file: NODE,
        args: ['-e', `require(${JSON.stringify(YAML_MAIN)}).parseDocument(require('fs').readFileSync(${JSON.stringify(join(dir, 'services.yaml'))}, 'utf8'), { uniqueKeys: false })`],
      }),
      shown: `node -e "require('yaml').parseDocument(fs.readFileSync('services.yaml', 'utf8'), { uniqueKeys: false })"   (the parser msdev uses, as msdev calls it: duplicate keys are left to msdev's own linear check, the library's is quadratic; nothing else; no code cache)`,
    },
    { key: 'msdev', label: 'msdev validate', command: (dir) => ({ file: MSDEV, args: ['validate', '-q'], cwd: dir }), shown: 'bin/msdev.js validate -q' },
  ];
  if (dclint) {
    tools.push({
      key: 'dclint',
      label: 'dclint -q (compose file)',
      command: (dir) => ({ file: dclint, args: ['-q', join(dir, 'compose.yaml')], cwd: dir }),
      shown: 'dclint -q compose.yaml   (the same stack as a compose file; -q: errors only, every rule still runs)',
    });
  }
  return tools;
}

/** Runs a command once, in its own process group, killed after timeoutMs; resolves with { ms, code, over }. */
async function timeOnce({ file, args, cwd }, timeoutMs) {
  const t = spawnTool(file, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const res = await withTimeout(t.exited, timeoutMs, null);
  if (res === null) {
    killGroup(t.pid);
    await withTimeout(t.exited, 5_000);
    return { ms: timeoutMs, code: null, over: true, stderr: '' };
  }
  return { ms: res.ms, code: res.code, over: false, stderr: t.stderr() };
}

/** How many runs a size gets: BENCH_RUNS, else 5 / 3 / 1. */
export function validateRuns(n, runs) {
  return runs(n >= 10_000 ? 1 : n >= 1_000 ? 3 : 5);
}

/**
 * Measures every shape × size × tool, tools alternating within each round; after a run over the time
 * limit that tool's remaining runs of the case are skipped. Returns rows { shape, n, key, label, median,
 * runs, over, failures }.
 */
export async function measureValidate(work, runs, tools) {
  const rows = [];
  for (const shape of SHAPES) {
    for (const n of VALIDATE_SIZES) {
      const yaml = shape === 'sleep' ? sleepYaml(n) : mixYaml(n);
      const dir = writeProject(work, `validate-${shape}-${n}`, 'services.yaml', yaml);
      writeFileSync(join(dir, 'compose.yaml'), composeYaml(shape, n));
      const count = validateRuns(n, runs);
      const acc = new Map(tools.map((t) => [t.key, { times: [], over: false, failures: 0 }]));
      // One warm-up run each (file cache, code cache), except at 10,000 where a run takes long enough.
      if (n < 10_000) {
        for (const tool of tools) if ((await timeOnce(tool.command(dir), VALIDATE_TIMEOUT_MS)).over) acc.get(tool.key).over = true;
      }
      for (let r = 0; r < count; r++) {
        for (const tool of tools) {
          const a = acc.get(tool.key);
          if (a.over) continue;
          const res = await timeOnce(tool.command(dir), VALIDATE_TIMEOUT_MS);
          if (res.over) {
            a.over = true;
            progress(`  validate ${shape} ${n}: ${tool.label} over ${VALIDATE_TIMEOUT_MS / 1000} s; its other runs skipped`);
            continue;
          }
          if (res.code !== 0) {
            a.failures++;
            if (a.failures === 1) progress(`  validate ${shape} ${n}: ${tool.label} exit ${res.code}: ${res.stderr.slice(0, 300)}`);
          }
          a.times.push(res.ms);
        }
        progress(`validate ${shape} ×${n}, run ${r + 1}/${count}: ${tools.map((t) => `${t.key} ${Math.round(acc.get(t.key).times.at(-1) ?? NaN)} ms`).join(', ')}`);
      }
      for (const tool of tools) {
        const a = acc.get(tool.key);
        rows.push({ shape, n, key: tool.key, label: tool.label, median: a.over ? NaN : median(a.times), over: a.over, runs: count, failures: a.failures });
      }
    }
  }
  return rows;
}
