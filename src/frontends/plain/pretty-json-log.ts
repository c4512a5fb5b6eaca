// Pretty-printing of pino/bunyan JSON log records, loading pino-pretty only when the first one is seen.
import { createRequire } from 'node:module';

/** Formats a parsed log record; pino-pretty's prettyFactory result. */
type PrettyFn = (record: Record<string, unknown>) => string;

interface PinoPrettyModule {
  readonly prettyFactory: (options: Record<string, unknown>) => PrettyFn;
}

const requireHere = createRequire(import.meta.url);

/**
 * Turns a line into a pretty rendering when it is a JSON log record, else returns null: one line, then the
 * stack of an error field (`err`, `error`) as indented lines under it (the text then holds `\n`s).
 */
export type JsonLogFormatter = (line: string) => string | null;

/**
 * A formatter for lines that are pino/bunyan records (a JSON object with `level`, `time`, `msg`):
 * `INFO (app): listening {"port":3000}` — level, name, message and the extra fields on one line
 * (pid, hostname and time are left out; bunyan's `v` too). Cheap for other lines: it only parses
 * lines that start with `{` and contain `"level"`. pino-pretty is required on the first record.
 */
export function createJsonLogFormatter(color: boolean): JsonLogFormatter {
  let pretty: PrettyFn | null = null;
  let unavailable = false;
  return (line) => {
    if (unavailable || line.charCodeAt(0) !== 123 || !line.includes('"level"')) return null;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return null;
    }
    if (!isLogRecord(record)) return null;
    if (record.v === 0 && typeof record.time === 'string') delete record.v; // bunyan's format version
    const stack = takeStack(record);
    let text: string;
    try {
      pretty ??= loadPretty(color);
    } catch {
      unavailable = true; // pino-pretty cannot be loaded: show records as they are
      return null;
    }
    try {
      text = pretty(record);
    } catch {
      return null;
    }
    if (text.endsWith('\n')) text = text.slice(0, -1);
    // The record stays one line: newlines left in a message are shown as \n; only the stack gets lines.
    if (text.includes('\n')) text = text.replaceAll('\n', '\\n');
    return stack === null ? text : `${text}\n${stack}`;
  };
}

/** Takes the stack out of the record's error field (`err` or `error`) and returns it indented, or null. */
function takeStack(record: Record<string, unknown>): string | null {
  for (const key of ['err', 'error']) {
    const err = record[key];
    if (typeof err !== 'object' || err === null || Array.isArray(err)) continue;
    const fields = err as Record<string, unknown>;
    if (typeof fields.stack !== 'string' || fields.stack.trim() === '') continue;
    const stack = fields.stack;
    const rest = { ...fields };
    delete rest.stack;
    record[key] = rest;
    return stack
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => `    ${line}`)
      .join('\n');
  }
  return null;
}

function isLogRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'level' in value &&
    'time' in value &&
    'msg' in value
  );
}

function loadPretty(color: boolean): PrettyFn {
  const { prettyFactory } = requireHere('pino-pretty') as PinoPrettyModule;
  return prettyFactory({
    colorize: color,
    singleLine: true,
    ignore: 'pid,hostname,time',
    // Treat err objects like any other field, so they stay on the one line.
    errorLikeObjectKeys: [],
  });
}
