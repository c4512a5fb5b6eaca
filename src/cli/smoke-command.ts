// `msdev smoke`: start, wait until ready, print a table, stop; exit 0 when everything got ready.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatSmokeTable } from '../frontends/ci/readiness-report.js';
import { junitXml } from '../frontends/ci/junit-report.js';
import type { GlobalOptions } from './options.js';
import { collectReports, failureText, startAndWait } from './readiness.js';
import { INTERRUPTED_EXIT } from './run-session.js';

/** Options of `msdev smoke`. */
export interface SmokeOptions {
  readonly services: readonly string[];
  readonly timeoutMs: number;
  readonly junit?: string;
  readonly json: boolean;
  readonly raw: boolean;
  readonly logs: boolean;
}

/** Runs `msdev smoke`; resolves with 0 when every service got ready, 1 otherwise, 130 when interrupted. */
export async function smokeCommand(opts: GlobalOptions, smoke: SmokeOptions): Promise<number> {
  const waited = await startAndWait(opts, smoke);
  if (typeof waited === 'number') return waited;
  const { session, outcome, startedAt } = waited;
  const { engine, config } = session;
  const reports = collectReports(engine, startedAt);
  const totalMs = Date.now() - startedAt;
  const code = outcome === 'ready' ? 0 : outcome === 'interrupted' ? INTERRUPTED_EXIT : 1;
  await session.finish(code);
  if (!smoke.json) process.stdout.write(formatSmokeTable(reports));
  if (outcome === 'failed' || outcome === 'timeout') process.stderr.write(failureText(reports, outcome === 'timeout', smoke.timeoutMs));
  if (smoke.junit) writeFileSync(resolve(opts.cwd, smoke.junit), junitXml(config.name, reports, totalMs));
  return code;
}
