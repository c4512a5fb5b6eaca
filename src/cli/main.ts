// The msdev command line: parses flags and hands each command to its own lazily loaded module.
import { Command, CommanderError, Option } from 'commander';
import type { GlobalOptions } from './options.js';
import { packageVersion } from './package-version.js';
import type { StartAndWaitOptions } from './readiness.js';

/** The help of --drop-lines (up, run, smoke). */
const DROP_LINES_HELP = 'when the reader of the output falls behind, drop lines from it (with a note) instead of pausing the services; the log files keep every line';

/** Exit code for usage errors and invalid config (SPEC §3). */
const USAGE_EXIT = 2;

/** What msdev's exit codes mean, for every command (docs/cli.md is generated from this and buildProgram). */
export const EXIT_CODES: readonly { readonly code: number | string; readonly meaning: string }[] = [
  { code: 0, meaning: 'success: the services stopped cleanly, got ready, or the command did what it said' },
  { code: 1, meaning: 'a failure: a service failed or never got ready (or --timeout passed), no msdev runs here, a fixed port is taken, or another error (printed on one line)' },
  { code: USAGE_EXIT, meaning: 'a usage error (unknown command or flag, bad value), or a config file that is missing or invalid (every problem printed with file:line:col)' },
  { code: 130, meaning: 'interrupted: Ctrl-C (SIGINT) or SIGTERM stopped the run before it finished (run, smoke, up -d), or a second Ctrl-C forced the stop' },
  { code: 'any', meaning: 'msdev run: the exit code of CMD, the command it ran' },
];

/** Each command's exit codes in words, beside the commands below (docs/cli.md shows them; every command needs one). */
export const COMMAND_EXITS: Readonly<Record<string, string>> = {
  up: '0 after a clean stop; when every service has ended and none will restart, 0 if all completed and 1 if any failed; 130 on a forced stop. With --detach: 0 once every started service is ready, 1 if one failed or --timeout passed. With --attach: 0 on detach, 1 if no msdev runs here.',
  ps: '0; 1 if no msdev runs here.',
  logs: '0; 1 if no msdev runs here and the last run left no log file (of a named service).',
  restart: '0 once every named service is ready again; 1 for an unknown service, a failure, --timeout, or no msdev running here.',
  stop: '0 once every named service is stopped; 1 for an unknown service, --timeout, or no msdev running here.',
  start: '0 once every named service is ready; 1 for an unknown service, a failure, --timeout, or no msdev running here.',
  down: '0 once the running msdev has exited (or, with none running, what a killed one left is cleaned up); 1 if it did not exit in time or runs without a control socket.',
  run: "CMD's exit code; 1 if the services never got ready; 130 if interrupted.",
  smoke: '0 when every service got ready and none crashed or restarted during --settle; 1 otherwise; 130 if interrupted.',
  init: `0 once services.yaml is written; 1 if services.yaml or msdev.yaml exists here (without --force) or it cannot be written; ${USAGE_EXIT} if the --from file cannot be loaded.`,
  validate: `0 when the file is valid; ${USAGE_EXIT} when it is not (every problem printed).`,
  graph: `0; ${USAGE_EXIT} for an invalid config file.`,
  config: `0; ${USAGE_EXIT} for an invalid config file.`,
};
/** The longest wait Node's timers take (~24.8 days); longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs msdev with the given arguments (without node and the script); sets process.exitCode. */
export async function main(argv: readonly string[]): Promise<void> {
  // Everything after the first `--` is the command of `msdev run`, never msdev's own flags.
  const dashes = argv.indexOf('--');
  const head = followFlag(dashes >= 0 ? argv.slice(0, dashes) : argv);
  const tail = dashes >= 0 ? argv.slice(dashes + 1) : null;
  const program = buildProgram(tail);
  try {
    await program.parseAsync([...head], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        process.exitCode = 0;
        return;
      }
      const reason = err.message.replace(/^error: /, '');
      process.stderr.write(`msdev: ${reason}\n  (see msdev --help)\n`);
      process.exitCode = USAGE_EXIT;
      return;
    }
    process.stderr.write(`msdev: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

/** Global flags that take a value (their value is not the command's name). */
const VALUE_FLAGS = new Set(['-f', '--file', '--profile']);

/**
 * After `logs`, `-f` is `--follow` (as in `docker compose logs -f`), not the global `-f FILE`: the
 * config file is then named before the command (`msdev -f dev.yaml logs -f`) or as `--file`.
 */
function followFlag(args: readonly string[]): readonly string[] {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += VALUE_FLAGS.has(args[i]!) ? 2 : 1;
  if (args[i] !== 'logs') return args;
  return args.map((a, k) => (k > i && a === '-f' ? '--follow' : a));
}

/** The commander program with every command (docs/cli.md is generated from it); runCommandArgs: what came after `--`. */
export function buildProgram(runCommandArgs: readonly string[] | null): Command {
  const program = new Command('msdev')
    .description('Run a whole microservice stack on one machine: dependency order, health checks, restarts, one log.')
    .version(packageVersion(), '-V, --version')
    .option('-f, --file <path>', 'config file (default: msdev.yaml or services.yaml here or in a parent folder)')
    .option('--profile <name>', 'also start services of this profile (repeatable)', collect, [])
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('-q, --quiet', "msdev's own messages only on error")
    .exitOverride()
    .configureOutput({ writeErr: (s) => { if (!s.startsWith('error:')) process.stderr.write(s); } })
    .showSuggestionAfterError(true)
    .enablePositionalOptions(false);

  program
    .command('up')
    .description('start the services (and their dependencies), supervise them until interrupted')
    .argument('[services...]', 'services to start (default: all in the active profiles)')
    .option('--no-tui', 'plain interleaved logs (the default when stdout is not a terminal)')
    .option('--json', 'one JSON event a line on stdout')
    .option('--raw', 'do not pretty-print JSON log lines')
    .option('--drop-lines', DROP_LINES_HELP)
    .option('-d, --detach', 'run in the background; return once every started service is ready (exit 0) or one failed (exit 1)')
    .option('--attach', 'open the TUI (or plain lines) on the msdev already running here; quitting leaves it running')
    .option('--timeout <duration>', 'with --detach: how long the services may take to get ready', '2m')
    .option('--no-watch', 'no hot reload: file changes restart nothing, edits of the config file are not applied')
    .addOption(new Option('--detached-child').hideHelp())
    .action(async (services: string[], opts: UpFlags, cmd: Command) => {
      if (opts.detach === true && opts.attach === true) throw usageError('--detach and --attach cannot be used together');
      if (opts.attach === true && services.length > 0) throw usageError(`--attach opens the running msdev as it is; it takes no services (got ${services.join(' ')})`);
      if (opts.detach === true && opts.json === true) throw usageError('--detach prints a table once ready; --json needs a running front end (use msdev up --attach --json)');
      const timeoutMs = await durationOption('--timeout', opts.timeout);
      if (timeoutMs > MAX_TIMER_MS) throw usageError(`--timeout ${opts.timeout}: too long (at most 24 days)`);
      const { upCommand } = await import('./up-command.js');
      process.exitCode = await upCommand(globals(cmd), {
        services,
        json: opts.json === true,
        raw: opts.raw === true,
        tui: opts.tui,
        dropLines: opts.dropLines === true,
        detach: opts.detach === true,
        attach: opts.attach === true,
        timeoutMs,
        detachedChild: opts.detachedChild === true,
        watch: opts.watch,
      });
    });

  program
    .command('ps')
    .description('the services of the running msdev: state, health, pid, port, restarts, uptime')
    .option('--json', 'an array of {name, state, health, pid, container, port, url, restarts, uptime_ms}')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { psCommand } = await import('./ps-command.js');
      process.exitCode = await psCommand(globals(cmd), opts.json === true);
    });

  program
    .command('logs')
    .description('log lines of the running msdev (or of the last run, from .msdev/logs, when none runs)')
    .argument('[services...]', 'only these services (default: all)')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('-n, --tail <lines>', 'the last N lines of each service (default: all kept: the running msdev keeps 1,000 per service)')
    .option('--raw', 'do not pretty-print JSON log lines')
    .action(async (services: string[], opts: { follow?: boolean; tail?: string; raw?: boolean }, cmd: Command) => {
      if (opts.tail !== undefined && !/^\d+$/.test(opts.tail)) throw usageError(`-n ${opts.tail}: not a number of lines (use e.g. -n 50)`);
      const { logsCommand } = await import('./logs-command.js');
      process.exitCode = await logsCommand(globals(cmd), { services, n: opts.tail === undefined ? null : Number(opts.tail), follow: opts.follow === true, raw: opts.raw === true });
    });

  for (const verb of ['restart', 'stop', 'start'] as const) {
    const does = { restart: 'stop then start; returns once ready again', stop: 'stop (its dependents keep running); returns once stopped', start: 'start (and what it needs); returns once ready' }[verb];
    const command = program
      .command(verb)
      .description(`tell the running msdev to ${verb} services: ${does}`)
      .argument('<services...>', 'the services')
      .option('--timeout <duration>', 'how long to wait', '2m');
    if (verb === 'restart') command.option('--dependents', 'once it is ready again, restart what depends on it too, in dependency order');
    command.action(async (services: string[], opts: { timeout: string; dependents?: boolean }, cmd: Command) => {
      const timeoutMs = await durationOption('--timeout', opts.timeout);
      if (timeoutMs > MAX_TIMER_MS) throw usageError(`--timeout ${opts.timeout}: too long (at most 24 days)`);
      const { serviceCommand } = await import('./service-command.js');
      process.exitCode = await serviceCommand(globals(cmd), verb, services, { dependents: opts.dependents === true, timeoutMs });
    });
  }

  program
    .command('down')
    .description('stop the running msdev (reverse dependency order), or clean up after one that was killed')
    .action(async (_opts: unknown, cmd: Command) => {
      const { downCommand } = await import('./down-command.js');
      process.exitCode = await downCommand(globals(cmd));
    });

  withStartOptions(
    program
      .command('run')
      .description('start the services, wait until ready, run CMD against them, stop everything; exit with CMD\'s code')
      .usage('[options] [services...] -- CMD...'),
  ).action(async (services: string[], o: StartFlags, cmd: Command) => {
    if (!runCommandArgs || runCommandArgs.length === 0) throw usageError('msdev run needs a command after --, e.g. msdev run -- npm test');
    const { runCommand } = await import('./run-command.js');
    process.exitCode = await runCommand(globals(cmd), { ...(await startOptions(services, o)), command: runCommandArgs });
  });

  withStartOptions(
    program.command('smoke').description('start the services, wait until ready, print a table, stop; exit 0 when all got ready'),
  )
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--settle <duration>', 'after ready, how long every service must stay up (a crash or restart fails the smoke; 0: no wait)', '1s')
    .action(async (services: string[], o: StartFlags & { junit?: string; settle: string }, cmd: Command) => {
      const { smokeCommand, junitPathProblem } = await import('./smoke-command.js');
      const g = globals(cmd);
      const settleMs = await durationOption('--settle', o.settle);
      if (settleMs > MAX_TIMER_MS) throw usageError(`--settle ${o.settle}: too long (at most 24 days)`);
      const junitProblem = o.junit === undefined ? null : junitPathProblem(g.cwd, o.junit);
      if (junitProblem !== null) throw usageError(junitProblem);
      process.exitCode = await smokeCommand(g, { ...(await startOptions(services, o)), settleMs, junit: o.junit });
    });

  program
    .command('init')
    .description('write a commented services.yaml for the project here: converted from --from FILE (or a compose file, process-compose.yaml or Procfile here), else guessed from its files')
    .option('--from <file>', 'convert this file (compose, process-compose, Procfile, or a services.yaml)')
    .option('--force', 'replace an existing services.yaml or msdev.yaml')
    .action(async (opts: { from?: string; force?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      if (g.file !== undefined) throw usageError('msdev init writes services.yaml here; to convert a file, name it with --from FILE (not -f)');
      const { initCommand } = await import('./init-command.js');
      process.exitCode = await initCommand(g, { from: opts.from, force: opts.force === true }, stdio());
    });

  program
    .command('validate')
    .description('load and check the config file; print every problem with its position')
    .action(async (_opts: unknown, cmd: Command) => {
      const { validateCommand } = await import('./validate-command.js');
      process.exitCode = await validateCommand(globals(cmd), stdio());
    });

  program
    .command('graph')
    .description('print the dependency graph')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'dot', 'mermaid']).default('text'))
    .action(async (opts: { format: 'text' | 'dot' | 'mermaid' }, cmd: Command) => {
      const { graphCommand } = await import('./graph-command.js');
      process.exitCode = await graphCommand(globals(cmd), opts.format, stdio());
    });

  program
    .command('config')
    .description('print the resolved config as YAML (secrets masked)')
    .action(async (_opts: unknown, cmd: Command) => {
      const { configCommand } = await import('./config-command.js');
      process.exitCode = await configCommand(globals(cmd), stdio());
    });

  program.hook('preAction', (_program, action) => {
    if (runCommandArgs !== null && action.name() !== 'run') throw usageError(`msdev ${action.name()} takes nothing after --`);
  });

  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeErr: (s) => { if (!s.startsWith('error:')) process.stderr.write(s); } });
  return program;
}

/** The global options as every command sees them. */
function globals(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ file?: string; profile: string[]; color: boolean; quiet?: boolean }>();
  const noColorEnv = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    file: o.file,
    profiles: o.profile,
    color: o.color && !noColorEnv,
    quiet: o.quiet === true,
    cwd: process.cwd(),
  };
}

/** Writers for a command's output. */
function stdio(): { stdout: (s: string) => void; stderr: (s: string) => void } {
  return { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };
}

/** The flags of `up`, as commander gives them. */
interface UpFlags {
  readonly json?: boolean;
  readonly raw?: boolean;
  readonly tui: boolean;
  readonly dropLines?: boolean;
  readonly detach?: boolean;
  readonly attach?: boolean;
  readonly timeout: string;
  readonly detachedChild?: boolean;
  readonly watch: boolean;
}

/** The flags `run` and `smoke` share, as commander gives them. */
interface StartFlags {
  readonly timeout: string;
  readonly logs?: boolean;
  readonly json?: boolean;
  readonly raw?: boolean;
  readonly dropLines?: boolean;
}

/** Adds the services argument and the flags `run` and `smoke` share. */
function withStartOptions(cmd: Command): Command {
  return cmd
    .argument('[services...]', 'services to start (default: all in the active profiles)')
    .option('--timeout <duration>', 'how long the services may take to get ready', '2m')
    .option('--logs', "show the services' log lines on stderr (they are always in .msdev/logs)")
    .option('--json', 'one JSON event a line on stdout')
    .option('--raw', 'do not pretty-print JSON log lines')
    .option('--drop-lines', DROP_LINES_HELP);
}

/** The shared flags as the commands take them; a bad --timeout is a usage error. */
async function startOptions(services: string[], o: StartFlags): Promise<StartAndWaitOptions> {
  return { services, timeoutMs: await durationOption('--timeout', o.timeout), json: o.json === true, raw: o.raw === true, logs: o.logs === true, dropLines: o.dropLines === true };
}

/** A usage error: exit 2 with a one-line reason. */
function usageError(message: string): CommanderError {
  return new CommanderError(USAGE_EXIT, 'msdev.usage', message);
}

/** Parses a duration flag, or throws a usage error naming the flag. */
async function durationOption(flag: string, value: string): Promise<number> {
  const { parseDuration, DURATION_FORMS, MAX_DURATION_MS, MAX_DURATION_TEXT } = await import('../config/duration.js');
  const ms = parseDuration(value);
  if (ms === null) throw usageError(`${flag} ${value}: not a duration (use ${DURATION_FORMS})`);
  if (ms > MAX_DURATION_MS) throw usageError(`${flag} ${value}: too long (at most ${MAX_DURATION_TEXT})`);
  return ms;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
