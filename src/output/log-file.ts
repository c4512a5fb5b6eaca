// The per-service log files of a run, .msdev/logs/SERVICE.log (SPEC §5), and the last lines of each service.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEvent, EventListener } from '../core/events.js';
import { fsReason } from '../core/fs-reason.js';
import { RotatingFile, removeLeftovers } from './rotating-file.js';
import { describeState } from './state-text.js';

/** Rotation threshold of a service's log file: 10 MiB. */
export const LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** How many rotated log files are kept per service (SERVICE.log.1 … .3). */
export const LOG_FILE_KEEP = 3;

/** Options of createLogFiles; the defaults are SPEC §5's. */
export interface LogFilesOptions {
  /** Rotate a file before it grows past this many bytes. Default 10 MiB. */
  readonly maxBytes?: number;
  /** Rotated files kept per service. Default 3. */
  readonly keep?: number;
  /** Also write each state change into the service's file as `[msdev] api: crashed (exit code 1)`. Default true. */
  readonly stateLines?: boolean;
  /** Called when a service's file cannot be written (it then stops taking lines; the run goes on). */
  readonly onError?: (service: string, err: Error) => void;
}

/** The log files of a run. */
export interface LogFiles {
  /** Feed it every engine event: log lines go to their service's file, state changes as `[msdev] …` lines. */
  readonly listener: EventListener;
  /** Writes out everything received so far and closes the files. */
  close(): Promise<void>;
  /** Resolves once everything received so far is written (the files stay open). */
  flush(): Promise<void>;
  /** The path of a service's current log file. */
  path(service: string): string;
}


/**
 * Starts the log files of a run in dir (created if missing): each SERVICE.log is truncated and its
 * old rotations removed, then gets every line of the run in order, each written synchronously as it comes.
 * A service not named up front gets its file on its first event.
 */
export function createLogFiles(dir: string, services: readonly string[], options: LogFilesOptions = {}): LogFiles {
  const maxBytes = options.maxBytes ?? LOG_FILE_MAX_BYTES;
  const keep = options.keep ?? LOG_FILE_KEEP;
  const stateLines = options.stateLines ?? true;
  const logs = new Map<string, RotatingFile>();
  let closed = false;

  mkdirSync(dir, { recursive: true });
  // One listing of the folder for every service (a thousand services would list it a thousand times).
  removeLeftovers(dir);

  const path = (service: string): string => join(dir, `${service}.log`);

  const open = (service: string): RotatingFile => {
    let log = logs.get(service);
    if (log === undefined) {
      const onError = options.onError;
      log = new RotatingFile(path(service), {
        maxBytes,
        keep,
        ...(onError ? { onError: (err: Error) => onError(service, err) } : {}),
      });
      logs.set(service, log);
    }
    return log;
  };

  for (const service of services) open(service);

  const listener = (event: EngineEvent): void => {
    if (closed) return;
    if (event.type === 'log') {
      open(event.service).append(event.bytes ?? event.text + '\n');
    } else if (event.type === 'state' && stateLines) {
      open(event.service).append(`[msdev] ${describeState(event)}\n`);
    }
  };

  return {
    listener,
    path,
    close() {
      closed = true;
      try {
        for (const log of logs.values()) log.close();
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    // Each append is written synchronously: there is never anything left to write.
    flush: () => Promise.resolve(),
  };
}

/** What msdev says when a log file cannot be written: `cannot write PATH: no space left on device (ENOSPC); …`. */
export function logFileFailure(path: string, err: Error): string {
  return `cannot write ${path}: ${fsReason(err)}; its log file stops here, the service keeps running`;
}
