// Where an error inside the TUI goes: `.msdev/tui-error.log`, since the screen it broke cannot show it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes an error of the TUI to `.msdev/tui-error.log` (best effort: the caller stops the stack either way). */
export function writeErrorLog(dir: string, err: unknown): void {
  try {
    mkdirSync(dir, { recursive: true });
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    writeFileSync(join(dir, 'tui-error.log'), `${new Date().toISOString()} ${text}\n`);
  } catch {
    // Nothing more to do: the stack is stopped all the same.
  }
}
