// The plain front end (SPEC §4): interleaved `NAME | text` lines, one per log line.
import type { EngineEvent, EventListener, LogEvent, MessageEvent, StateEvent } from '../../core/events.js';
import { describeReady, describeSettled, describeState } from '../../output/state-text.js';
import { GREEN, MSDEV_COLOR, RED, YELLOW, paint, serviceColor } from './ansi.js';
import { shortName, shortNames } from './name-column.js';
import { createJsonLogFormatter, type JsonLogFormatter } from './pretty-json-log.js';

/** The name msdev's own lines go under. */
export const MSDEV_NAME = 'msdev';

/** Options of the plain front end. */
export interface PlainFrontendOptions {
  /** The services of the run, in the order their colours are given; sets the name padding (at most NAME_COLUMN_MAX). */
  readonly names: readonly string[];
  /** ANSI colours on or off. */
  readonly color: boolean;
  /** Show service lines as they are: no pretty-printing of JSON log records. */
  readonly raw: boolean;
  /** Only error messages and failed states of msdev's own. */
  readonly quiet: boolean;
  /** Where output goes; called once per event with whole lines (a StdoutWriter's write). */
  readonly write: (text: string) => void;
}

/** The plain front end. */
export interface PlainFrontend {
  /** Renders engine events as lines and writes them, one write per event. */
  readonly listener: EventListener;
  /** One msdev line as text (padded, coloured, ending in `\n`), for msdev's own output such as failure reports. */
  readonly formatMessage: (level: MessageEvent['level'], text: string) => string;
}

interface Prefix {
  /** `NAME | ` padded and coloured. */
  readonly head: string;
  /** `\n` + head, to join the lines of a batch with. */
  readonly sep: string;
}

/** Creates the plain front end: `NAME | text` per log line, msdev's own lines under `msdev`. */
export function createPlainFrontend(options: PlainFrontendOptions): PlainFrontend {
  const { color, raw, quiet, write } = options;
  const labels = shortNames(options.names);
  let width = MSDEV_NAME.length;
  for (const label of labels.values()) width = Math.max(width, label.length);
  const prefixes = new Map<string, Prefix>();
  let nextColor = 0;

  const makePrefix = (name: string, code: number): Prefix => {
    const plain = `${(labels.get(name) ?? shortName(name)).padEnd(width)} |`;
    const head = (color ? paint(code, plain) : plain) + ' ';
    return { head, sep: '\n' + head };
  };
  for (const name of options.names) {
    if (!prefixes.has(name) && name !== MSDEV_NAME) prefixes.set(name, makePrefix(name, serviceColor(nextColor++)));
  }
  const msdev = makePrefix(MSDEV_NAME, MSDEV_COLOR);
  const prefixOf = (name: string): Prefix => {
    let prefix = prefixes.get(name);
    if (prefix === undefined) {
      prefix = makePrefix(name, serviceColor(nextColor++));
      prefixes.set(name, prefix);
    }
    return prefix;
  };

  let pretty: JsonLogFormatter | null = null;

  const renderLog = (event: LogEvent): string => {
    const { head, sep } = prefixOf(event.service);
    // Only a batch with a line starting with `{` can hold a JSON record; the others are prefixed in one native replace.
    const text = event.text;
    if (!raw && (text.charCodeAt(0) === 123 || text.indexOf('\n{') !== -1)) {
      const lines = event.lines;
      for (let i = 0; i < lines.length; i++) {
        if (lines[i]!.charCodeAt(0) === 123) return renderWithJson(lines, head, i);
      }
    }
    return head + text.replaceAll('\n', sep) + '\n';
  };

  /** The slow path for a batch with a line starting with `{` (from index first on). */
  const renderWithJson = (lines: readonly string[], head: string, first: number): string => {
    pretty ??= createJsonLogFormatter(color);
    let out = first > 0 ? head + lines.slice(0, first).join('\n' + head) + '\n' : '';
    for (let i = first; i < lines.length; i++) {
      const line = lines[i]!;
      const shown = (line.charCodeAt(0) === 123 ? pretty(line) : null) ?? line;
      // A record with a stack comes back as several lines: each gets the prefix.
      out += head + (shown === line || !shown.includes('\n') ? shown : shown.replaceAll('\n', '\n' + head)) + '\n';
    }
    return out;
  };

  const msdevLine = (text: string, code: number | null): string => {
    const body = text.includes('\n') ? text.split('\n').join(msdev.sep) : text;
    return msdev.head + (color && code !== null ? paint(code, body) : body) + '\n';
  };

  const formatMessage = (level: MessageEvent['level'], text: string): string =>
    msdevLine(text, level === 'error' ? RED : level === 'warn' ? YELLOW : null);

  const renderState = (event: StateEvent): string | null => {
    if (quiet && event.state !== 'failed') return null;
    // Waiting and starting are noise unless the engine says why.
    if ((event.state === 'pending' || event.state === 'starting') && !event.reason) return null;
    const code = event.state === 'failed' || event.state === 'crashed' ? RED : event.state === 'unhealthy' ? YELLOW : null;
    return msdevLine(describeState(event), code);
  };

  const render = (event: EngineEvent): string | null => {
    switch (event.type) {
      case 'log':
        return renderLog(event);
      case 'state':
        return renderState(event);
      case 'message':
        return quiet && event.level !== 'error' ? null : formatMessage(event.level, event.text);
      case 'ready':
        return quiet ? null : msdevLine(describeReady(event), GREEN);
      case 'settled':
        return quiet && event.code === 0 ? null : msdevLine(describeSettled(event), event.code === 0 ? null : RED);
      case 'health':
        return null; // each probe failure would be noise: the state lines say unhealthy or failed, with the reason
      case 'watch':
        return null; // msdev's own message says it (watching on/off, a pause)
    }
  };

  const listener = (event: EngineEvent): void => {
    const text = render(event);
    if (text !== null) write(text);
  };

  return { listener, formatMessage };
}
