// Finding the msdev that runs a project, for the client commands (ps, logs, restart, stop, start, down,
// up --attach): the config file's folder, then its `.msdev/msdev.sock`. The config is not loaded, so a
// broken services.yaml does not stop `msdev down`.
import { dirname } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { findConfigFile } from '../config/find-file.js';
import { connectControl, NotRunningError, type ConnectOptions, type ControlClient } from '../frontends/control/control-client.js';
import { isSameProcess } from '../process/process-identity.js';
import type { GlobalOptions } from './options.js';
import { msdevDir, readInstance } from './instance-file.js';

/** Where a project is. */
export interface ProjectPlace {
  /** The folder of its config file. */
  readonly dir: string;
  readonly msdevDir: string;
}

/** Why no running msdev was reached. */
export interface NotReached {
  /** `none`: nothing runs; `stale`: a killed msdev left its socket or state.json; `silent`: one runs but its socket does not answer (still starting). */
  readonly kind: 'none' | 'stale' | 'silent';
  /** The pid of the live msdev when `silent`. */
  readonly pid: number | null;
  /** A one-line explanation that says what to do. */
  readonly message: string;
}

/** Finds the project's folder from the config file (-f or the search upward); prints a config error and returns exit code 2 when there is none. */
export async function findProject(opts: GlobalOptions): Promise<ProjectPlace | number> {
  try {
    const found = await findConfigFile(opts.cwd, opts.file);
    const dir = dirname(found.path);
    return { dir, msdevDir: msdevDir(dir) };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** Connects to the msdev running the project, or says why none was reached. */
export async function reachInstance(place: ProjectPlace, options: ConnectOptions = {}): Promise<ControlClient | NotReached> {
  try {
    return await connectControl(place.msdevDir, options);
  } catch (err) {
    if (!(err instanceof NotRunningError)) throw err;
    const record = readInstance(place.dir);
    if (record !== null && isSameProcess(record)) {
      return { kind: 'silent', pid: record.pid, message: `msdev (pid ${record.pid}) runs ${place.dir} but its control socket does not answer (still starting, or an msdev without one); try again in a moment` };
    }
    if (err.stale || record !== null) return { kind: 'stale', pid: null, message: `no msdev is running ${place.dir} (a killed msdev left its files behind: msdev down cleans up)` };
    return { kind: 'none', pid: null, message: `no msdev is running ${place.dir}; start one with msdev up (or msdev up -d)` };
  }
}

/** Whether reaching an instance failed. */
export function notReached(x: ControlClient | NotReached): x is NotReached {
  return 'kind' in x && 'message' in x && !('info' in x);
}

/**
 * Runs `run` with a client of the msdev running the project, and closes the client after; when there is
 * no config file (exit 2) or no msdev answers (exit 1), says why instead.
 */
export async function withInstance(opts: GlobalOptions, run: (client: ControlClient, place: ProjectPlace) => Promise<number>, options: ConnectOptions = {}): Promise<number> {
  const place = await findProject(opts);
  if (typeof place === 'number') return place;
  const client = await reachInstance(place, options);
  if (notReached(client)) {
    process.stderr.write(`msdev: ${client.message}\n`);
    return 1;
  }
  try {
    return await run(client, place);
  } finally {
    client.close();
  }
}
