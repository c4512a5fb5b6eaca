// The probe contract and the factory that turns a resolved healthcheck into a runnable probe.
import type { HealthcheckSpec } from '../config/model.js';
import type { ProcessTable } from '../process/process-group.js';
import { execProbe } from './exec-probe.js';
import { httpProbe } from './http-probe.js';
import { describeError } from './probe-guard.js';
import { tcpProbe } from './tcp-probe.js';

/** The outcome of one probe: ok, or a short human-readable reason why not. */
export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** Options of one probe run. */
export interface ProbeOptions {
  /** The probe fails with `timed out after N ms` when it takes longer. */
  timeoutMs: number;
  /** Aborting fails the probe with `aborted` and releases everything it holds. */
  signal?: AbortSignal;
  /** Working directory of an exec probe (default: msdev's own). */
  cwd?: string;
  /** Full environment of an exec probe (default: msdev's own). */
  env?: NodeJS.ProcessEnv;
  /** The table that keeps an exec probe's processes until they are gone (default: one shared by all exec probes). */
  processes?: ProcessTable;
}

/** A probe of one kind: checks target once; never rejects, never throws. */
export type ProbeFn = (target: string, options: ProbeOptions) => Promise<ProbeResult>;

/** A probe bound to its target and options; runs one check per call; never rejects. */
export type BoundProbe = (signal?: AbortSignal) => Promise<ProbeResult>;

/** What createProbe needs besides the spec. */
export interface ProbeContext {
  /** Working directory for exec probes. */
  cwd: string;
  /** Full environment for exec probes (msdev's environment with the service's env laid on top). */
  env: NodeJS.ProcessEnv;
  /** Runs exec probes instead of a local `sh -c` (the container runtime runs them inside the container). */
  execRunner?: ProbeFn;
  /** The table for local exec probes' processes (see ProbeOptions.processes). */
  processes?: ProcessTable;
}

/** Turns a healthcheck into a probe; null for `log` checks, which are fed lines instead. */
export function createProbe(spec: HealthcheckSpec, ctx: ProbeContext): BoundProbe | null {
  const run = pickRunner(spec.kind, ctx);
  if (!run) return null;
  return (signal) =>
    neverReject(() =>
      run(spec.target, { timeoutMs: spec.timeoutMs, signal, cwd: ctx.cwd, env: ctx.env, ...(ctx.processes ? { processes: ctx.processes } : {}) }),
    );
}

/** The probe function for a kind of check. */
function pickRunner(kind: HealthcheckSpec['kind'], ctx: ProbeContext): ProbeFn | null {
  switch (kind) {
    case 'http':
      return httpProbe;
    case 'tcp':
      return tcpProbe;
    case 'exec':
      return ctx.execRunner ?? execProbe;
    case 'log':
      return null;
  }
}

/** Guards a probe call (a plugged-in runner included) so that it never throws or rejects. */
async function neverReject(call: () => Promise<ProbeResult>): Promise<ProbeResult> {
  try {
    return await call();
  } catch (err) {
    return { ok: false, reason: describeError(err) };
  }
}
