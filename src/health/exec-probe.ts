// The `exec:` probe: a shell command that exits 0 when healthy; nothing it starts outlives it.
import { lastLine } from '../core/last-line.js';
import { ProcessTable } from '../process/process-group.js';
import type { ProbeOptions, ProbeResult } from './probe.js';
import { describeError, guardProbe } from './probe-guard.js';

/** How much of the command's output is kept to find its last line. */
const TAIL_CHARS = 4096;
/** After the shell exits, how long to wait for its output pipes to close (a background child may hold them). */
const CLOSE_GRACE_MS = 100;
/** After SIGKILL, how long to wait for the exit to be reported and leftovers swept before giving up waiting. */
const KILL_WAIT_MS = 2000;

/** The table of exec probes run without one of their own (ProbeOptions.processes); it holds nothing between probes. */
let defaultTable: ProcessTable | undefined;

/**
 * Runs command through `sh -c` in its own session and process group, marked like a service's
 * processes: exit 0 is ok; otherwise the reason names the exit code (or signal) and the last line of
 * its output. After every probe, whatever way it ended, everything it started is SIGKILLed (its group,
 * its session, whatever carries its mark), and the result waits until the shell is gone. Never rejects.
 */
export function execProbe(command: string, options: ProbeOptions): Promise<ProbeResult> {
  return guardProbe(options, (finish) => {
    const table = options.processes ?? (defaultTable ??= new ProcessTable());
    const group = table.spawn('sh', ['-c', command], { cwd: options.cwd, env: options.env ?? process.env, shortLived: true });
    const child = group.child;
    let tail = '';
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let grace: NodeJS.Timeout | undefined;

    const collect = (chunk: string): void => {
      tail = (tail + chunk).slice(-TAIL_CHARS);
    };
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', collect);
      stream.on('error', () => undefined);
    }
    const report = (): void => {
      if (!exit) return;
      finish(exit.code === 0 ? { ok: true } : { ok: false, reason: failureReason(exit, tail) });
    };

    child.on('error', (err) => finish({ ok: false, reason: `cannot run probe: ${describeError(err)}` }));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      grace = setTimeout(report, CLOSE_GRACE_MS);
    });
    child.on('close', report);

    return async () => {
      clearTimeout(grace);
      child.stdout.destroy();
      child.stderr.destroy();
      // Whatever it started goes, even what no longer holds its output (`sleep 9 >/dev/null &`); the result
      // waits until the shell is gone and the leftovers with it (or KILL_WAIT_MS).
      group.kill();
      await Promise.race([group.settle(), delay(KILL_WAIT_MS)]);
    };
  });
}

/** Why a command failed: exit code or signal, then its last non-empty output line. */
function failureReason(exit: { code: number | null; signal: NodeJS.Signals | null }, output: string): string {
  const how = exit.code !== null ? `exit code ${exit.code}` : `killed by ${exit.signal ?? 'signal'}`;
  const line = lastLine(output);
  return line ? `${how}: ${line}` : how;
}

/** Resolves after ms (unref'd: never keeps msdev alive). */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
