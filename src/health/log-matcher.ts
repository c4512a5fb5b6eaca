// Matches a `log:` health check's regular expression against output lines in bounded time.
import { setFlagsFromString } from 'node:v8';
import { Script, createContext, type Context } from 'node:vm';

/** A log check looks at this many characters of each line at most (a longer line is matched as if cut there). */
export const MAX_MATCHED_CHARS = 64 * 1024;

/** The time a pattern V8 cannot run in linear time may take over one batch of lines before the check gives up. */
export const MATCH_BUDGET_MS = 100;

/** What matching a batch of lines found. */
export type MatchResult = 'match' | 'none' | 'too-slow';

/** A compiled log pattern. */
export interface LogMatcher {
  /** Whether the pattern runs with V8's linear-time fallback (else: under a time budget). */
  readonly linear: boolean;
  /** Whether one of the lines matches; 'too-slow' when the pattern used up MATCH_BUDGET_MS on them. */
  test(lines: readonly string[]): MatchResult;
}

let linearEngine: boolean | null = null;

/**
 * Turns on V8's fall-back from backtracking to its linear-time engine after too many backtracks
 * (patterns it can run: no backreferences, lookarounds or large counts), and its `l` flag, used to
 * ask whether it can. Ordinary patterns keep the backtracking engine's speed (measured: same ns/line).
 * Set at run time before the first pattern is compiled; true when this V8 has the engine.
 */
function enableLinearEngine(): boolean {
  if (linearEngine !== null) return linearEngine;
  try {
    setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
    setFlagsFromString('--enable-experimental-regexp-engine');
    new RegExp('a', 'l');
    linearEngine = true;
  } catch {
    linearEngine = false;
  }
  return linearEngine;
}

/** Whether V8's linear-time engine can run this pattern (and so takes over when it backtracks too much). */
function runsInLinearTime(pattern: string): boolean {
  if (!enableLinearEngine()) return false;
  try {
    new RegExp(pattern, 'l');
    return true;
  } catch {
    return false;
  }
}

/** The line as the matcher sees it: at most MAX_MATCHED_CHARS. */
function bounded(line: string): string {
  return line.length > MAX_MATCHED_CHARS ? line.slice(0, MAX_MATCHED_CHARS) : line;
}

let boundedLoop: Script | null = null;

/** The loop run inside the time-bounded context: the index of the first matching line, or -1. */
function loopScript(): Script {
  boundedLoop ??= new Script('{ let hit = -1; for (let i = 0; i < lines.length; i++) if (re.test(lines[i])) { hit = i; break; } hit; }');
  return boundedLoop;
}

/**
 * Compiles a log pattern (throws a SyntaxError when it is not one). Patterns V8's linear engine can run
 * are matched directly (its fall-back bounds them); the others (backreferences, lookarounds, large
 * counts) run in a vm context with a timeout, which interrupts even a regular expression.
 */
export function createLogMatcher(pattern: string): LogMatcher {
  const linear = runsInLinearTime(pattern);
  const re = new RegExp(pattern);
  if (linear) {
    return {
      linear,
      test(lines) {
        for (const line of lines) if (re.test(bounded(line))) return 'match';
        return 'none';
      },
    };
  }
  let context: Context | null = null;
  return {
    linear,
    test(lines) {
      context ??= createContext({ re, lines: [] as string[] });
      context.lines = lines.map(bounded);
      try {
        return (loopScript().runInContext(context, { timeout: MATCH_BUDGET_MS }) as number) >= 0 ? 'match' : 'none';
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'too-slow';
        throw err;
      } finally {
        context.lines = [];
      }
    },
  };
}
