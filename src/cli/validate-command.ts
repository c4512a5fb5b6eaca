// `msdev validate`: load and check the config file; print every problem with its position.
import { formatConfigError } from '../config/format-error.js';
import { loadConfigWithSource, type LoadedConfig } from '../config/load.js';
import { configNotes } from './config-notes.js';
import type { GlobalOptions } from './options.js';

/** Where a command writes; each call gets complete text, newlines included (process.stdout.write semantics). */
export interface CommandIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

/** Loads the config for a command; on failure prints the problems (exit 2) or the error (exit 1) and returns the exit code. */
export async function loadForCommand(opts: GlobalOptions, io: CommandIo): Promise<LoadedConfig | number> {
  try {
    const loaded = await loadConfigWithSource({ file: opts.file, cwd: opts.cwd, profiles: opts.profiles, env: process.env });
    for (const note of configNotes(loaded.source)) if (note.level === 'warn' || !opts.quiet) io.stderr(`msdev: ${note.text}\n`);
    return loaded;
  } catch (err) {
    const text = formatConfigError(err);
    if (text !== null) {
      io.stderr(`${text}\n`);
      return 2;
    }
    io.stderr(`msdev: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** Runs `msdev validate`: 0 and a `✓ services.yaml: 5 services` line when valid, 2 and the problems on stderr when not. */
export async function validateCommand(opts: GlobalOptions, io: CommandIo): Promise<number> {
  const loaded = await loadForCommand(opts, io);
  if (typeof loaded === 'number') return loaded;
  if (opts.quiet) return 0;
  const { config, source } = loaded;
  const total = Object.keys(config.services).length;
  const active = config.active.length;
  const tick = opts.color && process.stdout.isTTY === true ? '\u001b[32m✓\u001b[39m' : '✓';
  const extra = active === total ? '' : ` (${active} active; name a --profile for the others)`;
  io.stdout(`${tick} ${source.file}: ${total} service${total === 1 ? '' : 's'}${extra}\n`);
  return 0;
}
