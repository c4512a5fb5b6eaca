// Paths, run counts, temp folders, the machine description, and the glue that lets each bench run alone.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { installCleanupHandlers } from './proc.mjs';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI's launcher (BENCH_MSDEV=PATH measures another build, e.g. a copy of an older one). */
export const MSDEV = process.env.BENCH_MSDEV || join(ROOT, 'bin', 'msdev.js');
/** concurrently's launcher (a devDependency). */
export const CONCURRENTLY = join(ROOT, 'node_modules', '.bin', 'concurrently');
/** The fixture scripts. */
export const FIXTURES = join(ROOT, 'bench', 'fixtures');
/** The node binary running the bench (used for every service so all tools run the same node). */
export const NODE = process.execPath;

/** The environment the tools run in: no forced colours, so every output is plain text. */
export function toolEnv() {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  env.NO_COLOR = '1';
  return env;
}

/** A path as shown in RESULTS.md: relative to the repository root. */
export function rel(p) {
  return relative(ROOT, p) || '.';
}

/**
 * How many runs to do: BENCH_RUNS overrides every default when set to a positive integer; otherwise
 * the bench's own default.
 */
export function runs(defaultRuns) {
  const n = Number(process.env.BENCH_RUNS);
  return Number.isInteger(n) && n > 0 ? n : defaultRuns;
}

/** A fresh temp folder under os.tmpdir(). */
export function tempDir(prefix) {
  return mkdtempSync(join(os.tmpdir(), `msdev-bench-${prefix}-`));
}

/** Removes a temp folder (never fails). */
export function removeDir(dir) {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // best effort
  }
}

/** The version of a package in node_modules, or null. */
export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** The machine, as printed at the top of RESULTS.md. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    concurrently: packageVersion('concurrently'),
    msdev: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
  };
}

/** Throws a clear error when the CLI is not built. */
export function ensureBuilt() {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('msdev is not built: run `npm run build` first (or `npm run bench`, which builds).');
  }
}

/** Progress messages go to stderr so that stdout holds only the tables. */
export function progress(text) {
  process.stderr.write(`[bench] ${text}\n`);
}

/** True when the module at url is the script node was started with. */
export function isMain(url) {
  return process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === url;
}

/**
 * Runs one bench module on its own: prints its tables and targets. bench is an async function
 * returning a section result ({ title, text, targets }).
 */
export async function runAlone(bench) {
  installCleanupHandlers();
  ensureBuilt();
  const result = await bench();
  process.stdout.write(`\n${renderSection(result)}\n`);
  if (result.targets?.length) process.stdout.write(`\n${renderTargets(result.targets)}\n`);
}

/** A section as markdown: `## title`, then its text. */
export function renderSection(result) {
  return `## ${result.title}\n\n${result.text.trim()}\n`;
}

/** The targets as a markdown list, each marked met / missed with its figures. */
export function renderTargets(targets) {
  return targets.map((t) => `- **${t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED'}** — ${t.name}: ${t.figures}`).join('\n');
}
