// `msdev run [SERVICE...] -- CMD...`: start, wait until ready, run CMD against the stack, stop, exit with CMD's code.
import { registryEnv } from '../config/registry.js';
import { ProcessTable } from '../process/process-group.js';
import { formatMs } from '../frontends/ci/readiness-report.js';
import type { GlobalOptions } from './options.js';
import { collectReports, failureText, startAndWait } from './readiness.js';
import { INTERRUPTED_EXIT } from './run-session.js';
import { constants } from 'node:os';

/** Options of `msdev run`. */
export interface RunCommandOptions {
  readonly services: readonly string[];
  readonly command: readonly string[];
  readonly timeoutMs: number;
  readonly json: boolean;
  readonly raw: boolean;
  /** Show the services' log lines while CMD runs (they are always in .msdev/logs). */
  readonly logs: boolean;
}

/** How long CMD gets after a forwarded signal before it is killed. */
const CMD_STOP_TIMEOUT_MS = 10_000;

/** Runs `msdev run`; resolves with CMD's exit code, 1 when the services never got ready, 130 when interrupted. */
export async function runCommand(opts: GlobalOptions, run: RunCommandOptions): Promise<number> {
  const waited = await startAndWait(opts, run);
  if (typeof waited === 'number') return waited;
  const { session, outcome, startedAt, interrupted } = waited;
  const { stack, config } = session;
  if (outcome === 'interrupted') return session.finish(INTERRUPTED_EXIT);
  if (outcome !== 'ready') {
    const reports = collectReports(await stack.snapshot(), startedAt);
    await session.finish(1);
    process.stderr.write(failureText(reports, outcome === 'timeout', run.timeoutMs));
    return 1;
  }
  if (!opts.quiet && !run.json) process.stderr.write(`msdev: ready in ${formatMs(Date.now() - startedAt)}; running ${run.command.join(' ')}\n`);
  const code = await runChild(run.command, { ...process.env, ...registryEnv(config) }, interrupted);
  return session.finish(code);
}

/**
 * Runs CMD in its own session and process group with the terminal's stdio (and a mark, like every process
 * msdev starts); forwards Ctrl-C/SIGTERM as SIGTERM to all of it, SIGKILL after CMD_STOP_TIMEOUT_MS;
 * resolves with its exit code once nothing it started is left. If msdev exits first, all of it is killed.
 */
async function runChild(command: readonly string[], env: NodeJS.ProcessEnv, interrupted: Promise<void>): Promise<number> {
  const table = new ProcessTable();
  try {
    const [file, ...args] = command;
    const group = table.spawnInTerminal(file!, args, { env });
    let wasInterrupted = false;
    void interrupted.then(() => {
      wasInterrupted = true;
      void group.terminate('SIGTERM', CMD_STOP_TIMEOUT_MS);
    });
    const code = await new Promise<number>((resolve) => {
      group.child.once('error', (err: NodeJS.ErrnoException) => {
        process.stderr.write(`msdev: could not run ${file}: ${err.code === 'ENOENT' ? 'command not found' : err.message}\n`);
        resolve(127);
      });
      group.child.once('exit', (code, signal) => {
        if (wasInterrupted) resolve(INTERRUPTED_EXIT);
        else if (code !== null) resolve(code);
        else resolve(128 + (signal ? (constants.signals[signal] ?? 0) : 0));
      });
    });
    // Whatever CMD left (its group, its session, what carries its mark) goes with it.
    await group.settle();
    return code;
  } finally {
    table.dispose();
  }
}
