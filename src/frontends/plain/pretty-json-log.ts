// Pretty-printing of pino/bunyan JSON log records, loading pino-pretty only when the first one is seen.
import { createRequire } from 'node:module';

/** Formats a parsed log record; pino-pretty's prettyFactory result. */
type PrettyFn = (record: Record<string, unknown>) => string;

interface PinoPrettyModule {
  readonly prettyFactory: (options: Record<string, unknown>) => PrettyFn;
}

const requireHere = createRequire(import.meta.url);

/** Turns a line into a one-line pretty rendering when it is a JSON log record, else returns null. */
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
    // One log line stays one output line: newlines left in (messages, stacks) are shown as \n.
    return text.includes('\n') ? text.replaceAll('\n', '\\n') : text;
  };
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
