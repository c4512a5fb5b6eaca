// The text of the TUI's parts as blessed content (tags such as `{green-fg}` and SGR codes), built from
// the view model; no screen here, so what a frame shows can be tested as strings.
import { MSDEV_COLOR, paint, serviceColor } from '../plain/ansi.js';
import type { PaneLine } from './log-store.js';
import { stripSgr } from './pane-scroll.js';
import type { ServiceRow } from './view-model.js';

/** The keys, as the help overlay lists them. */
export const HELP_KEYS: readonly (readonly [string, string])[] = [
  ['↑/↓  j/k', 'select a service'],
  ['Enter', 'only the selected service’s logs'],
  ['a', 'the logs of all services'],
  ['r', 'restart the selected service'],
  ['R', 'restart all (dependency order)'],
  ['s', 'stop / start the selected service'],
  ['w', 'hot reload (watch) on / off'],
  ['c', 'clear the log pane'],
  ['/  n  N', 'search (regex), older / newer match'],
  ['PgUp PgDn', 'scroll (wheel too); End follows again'],
  ['Home End', 'oldest line / follow the newest'],
  ['?', 'this help (any key closes it)'],
  ['q  Ctrl-C', 'quit: stop everything (Ctrl-C twice: kill)'],
];

/** What `q` says under `up --attach`, where quitting leaves the stack running. */
const DETACH_KEY: readonly [string, string] = ['q  Ctrl-C', 'detach: close this view, the stack keeps running'];

/** The one-line key bar, in `width` columns; `attached`: `q` detaches instead of stopping the stack. */
export function keyBar(attached = false, width = Infinity): string {
  const keys = ['↑↓ select', '⏎ only', 'a all', 'r/R restart', 's stop/start', 'w watch', '/ search', '? help', `q ${attached ? 'detach' : 'quit'}`];
  const wide = ` ${keys.join('  ')}`;
  // A narrow terminal gets the keys one space apart rather than losing the last ones.
  return wide.length <= width ? wide : ` ${keys.join(' ')}`;
}

/** Escapes blessed's tag braces in text that is not ours. */
export function escapeTags(text: string): string {
  return text.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}

// Control sequences other than SGR colours (cursor moves, clears, titles) and control characters would
// break the layout: they are dropped; tabs become spaces.
const UNSAFE = /\x1b\[[0-9;?]*[A-Za-ln-z@`]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[^[\]]|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/g;

/** A service's line made safe for the pane: only SGR sequences kept, tags escaped. */
export function safeLine(text: string): string {
  return escapeTags(text.replace(UNSAFE, '').replaceAll('\t', '    '));
}

/** Pads or cuts to exactly n cells. */
function fit(text: string, n: number): string {
  return text.length > n ? text.slice(0, n) : text.padEnd(n);
}

/** The column heads of the list, aligned with listRow. */
export function listHead(nameWidth: number): string {
  return `{bold}  ${fit('SERVICE', nameWidth)} ${fit('STATE', 9)} ${'PID'.padStart(7)} ${'↻'.padStart(2)} ${'UP'.padStart(6)} ${'READY'.padStart(6)} ${'CPU'.padStart(4)} ${'MEM'.padStart(5)}  URL/PORT{/bold}`;
}

/** The width a list row takes (without the URL/port beyond its first 22 cells). */
export function rowWidth(nameWidth: number): number {
  return 2 + nameWidth + 1 + 9 + 1 + 7 + 1 + 2 + 1 + 6 + 1 + 6 + 1 + 4 + 1 + 5 + 2 + 22;
}

/** One row of the list: symbol and state in the state's colour, the name in its log colour; inverse when selected. */
export function listRow(row: ServiceRow, colorIndex: number, nameWidth: number, selected: boolean): string {
  const open = `{${row.color}-fg}`;
  const close = `{/${row.color}-fg}`;
  const name = paint(serviceColor(colorIndex), escapeTags(fit(row.name, nameWidth)));
  const rest = `${row.pid.padStart(7)} ${row.restarts.padStart(2)} ${row.uptime.padStart(6)} ${row.toReady.padStart(6)} ${row.cpu.padStart(4)} ${row.mem.padStart(5)}  ${escapeTags(row.address)}`;
  const line = `${open}${row.symbol}${close} ${name} ${open}${fit(row.state, 9)}${close} ${rest}`;
  return selected ? `{inverse}${line}{/inverse}` : line;
}

/** A line's text with the matches of `re` highlighted (its own colours dropped then), made safe for the pane. */
export function highlight(text: string, re: RegExp): string {
  const plain = stripSgr(text).replace(UNSAFE, '').replaceAll('\t', '    ');
  const all = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let out = '';
  let at = 0;
  for (const m of plain.matchAll(all)) {
    if (m[0] === '') continue;
    out += `${escapeTags(plain.slice(at, m.index))}{black-fg}{yellow-bg}${escapeTags(m[0])}{/yellow-bg}{/black-fg}`;
    at = m.index + m[0].length;
  }
  return out + escapeTags(plain.slice(at));
}

/** A line of the log pane: `NAME | text`, NAME padded and in its colour (msdev's own in grey); matches of `search` highlighted. */
export function paneLine(line: PaneLine, colorIndex: number | undefined, nameWidth: number, showName: boolean, search: RegExp | null = null): string {
  const text = search !== null && search.test(stripSgr(line.text)) ? highlight(line.text, search) : safeLine(line.text);
  if (!showName && line.source !== 'msdev') return text;
  const color = colorIndex === undefined ? MSDEV_COLOR : serviceColor(colorIndex);
  return `${paint(color, escapeTags(fit(line.source, nameWidth)))} | ${text}`;
}

/** The header: project, counts (red when something failed), which logs the pane shows, hot reload (when a service watches), and a status. */
export function headerText(project: string, counts: { text: string; failed: number }, filter: string | null, status: string, watching: boolean | null = null): string {
  const countText = counts.failed > 0 ? `{red-fg}${counts.text}{/red-fg}` : counts.text;
  const shown = filter === null ? 'all logs' : `logs of ${escapeTags(filter)}`;
  const watch = watching === null ? '' : watching ? ' · watch on' : ' · {yellow-fg}watch off{/yellow-fg}';
  return ` {bold}msdev{/bold} · ${escapeTags(project)} · ${countText} · ${shown}${watch}${status !== '' ? ` · ${escapeTags(status)}` : ''}`;
}

/** The help overlay's text. */
export function helpText(attached = false): string {
  return (attached ? [...HELP_KEYS.slice(0, -1), DETACH_KEY] : HELP_KEYS).map(([key, what]) => ` {bold}${fit(key, 10)}{/bold} ${what}`).join('\n');
}
