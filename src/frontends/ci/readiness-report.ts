// What `run` and `smoke` print about services that did not get ready: state, reason, last log lines.
import type { ServiceView } from '../../core/control.js';

/** One service as the reports see it. */
export interface ServiceReport {
  readonly name: string;
  readonly state: string;
  /** Milliseconds from the start of the run until it was ready, or null. */
  readonly readyMs: number | null;
  readonly restarts: number;
  /** Why it is not ready, or null when it is. */
  readonly problem: string | null;
  /** Its last log lines (at most 20), oldest first. */
  readonly lastLines: readonly string[];
}

/** The first time a service crashed (exited and was restarted, or failed) during a smoke, and how often it did. */
export interface CrashRecord {
  /** When it exited (ms since the epoch). */
  readonly ts: number;
  readonly exitCode: number | null;
  /** The engine's reason of the crash (`exit code 1; restart 1 in 1s`, `killed by SIGKILL`). */
  readonly reason: string | null;
  /** How many crashes in all. */
  readonly count: number;
}

/** When a smoke's settle window began (every service ready), or null when it never did. */
export type SettleStart = number | null;

/**
 * Builds the report of one service from its view (state, readiness, last lines, probe failure). A crash
 * (any time during the smoke) makes it fail even when it is ready again: its state then reads `crashed`,
 * `failed` or `restarted` and the problem says when (`exited with code 1 during the settle window`).
 */
export function serviceReport(
  snap: ServiceView,
  runStartedAt: number,
  crash: CrashRecord | null = null,
  settleStart: SettleStart = null,
): ServiceReport {
  let problem: string | null = null;
  let state: string = snap.state;
  const ready = snap.ready;
  if (crash !== null) {
    state = snap.state === 'crashed' || snap.state === 'failed' ? snap.state : 'restarted';
    problem = `${state}: ${crashText(crash, snap.readyAt, settleStart)}`;
  } else if (!ready && !snap.userStopped) {
    // A service the user stopped is not a failure (SPEC §2).
    const why = snap.reason ?? snap.probeReason ?? notReadyWhy(snap.state);
    problem = `${snap.state}: ${why}`;
  }
  return {
    name: snap.name,
    state,
    readyMs: ready && snap.readyAt !== null ? snap.readyAt - runStartedAt : null,
    restarts: snap.restarts,
    problem,
    lastLines: snap.recent,
  };
}

/** `exited with code 1 during the settle window`, `killed by SIGKILL before it was ready (3 crashes)`. */
export function crashText(crash: CrashRecord, readyAt: number | null, settleStart: SettleStart): string {
  const what = crash.exitCode !== null ? `exited with code ${crash.exitCode}` : (crash.reason ?? 'exited').split(';')[0]!;
  const when =
    settleStart !== null && crash.ts >= settleStart ? 'during the settle window' : readyAt !== null && crash.ts >= readyAt ? 'after it was ready' : 'before it was ready';
  return `${what} ${when}${crash.count > 1 ? ` (${crash.count} crashes)` : ''}`;
}

/** A default reason for a state that has none of its own. */
function notReadyWhy(state: string): string {
  if (state === 'pending') return 'still waiting for its dependencies';
  if (state === 'running') return 'its health check has not passed yet';
  if (state === 'starting') return 'still starting';
  return 'not ready';
}

/** The failure report: for each service that is not ready, its state, the reason and its last log lines. */
export function formatFailures(reports: readonly ServiceReport[]): string {
  let out = '';
  for (const r of reports) {
    if (r.problem === null) continue;
    out += `\n✗ ${r.name}: ${r.problem}\n`;
    if (r.lastLines.length === 0) out += '  (no output)\n';
    else {
      out += `  last ${r.lastLines.length} log line${r.lastLines.length === 1 ? '' : 's'}:\n`;
      for (const line of r.lastLines) out += `  │ ${line}\n`;
    }
  }
  return out;
}

/** GitHub Actions annotations, one `::error title=msdev: SERVICE::reason` line per service not ready. */
export function githubAnnotations(reports: readonly ServiceReport[]): string {
  let out = '';
  for (const r of reports) {
    if (r.problem !== null) out += `::error title=msdev: ${escapeProperty(r.name)}::${escapeData(r.problem)}\n`;
  }
  return out;
}

/** Escapes a workflow command's message (GitHub's own rules). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The smoke table: service, state, time to ready, restarts. */
export function formatSmokeTable(reports: readonly ServiceReport[]): string {
  const rows = [['SERVICE', 'STATE', 'READY IN', 'RESTARTS'], ...reports.map((r) => [r.name, r.state, r.readyMs === null ? '-' : formatMs(r.readyMs), String(r.restarts)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** `812 ms`, `1.4 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
