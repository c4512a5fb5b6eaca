// `msdev logs [-f] [-n N] [SERVICE...]`: the lines of the running instance (from its control socket), or
// of the last run (from `.msdev/logs/`) when none runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventListener } from '../core/events.js';
import { createPlainFrontend } from '../frontends/plain/plain-frontend.js';
import { createStdoutWriter } from '../output/stdout-writer.js';
import { LOG_FILE_KEEP } from '../output/log-file.js';
import { findProject, notReached, reachInstance } from './find-instance.js';
import type { GlobalOptions } from './options.js';

/** Options of `msdev logs`. */
export interface LogsOptions {
  readonly services: readonly string[];
  /** Lines per service (default: all there are). */
  readonly n: number | null;
  readonly follow: boolean;
  readonly raw: boolean;
}

/** Runs `msdev logs`; 0, or 1 when a service has no log or there is nothing to show. */
export async function logsCommand(opts: GlobalOptions, o: LogsOptions): Promise<number> {
  const place = await findProject(opts);
  if (typeof place === 'number') return place;
  const client = await reachInstance(place);
  const out = createStdoutWriter(process.stdout);
  try {
    if (notReached(client)) {
      if (client.kind === 'silent') {
        process.stderr.write(`msdev: ${client.message}\n`);
        return 1;
      }
      return fromFiles(join(place.msdevDir, 'logs'), opts, o, (s) => out.write(s));
    }
    const names = (await client.info()).services;
    const print = printer(names, opts, o.raw, (s) => out.write(s));
    const stream = client.logs({ ...(o.n === null ? {} : { n: o.n }), follow: o.follow, services: o.services }, print);
    const stop = (): void => stream.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const error = await stream.done;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (error !== null) {
      process.stderr.write(`msdev: ${error}\n`);
      return 1;
    }
    return 0;
  } finally {
    if (!notReached(client)) client.close();
    await out.flush();
  }
}

/** A plain front end for log lines: `NAME | text`, coloured on a terminal, JSON records pretty-printed unless raw. */
function printer(names: readonly string[], opts: GlobalOptions, raw: boolean, write: (s: string) => void): EventListener {
  return createPlainFrontend({ names, color: opts.color && process.stdout.isTTY === true, raw, quiet: true, write }).listener;
}

/** The last run's lines from its log files, service by service (the files carry no times to interleave by). */
function fromFiles(dir: string, opts: GlobalOptions, o: LogsOptions, write: (s: string) => void): number {
  const available = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => f.slice(0, -4)).sort() : [];
  if (available.length === 0) {
    process.stderr.write(`msdev: no msdev is running here and no earlier run left logs in ${dir}\n`);
    return 1;
  }
  const missing = o.services.filter((s) => !available.includes(s));
  if (missing.length > 0) {
    process.stderr.write(`msdev: no log of ${missing.join(', ')} in ${dir} (there are: ${available.join(', ')})\n`);
    return 1;
  }
  const names = o.services.length > 0 ? o.services : available;
  if (!opts.quiet) process.stderr.write(`msdev: no msdev is running; the last run's logs from ${dir}${o.follow ? ' (nothing to follow)' : ''}\n`);
  const print = printer(names, opts, o.raw, write);
  for (const name of names) {
    const lines = lastLines(join(dir, `${name}.log`), o.n);
    if (lines.length > 0) print({ type: 'log', ts: Date.now(), service: name, stream: 'stdout', text: lines.join('\n'), lines });
  }
  return 0;
}

/** The last `n` lines (null: all) of a log file and, when it holds fewer, of its rotations (`.1` is the newest). */
function lastLines(file: string, n: number | null): string[] {
  let lines: string[] = [];
  for (let i = 0; i <= LOG_FILE_KEEP && (n === null || lines.length < n); i++) {
    const path = i === 0 ? file : `${file}.${i}`;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      break;
    }
    if (text.endsWith('\n')) text = text.slice(0, -1);
    if (text === '') continue;
    lines = [...text.split('\n'), ...lines];
  }
  return n === null ? lines : lines.slice(Math.max(0, lines.length - n));
}
