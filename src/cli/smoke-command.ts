// `msdev smoke`: start, wait until ready, hold a settle window, print a table, stop; exit 0 when everything got ready and stayed up.
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatSmokeTable } from '../frontends/ci/readiness-report.js';
import { junitXml } from '../frontends/ci/junit-report.js';
import type { GlobalOptions } from './options.js';
import { collectReports, failureText, settle, startAndWait, type ReadyWait, type SettleOutcome } from './readiness.js';
import { INTERRUPTED_EXIT } from './run-session.js';

/** Options of `msdev smoke`. */
export interface SmokeOptions {
  readonly services: readonly string[];
  readonly timeoutMs: number;
  /** How long after ready a crash still fails the smoke (0: no window; a crash before ready always fails it). */
  readonly settleMs: number;
  readonly junit?: string;
  readonly json: boolean;
  readonly raw: boolean;
  readonly logs: boolean;
}

/**
 * Runs `msdev smoke`; resolves with 0 when every service got ready and none crashed or restarted
 * (before ready or during the settle window), 1 otherwise, 130 when interrupted.
 */
export async function smokeCommand(opts: GlobalOptions, smoke: SmokeOptions): Promise<number> {
  const waited = await startAndWait(opts, smoke);
  if (typeof waited === 'number') return waited;
  const { session, startedAt, crashes, interrupted } = waited;
  const { stack, config } = session;
  let outcome: ReadyWait | SettleOutcome = waited.outcome;
  let settleStart: number | null = null;
  if (outcome === 'ready') {
    settleStart = Date.now();
    outcome = await settle(crashes, smoke.settleMs, interrupted);
  }
  crashes.stop();
  const reports = collectReports(await stack.snapshot(), startedAt, crashes, settleStart);
  const totalMs = Date.now() - startedAt;
  const failed = reports.some((r) => r.problem !== null);
  const code = outcome === 'interrupted' ? INTERRUPTED_EXIT : outcome === 'ready' && !failed ? 0 : 1;
  await session.finish(code);
  if (!smoke.json) process.stdout.write(formatSmokeTable(reports));
  const crashed = outcome !== 'failed' && outcome !== 'timeout' && crashes.any();
  if (code === 1) process.stderr.write(failureText(reports, outcome === 'timeout', smoke.timeoutMs, crashed));
  if (smoke.junit) writeFileSync(resolve(opts.cwd, smoke.junit), junitXml(config.name, reports, totalMs));
  return code;
}

/** Why `--junit PATH` cannot be written, checked before anything starts; null when it can. */
export function junitPathProblem(cwd: string, path: string): string | null {
  if (path.trim() === '') return '--junit needs a file name, e.g. --junit smoke.xml';
  const file = resolve(cwd, path);
  const dir = dirname(file);
  try {
    if (statSync(file).isDirectory()) return `--junit ${path}: is a directory; name a file inside it, e.g. ${path.replace(/\/+$/, '')}/smoke.xml`;
    accessSync(file, constants.W_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return `--junit ${path}: not writable`;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return `--junit ${path}: ${(err as Error).message}`;
  }
  try {
    if (!statSync(dir).isDirectory()) return `--junit ${path}: ${dirname(path)} is not a folder`;
    accessSync(dir, constants.W_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `--junit ${path}: the folder ${dirname(path)} does not exist; create it first`;
    if (code === 'EACCES' || code === 'EPERM') return `--junit ${path}: the folder ${dirname(path)} is not writable`;
    return `--junit ${path}: ${(err as Error).message}`;
  }
}
