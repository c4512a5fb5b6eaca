// The interactive TUI (SPEC §4): one more subscriber of the StackControl. It keeps the services' views
// and a bounded ring of lines, redraws on a coalesced timer, and turns keys into commands.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import blessed from 'blessed';
import type { ServiceView, StackControl, StackEvent } from '../../core/control.js';
import { TERMINAL_STATES } from '../../core/states.js';
import { describeReady, describeState } from '../../output/state-text.js';
import { createJsonLogFormatter } from '../plain/pretty-json-log.js';
import { computeLayout, type Rect } from './layout.js';
import { LogStore } from './log-store.js';
import { HELP_KEYS, KEY_BAR, headerText, helpText, listHead, listRow, paneLine, rowWidth } from './render-text.js';
import { applyEvent, detailLine, headerCounts, serviceRow, type DependsOn } from './view-model.js';

/** What the TUI needs from `up`. */
export interface TuiOptions {
  readonly stack: StackControl;
  /** The project's name, for the header. */
  readonly project: string;
  /** The services of the run in config order (their log colours follow this order). */
  readonly names: readonly string[];
  readonly dependsOn: DependsOn;
  /** Show service lines as they are (`--raw`): no pretty-printing of pino/bunyan JSON records. */
  readonly raw: boolean;
  /** The project's `.msdev/` folder: an error inside the TUI is written to `tui-error.log` there. */
  readonly msdevDir: string;
  /** `q` or Ctrl-C: stop everything (called again on a second Ctrl-C, which forces). */
  readonly onQuit: () => void;
  /** An error inside the TUI: it has closed itself and the stack must be stopped. */
  readonly onFailure: (err: unknown) => void;
  /** The terminal's streams (default: process.stdin and process.stdout). */
  readonly io?: Pick<blessed.Widgets.IScreenOptions, 'input' | 'output' | 'terminal'>;
}

/** An open TUI. */
export interface Tui {
  /** Restores the terminal (leaves the alternate screen, shows the cursor, ends raw mode); safe to call twice. */
  close(): void;
}

/** The least time between two frames (20 frames a second). */
const FRAME_MS = 50;
/** How often the views are refreshed from the stack (uptime, probe reasons). */
const REFRESH_MS = 1000;

/** Writes an error of the TUI to `.msdev/tui-error.log` (best effort: the caller stops the stack either way). */
function writeErrorLog(dir: string, err: unknown): void {
  try {
    mkdirSync(dir, { recursive: true });
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    writeFileSync(join(dir, 'tui-error.log'), `${new Date().toISOString()} ${text}\n`);
  } catch {
    // Nothing more to do: the stack is stopped all the same.
  }
}

/** Opens the TUI on this terminal and subscribes it to the stack; an error while opening is logged, then thrown. */
export function openTui(opts: TuiOptions): Tui {
  try {
    return createTui(opts);
  } catch (err) {
    writeErrorLog(opts.msdevDir, err);
    throw err;
  }
}

function createTui(opts: TuiOptions): Tui {
  const { stack, names } = opts;
  const colorOf = new Map(names.map((n, i) => [n, i]));
  const nameWidth = Math.min(20, Math.max(5, ...names.map((n) => n.length)));
  const store = new LogStore();
  const pretty = opts.raw ? null : createJsonLogFormatter(true);
  let views: readonly ServiceView[] = [];
  let selected = 0;
  let filter: string | null = null;
  let status = '';
  let dirty = true;
  let closed = false;

  const screen = blessed.screen({ smartCSR: true, fullUnicode: true, title: `msdev · ${opts.project}`, warnings: false, autoPadding: false, forceUnicode: true, ...opts.io });
  const box = (o: blessed.Widgets.BoxOptions): blessed.Widgets.BoxElement => blessed.box({ parent: screen, tags: true, ...o });
  // blessed keeps this object as the element's style: changing bg recolours the header.
  const headerStyle = { bg: 'blue', fg: 'white' };
  const header = box({ style: headerStyle });
  const list = box({ border: { type: 'line' }, label: ' services ', wrap: false });
  const logs = box({ border: { type: 'line' }, label: ' logs ', scrollable: true, alwaysScroll: true, wrap: true });
  const detail = box({ style: { fg: 'yellow' } });
  const keys = box({ content: KEY_BAR, style: { bg: 'gray', fg: 'black' } });
  const help = box({ label: ' keys ', border: { type: 'line' }, hidden: true, top: 'center', left: 'center', width: 60, height: HELP_KEYS.length + 2, content: helpText() });

  const place = (el: blessed.Widgets.BoxElement, r: Rect): void => {
    el.top = r.top;
    el.left = r.left;
    el.width = r.width;
    el.height = r.height;
  };

  const render = (): void => {
    dirty = false;
    const layout = computeLayout(Number(screen.width), Number(screen.height), views.length, rowWidth(nameWidth));
    place(header, layout.header);
    place(list, layout.list);
    place(logs, layout.logs);
    place(detail, layout.detail);
    place(keys, layout.keys);
    const now = Date.now();
    const stopping = status === 'stopping everything…';
    header.setContent(headerText(opts.project, headerCounts(views), filter, status));
    headerStyle.bg = stopping ? 'magenta' : 'blue';
    const rows = views.map((v, i) => listRow(serviceRow(v, now), colorOf.get(v.name) ?? i, nameWidth, i === selected));
    list.setContent([listHead(nameWidth), ...rows].join('\n'));
    const current = views[selected];
    detail.setContent(current === undefined ? '' : ` ${blessed.escape(detailLine(current, views, opts.dependsOn))}`);
    const paneRows = Math.max(1, layout.logs.height - 2);
    const lines = store.last(filter, paneRows).map((l) => paneLine(l, colorOf.get(l.source), nameWidth, filter === null));
    logs.setContent(lines.join('\n'));
    logs.setScrollPerc(100);
    screen.render();
  };

  const fail = (err: unknown): void => {
    if (closed) return;
    writeErrorLog(opts.msdevDir, err);
    close();
    opts.onFailure(err);
  };
  /** Runs fn; an exception closes the TUI and stops the stack instead of leaving either half-alive. */
  const guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A): void => {
    try {
      fn(...args);
    } catch (err) {
      fail(err);
    }
  };

  const onEvent = (event: StackEvent): void => {
    switch (event.type) {
      case 'log':
        store.add(event.service, pretty === null ? event.lines : event.lines.map((line) => pretty(line) ?? line));
        break;
      case 'state':
        views = applyEvent(views, event);
        store.add('msdev', [describeState(event)], event.service);
        break;
      case 'snapshot':
        views = applyEvent(views, event);
        break;
      case 'message':
        store.add('msdev', [event.text]);
        break;
      case 'ready':
        store.add('msdev', [describeReady(event)]);
        break;
      case 'settled':
        break;
    }
    dirty = true;
  };
  const unsubscribe = stack.subscribe(guard(onEvent));

  const frame = setInterval(guard(() => dirty && render()), FRAME_MS);
  const refresh = setInterval(guard(() => {
    void stack.snapshot().then(guard((next: readonly ServiceView[]) => {
      views = next;
      dirty = true;
    }), () => undefined);
  }), REFRESH_MS);

  const selectedName = (): string | null => views[selected]?.name ?? null;
  const command = (what: string, run: () => Promise<void>): void => {
    status = what;
    dirty = true;
    run().then(
      () => {
        if (status === what) status = '';
        dirty = true;
      },
      (err: unknown) => {
        status = err instanceof Error ? err.message : String(err);
        dirty = true;
      },
    );
  };
  let helpJustClosed = false;
  const key = (names: string[], fn: () => void): void => {
    screen.key(names, guard(() => {
      if (helpJustClosed) return;
      fn();
      dirty = true;
    }));
  };
  key(['up', 'k'], () => (selected = Math.max(0, selected - 1)));
  key(['down', 'j'], () => (selected = Math.min(views.length - 1, selected + 1)));
  key(['enter'], () => (filter = selectedName()));
  key(['a'], () => (filter = null));
  key(['c'], () => store.clear());
  key(['r'], () => {
    const name = selectedName();
    if (name !== null) command(`restarting ${name}…`, () => stack.restart(name));
  });
  key(['S-r'], () => command('restarting everything…', () => stack.restartAll()));
  key(['s'], () => {
    const view = views[selected];
    if (view === undefined) return;
    if (TERMINAL_STATES.has(view.state)) command(`starting ${view.name}…`, () => stack.start(view.name));
    else command(`stopping ${view.name}…`, () => stack.stop(view.name));
  });
  key(['?'], () => (help.hidden ? help.show() : help.hide()));
  // Any key closes the help (and does nothing else); keypress comes before the key's own handler.
  screen.on('keypress', guard((_ch: string | undefined, k: { full?: string } | undefined) => {
    helpJustClosed = !help.hidden && k?.full !== '?';
    if (helpJustClosed) {
      help.hide();
      dirty = true;
    }
  }));
  screen.key(['q', 'C-c'], guard(() => {
    status = 'stopping everything…';
    dirty = true;
    opts.onQuit();
  }));
  screen.on('resize', guard(() => render()));

  function close(): void {
    if (closed) return;
    closed = true;
    clearInterval(frame);
    clearInterval(refresh);
    unsubscribe();
    process.removeListener('exit', close);
    screen.destroy();
    if (opts.io?.input === undefined && process.stdin.isTTY) {
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
  }
  // Whatever ends the process (a forced second Ctrl-C, a crash) leaves the terminal as it found it.
  process.on('exit', close);
  guard(render)();
  return {
    close: () => {
      if (!closed) guard(render)();
      close();
    },
  };
}
