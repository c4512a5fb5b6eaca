// `msdev init [--from FILE] [--force]`: writes a commented services.yaml for the project here,
// converted from a compose, process-compose or Procfile (or another services.yaml), or guessed from
// the files it finds; it is loaded (validated) before it is written, and nothing is overwritten without --force.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FOREIGN_FILE_NAMES, formatOfPath } from '../config/config-format.js';
import { parseEnvFile } from '../config/env-file.js';
import { formatProblem } from '../config/errors.js';
import { CONFIG_FILE_NAMES } from '../config/find-file.js';
import { formatConfigError } from '../config/format-error.js';
import { loadConfigText, loadConfigWithSource } from '../config/load.js';
import { detectServices } from './init/detect.js';
import { diskFolder } from './init/folder-view.js';
import { firstFile } from './init/init-files.js';
import { renderYaml } from './init/render-yaml.js';
import { LOOKS_FOR, skeletonYaml } from './init/skeleton.js';
import { specToYaml, type EnvFileVars } from './init/spec-to-yaml.js';
import type { GlobalOptions } from './options.js';
import type { CommandIo } from './validate-command.js';

/** The flags of `msdev init`. */
export interface InitFlags {
  /** Convert this file (compose, process-compose, Procfile, services.yaml) instead of guessing. */
  readonly from?: string;
  readonly force: boolean;
}

/** What init is about to write, and how it came to it. */
interface Draft {
  readonly text: string;
  /** Says where the services came from, for the message. */
  readonly origin: string;
}

/** Runs `msdev init`: 0 written; 1 a config file exists (without --force) or writing failed; 2 the --from file cannot be loaded. */
export async function initCommand(opts: GlobalOptions, flags: InitFlags, io: CommandIo): Promise<number> {
  const existing = firstFile(opts.cwd, CONFIG_FILE_NAMES);
  if (existing !== undefined && !flags.force) {
    io.stderr(`msdev: ${existing} already exists here; msdev init does not overwrite it (use --force to replace it)\n`);
    return 1;
  }
  const target = join(opts.cwd, existing ?? 'services.yaml');
  const shown = basename(target);
  const from = flags.from ?? firstFile(opts.cwd, FOREIGN_FILE_NAMES);

  let draft: Draft | number;
  if (from !== undefined) draft = await convert(opts, from, shown, io);
  else draft = guess(opts.cwd);
  if (typeof draft === 'number') return draft;

  try {
    await loadConfigText(draft.text, { cwd: opts.cwd, path: target, shown, profiles: [], env: process.env });
  } catch (err) {
    const problems = formatConfigError(err) ?? (err instanceof Error ? err.message : String(err));
    io.stderr(`msdev: the ${shown} that init made does not load, so nothing was written (please report this):\n${problems}\n`);
    return 1;
  }
  try {
    writeFileSync(target, draft.text);
  } catch (err) {
    io.stderr(`msdev: cannot write ${shown}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 1;
  }
  if (!opts.quiet) {
    io.stdout(`msdev: wrote ${shown} ${draft.origin}\n`);
    io.stdout(`msdev: check it (each service says in a comment why it is there), then run: msdev up\n`);
  }
  return 0;
}

/** The text converted from a file msdev can load; on failure prints why and returns 2 (or 1). */
async function convert(opts: GlobalOptions, from: string, shown: string, io: CommandIo): Promise<Draft | number> {
  let loaded;
  try {
    loaded = await loadConfigWithSource({ file: from, cwd: opts.cwd, profiles: [], env: process.env });
  } catch (err) {
    const text = formatConfigError(err);
    io.stderr(`msdev: cannot convert ${from}:\n`);
    io.stderr(`${text ?? (err instanceof Error ? err.message : String(err))}\n`);
    return text === null ? 1 : 2;
  }
  const { config, source } = loaded;
  // What the reader ignores in another tool's file: said now, and kept in the file's header.
  const warnings = source.warnings.map(formatProblem);
  for (const w of warnings) io.stderr(`msdev: ${w}\n`);
  const envFiles: EnvFileVars[] = [];
  for (const path of config.envFiles) {
    try {
      envFiles.push({ path, vars: parseEnvFile(readFileSync(path, 'utf8')).vars });
    } catch {
      // An optional env file that is not there: nothing to leave out.
    }
  }
  const names = Object.keys(config.services);
  const header = [
    `${shown} for msdev, written by \`msdev init\` from ${from}.`,
    '${VAR}s of the source were resolved when converting; ports msdev picks are `auto`.',
    ...(config.envFiles.length > 0 ? ['The env files are read by every service (top-level `env_file`).'] : []),
    "Every key is in msdev's README. Then run `msdev up`.",
    ...(warnings.length > 0 ? ['', `Left out of ${from} (msdev cannot honour it locally):`, ...warnings.map((w) => `  ${w}`)] : []),
  ];
  // A Procfile names no ports: the ones foreman's numbering gave (5000, 5100, …) are written `auto`.
  const procfile = formatOfPath(config.file) === 'procfile';
  if (procfile) header.splice(1, 0, "The Procfile's ports (foreman's 5000, 5100, …) are `auto` here: write a number to fix one.");
  return { text: specToYaml(config, { dir: opts.cwd, envFiles, header, ...(procfile ? { fixedPorts: [] } : {}) }), origin: `from ${from}: ${count(names)}` };
}

/** The text guessed from the folder's files, or the skeleton when nothing is found. */
function guess(cwd: string): Draft {
  const guesses = detectServices(diskFolder(cwd), basename(cwd));
  if (guesses.length === 0) return { text: skeletonYaml(), origin: `with an example service: nothing found here that msdev knows how to run (${LOOKS_FOR})` };
  const text = renderYaml({
    header: [
      'services.yaml for msdev, written by `msdev init` from the files in this folder.',
      'Each service says above it why msdev guessed it: check the commands, ports and checks,',
      "then run `msdev up`. Every key is in msdev's README.",
    ],
    services: guesses.map((g) => ({ name: g.name, comments: g.why, body: g.service })),
  });
  return { text, origin: `guessed from the files here: ${count(guesses.map((g) => g.name))}` };
}

function count(names: readonly string[]): string {
  return `${names.length} service${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
}
