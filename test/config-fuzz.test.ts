// Property-based fuzz test of the config pipeline (issue 6): thousands of generated and mutated
// services.yaml files, each through the code `msdev validate` runs. Every case must end in exit 0
// with the success line, or exit 2 with `file:line:col: ` on every line of the error output; never
// another exit code, an exception, a stack trace, a polluted Object.prototype, or a slow case.
//   FUZZ_SEED=N      seed (default fixed)          FUZZ_CASES=N   how many (default 10000)
//   FUZZ_ONLY=I      only case I (rerun a failure) FUZZ_CASE_MS=N per-case bound (default 2000)
//   FUZZ_COLLECT=1   run all, group the failures into classes, write them to FUZZ_OUT (default: a temp folder)
// A sample of cases also goes through the real CLI (bin/msdev.js; needs `npm run build`).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkResult, prototypeFingerprint, runCase, unwriteCase, writeCase, type CaseResult } from './fuzz/check-case.js';
import { generateCase, type FuzzCase } from './fuzz/config-gen.js';
import { addToClasses, describeFailure, saveFailure, writeClasses, type Failure, type FailureClass } from './fuzz/failures.js';
import { seedFromEnv } from './fuzz/prng.js';
import { loadSeeds } from './fuzz/seeds.js';
import { RunStats } from './fuzz/stats.js';

const SEED = seedFromEnv(process.env.FUZZ_SEED);
const CASES = Number(process.env.FUZZ_CASES || 10_000);
const ONLY = process.env.FUZZ_ONLY ? Number(process.env.FUZZ_ONLY) : null;
const BOUND_MS = Number(process.env.FUZZ_CASE_MS || 2000);
const COLLECT = process.env.FUZZ_COLLECT === '1';
const CLI_SAMPLE = 30;
const MSDEV = fileURLToPath(new URL('../bin/msdev.js', import.meta.url));
const seeds = loadSeeds();
const work = mkdtempSync(join(tmpdir(), 'msdev-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes, runs and checks one case in the shared folder; a case slow by less than 5× the bound is timed again once before it counts (the machine may just be busy). */
async function runAndCheck(c: FuzzCase): Promise<{ result: CaseResult; failure: Failure | null }> {
  const before = prototypeFingerprint();
  const paths = writeCase(c, work);
  try {
    let result = await runCase(c, work);
    let violations = checkResult(c, result, work, BOUND_MS);
    if (violations.length === 1 && violations[0]!.rule === 'slow' && result.ms < 5 * BOUND_MS) {
      result = await runCase(c, work);
      violations = checkResult(c, result, work, BOUND_MS);
    }
    const after = prototypeFingerprint();
    if (after !== before) violations = [...violations, { rule: 'pollution', detail: `Object.prototype changed: ${after}` }];
    return { result, failure: violations.length ? { c, result, violations } : null };
  } finally {
    unwriteCase(paths);
  }
}

/** Runs `msdev validate` (the built CLI) in the case's folder. */
function runCli(c: FuzzCase, dir: string): Promise<Omit<CaseResult, 'ms'>> {
  const args = [MSDEV, 'validate', ...c.profiles.flatMap((p) => ['--profile', p])];
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' };
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: join(dir, c.cwd), env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('config pipeline fuzz', () => {
  const count = ONLY === null ? CASES : 1;
  it(`${count} generated configs: exit 0 with the success line, or exit 2 with file:line:col on every line`, { timeout: 900_000 }, async () => {
    const classes = new Map<string, FailureClass>();
    const stats = new RunStats();
    const indices = ONLY === null ? Array.from({ length: CASES }, (_, i) => i) : [ONLY];
    for (const i of indices) {
      const c = generateCase(SEED, i, seeds);
      const started = performance.now();
      const { result, failure } = await runAndCheck(c);
      stats.add(c, result, performance.now() - started, failure !== null);
      if (ONLY !== null) console.log(describeFailure({ c, result, violations: failure?.violations ?? [] }, SEED, null));
      if (failure && !COLLECT) {
        const saved = saveFailure(failure, mkdtempSync(join(tmpdir(), `msdev-fuzz-failure-${SEED}-${i}-`)), SEED);
        expect.fail(describeFailure(failure, SEED, saved));
      }
      if (failure) addToClasses(classes, failure);
    }
    console.log(stats.summary(SEED));
    if (classes.size > 0) {
      const out = process.env.FUZZ_OUT || mkdtempSync(join(tmpdir(), `msdev-fuzz-classes-${SEED}-`));
      writeClasses(classes, out, SEED, indices.length);
      const failing = [...classes.values()].reduce((s, cls) => s + cls.count, 0);
      const list = [...classes.values()].sort((a, b) => b.count - a.count).map((cls) => `  ${cls.count} × ${cls.key}`);
      expect.fail(`${failing} failing cases in ${classes.size} classes; the smallest case of each, and how to rerun it, in ${out}/summary.md\n${list.join('\n')}`);
    }
  });

  it(`the real CLI gives the same exit code and output as the in-process run (${CLI_SAMPLE} cases)`, { timeout: 300_000 }, async () => {
    const step = Math.max(1, Math.floor(CASES / CLI_SAMPLE));
    const sample: FuzzCase[] = [];
    for (let i = 0; sample.length < CLI_SAMPLE; i += step) {
      const c = generateCase(SEED, i % CASES + Math.floor(i / CASES), seeds);
      if (!c.kind.includes('(big)')) sample.push(c);
    }
    const seen = new Set<number | string>();
    for (const c of sample) {
      const dir = mkdtempSync(join(work, 'cli-'));
      try {
        writeCase(c, dir);
        const inProcess = await runCase(c, dir);
        const cli = await runCli(c, dir);
        const where = `fuzz case ${c.index} of seed ${SEED} (${c.kind}); services.yaml: ${JSON.stringify(c.text.slice(0, 2000))}`;
        expect({ code: cli.code, stdout: cli.stdout, stderr: cli.stderr }, where).toEqual({ code: inProcess.code, stdout: inProcess.stdout, stderr: inProcess.stderr });
        seen.add(cli.code);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    expect([...seen], 'the sample covers valid and invalid configs').toEqual(expect.arrayContaining([0, 2]));
  });
});
