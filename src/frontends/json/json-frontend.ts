// The --json front end (SPEC §4): one JSON object a line (NDJSON), keys in the order ts, type, then the rest.
import type { EngineEvent, EventListener, LogEvent, MessageEvent, StateEvent } from '../../core/events.js';
import { countNewlines } from '../../core/newlines.js';
import { dropNoteText } from '../../output/stdout-writer.js';

/** Options of the JSON front end. */
export interface JsonFrontendOptions {
  /** Where output goes; called once per event with whole lines (a StdoutWriter's write). */
  readonly write: (text: string) => void;
}

/** The JSON front end. */
export interface JsonFrontend {
  /** Renders engine events as NDJSON and writes them, one write per event. */
  readonly listener: EventListener;
}

let lastTs = NaN;
let lastIso = '';

/** The ISO 8601 form of a timestamp, cached for the run of events sharing one. */
function iso(ts: number): string {
  if (ts !== lastTs) {
    lastTs = ts;
    lastIso = new Date(ts).toISOString();
  }
  return lastIso;
}

/**
 * `{"ts":"…","type":"log",…}` once per line of the batch; the common head is built once per batch.
 * When no line needs escaping (checked with one native JSON.stringify of the batch's text: only its
 * joining newlines grow, by one character each), the lines are quoted by a single native replace of
 * the newlines, without splitting the batch into lines; else one stringify per line.
 */
function renderLog(event: LogEvent): string {
  const text = event.text;
  const head = `{"ts":"${iso(event.ts)}","type":"log","service":${JSON.stringify(event.service)},"stream":"${event.stream}","line":`;
  // A quote or a backslash (a JSON log record, a Windows path) needs escaping: two native scans spare the stringify.
  const plain = text.indexOf('"') === -1 && text.indexOf('\\') === -1;
  if (plain && JSON.stringify(text).length === text.length + 2 + countNewlines(text)) {
    return head + '"' + text.replaceAll('\n', '"}\n' + head + '"') + '"}\n';
  }
  let out = '';
  for (const line of event.lines) out += head + JSON.stringify(line) + '}\n';
  return out;
}

function renderState(event: StateEvent): string {
  let out =
    `{"ts":"${iso(event.ts)}","type":"state","service":${JSON.stringify(event.service)}` +
    `,"state":"${event.state}","prev":"${event.prev}","reason":${JSON.stringify(event.reason)},"pid":${JSON.stringify(event.pid)}`;
  if (event.container !== undefined) out += `,"container":${JSON.stringify(event.container)}`;
  if (event.exitCode !== undefined) out += `,"exit_code":${JSON.stringify(event.exitCode)}`;
  // ready, user_stopped and started_at let a client (the control socket's) rebuild a service's view from its events.
  const started = event.startedAt === null ? 'null' : `"${new Date(event.startedAt).toISOString()}"`;
  return out + `,"restarts":${event.restarts},"ready":${event.ready},"user_stopped":${event.userStopped},"started_at":${started}}\n`;
}

/** One `{"type":"message"}` line: for msdev's own messages written outside the engine (e.g. a drop note). */
export function jsonMessageLine(level: MessageEvent['level'], text: string, ts: number = Date.now()): string {
  return `{"ts":"${iso(ts)}","type":"message","level":"${level}","text":${JSON.stringify(text)}}\n`;
}

/** The drop note of a StdoutWriter in --json: a `{"type":"message","level":"warn"}` line, so stdout stays NDJSON. */
export function jsonDropNote(dropped: number): string {
  return jsonMessageLine('warn', dropNoteText(dropped));
}

/** The final `{"type":"exit","code":N}` line, written by the command at the very end of a run. */
export function jsonExitLine(code: number, ts: number = Date.now()): string {
  return `{"ts":"${iso(ts)}","type":"exit","code":${code}}\n`;
}

/** Renders one engine event as NDJSON text, or null for events the JSON stream does not carry (settled). */
export function renderJsonEvent(event: EngineEvent): string | null {
  switch (event.type) {
    case 'log':
      // A batch always has a line (an empty text is one empty line); only a batch made of no lines at all has none.
      return event.text.length === 0 && event.lines.length === 0 ? null : renderLog(event);
    case 'state':
      return renderState(event);
    case 'ready':
      return `{"ts":"${iso(event.ts)}","type":"ready","services":${JSON.stringify(event.services)},"ms":${Math.round(event.ms)}}\n`;
    case 'message':
      return jsonMessageLine(event.level, event.text, event.ts);
    case 'settled':
      return null; // the command writes {"type":"exit"} once everything has stopped
    case 'health':
      return null; // a probe failure is explained by the state events (unhealthy, failed); views show it live
    case 'watch':
      return `{"ts":"${iso(event.ts)}","type":"watch","enabled":${event.enabled},"paused":${JSON.stringify(event.paused)}}\n`;
  }
}

/** Creates the JSON front end: every event as one object a line (a log batch as one object per line). */
export function createJsonFrontend(options: JsonFrontendOptions): JsonFrontend {
  const { write } = options;
  return {
    listener(event) {
      const text = renderJsonEvent(event);
      if (text !== null) write(text);
    },
  };
}
