// The interactive TUI (SPEC §4): one more subscriber of the StackControl. It keeps the services' views
// and a bounded ring of lines, redraws on a coalesced timer, and turns keys into commands.
import blessed from 'blessed';
import type { ServiceUsage, ServiceView, StackControl, StackEvent } from '../../core/control.js';
import { TERMINAL_STATES } from '../../core/states.js';
import { describeReady, describeState } from '../../output/state-text.js';
import { createJsonLogFormatter } from '../plain/pretty-json-log.js';
import { writeErrorLog } from './error-log.js';
import { computeLayout, type Rect } from './layout.js';
import { LogStore } from './log-store.js';
import { PaneScroll, findMatch, parseSearch } from './pane-scroll.js';
import { HELP_KEYS, headerText, helpText, keyBar, listHead, listRow, paneLine, rowWidth } from './render-text.js';
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
  /** Opened by `up --attach` on a running msdev: `q` detaches (the key bar and help say so). */
  readonly attached?: boolean;
  /** `q` or Ctrl-C: stop everything (called again on a second Ctrl-C, which forces); under `attached`, detach. */
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
  /** What the screen shows now, as plain text (no colours), one line a row: for golden tests and bug reports. */
  text(): string;
}

/** The least time between two frames (20 frames a second). */
const FRAME_MS = 50;
/** How often CPU and memory are sampled from /proc. */
const USAGE_MS = 2000;

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
  /** Hot reload on or off; null when no service watches. */
  let watching: boolean | null = null;
  let seenSnapshot = false;
  let filter: string | null = null;
  let status = '';
  const scroll = new PaneScroll();
  let search: RegExp | null = null;
  let quitting = false;
  let usage = new Map<string, ServiceUsage>();
  let dirty = true;
  /** The pending redraw, if any: one per change burst, at most one every FRAME_MS, none at rest. */
  let frameTimer: NodeJS.Timeout | null = null;
  let lastFrame = 0;
  const invalidate = (): void => {
    dirty = true;
    if (frameTimer !== null || closed) return;
    frameTimer = setTimeout(() => {
      frameTimer = null;
      if (!dirty || closed) return;
      lastFrame = Date.now();
      guard(render)();
    }, Math.max(0, lastFrame + FRAME_MS - Date.now()));
  };
  let closed = false;

  const screen = blessed.screen({ smartCSR: true, fullUnicode: true, title: `msdev · ${opts.project}`, warnings: false, autoPadding: false, forceUnicode: true, ...opts.io });
  const box = (o: blessed.Widgets.BoxOptions): blessed.Widgets.BoxElement => blessed.box({ parent: screen, tags: true, ...o });
  // blessed keeps this object as the element's style: changing bg recolours the header.
  const headerStyle = { bg: 'blue', fg: 'white' };
  const header = box({ style: headerStyle });
  const list = box({ border: { type: 'line' }, label: ' services ', wrap: false });
  const logs = box({ border: { type: 'line' }, label: ' logs ', scrollable: true, alwaysScroll: true, wrap: true });
  const detail = box({ style: { fg: 'yellow' } });
  const keys = box({ style: { bg: 'gray', fg: 'black' } });
  const prompt = blessed.textbox({ parent: screen, hidden: true, height: 1, style: { bg: 'black', fg: 'white' } });
  const help = box({ label: ' keys ', border: { type: 'line' }, hidden: true, top: 'center', left: 'center', width: 60, height: HELP_KEYS.length + 2, content: helpText(opts.attached) });

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
    keys.setContent(keyBar(opts.attached, layout.keys.width));
    const now = Date.now();
    const stopping = status === 'stopping everything…';
    header.setContent(headerText(opts.project, headerCounts(views), filter, status, watching));
    headerStyle.bg = stopping ? 'magenta' : 'blue';
    const rows = views.map((v, i) => listRow(serviceRow(v, now, usage.get(v.name)), colorOf.get(v.name) ?? i, nameWidth, i === selected));
    list.setContent([listHead(nameWidth), ...rows].join('\n'));
    const current = views[selected];
    detail.setContent(current === undefined ? '' : ` ${blessed.escape(detailLine(current, views, opts.dependsOn))}`);
    const paneRows = Math.max(1, layout.logs.height - 2);
    const shown = store.last(filter, paneRows + scroll.offset).slice(0, paneRows);
    logs.setContent(shown.map((l) => paneLine(l, colorOf.get(l.source), nameWidth, filter === null, search)).join('\n'));
    const label = ` logs${scroll.following ? '' : ` (${scroll.offset} back, End)`}${search === null ? '' : ` /${search.source}/`} `;
    logs.setLabel(label.length > layout.logs.width - 4 ? `${label.slice(0, Math.max(0, layout.logs.width - 6))}… ` : label);
    place(prompt, layout.keys);
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
    const before = store.added(filter);
    switch (event.type) {
      case 'log':
        // A pretty record with an error's stack comes back as several lines.
        store.add(event.service, pretty === null ? event.lines : event.lines.flatMap((line) => (pretty(line) ?? line).split('\n')));
        break;
      case 'state':
        views = applyEvent(views, event);
        store.add('msdev', [describeState(event)], event.service);
        break;
      case 'snapshot':
        views = applyEvent(views, event);
        watching = event.watching;
        // A first snapshot brings what was said before this view opened; a later one (the config was reloaded) only the new shape.
        if (!seenSnapshot) for (const message of event.messages) store.add('msdev', [message.text]);
        seenSnapshot = true;
        selected = Math.min(selected, Math.max(0, views.length - 1));
        break;
      case 'watch':
        watching = event.enabled;
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
    // A scrolled-back pane keeps showing the same lines while new ones arrive below.
    scroll.added(store.added(filter) - before, store.size(filter));
    invalidate();
  };
  const unsubscribe = stack.subscribe(guard(onEvent));

  // CPU and memory of every service's process tree, from the stack, every USAGE_MS (not more: it reads /proc).
  const sampling = setInterval(guard(() => {
    void stack.usage().then(guard((list: readonly ServiceUsage[]) => {
      usage = new Map(list.map((u) => [u.name, u]));
      invalidate();
    }), () => undefined);
  }), USAGE_MS);

  const selectedName = (): string | null => views[selected]?.name ?? null;
  const command = (what: string, run: () => Promise<void>): void => {
    status = what;
    invalidate();
    run().then(
      () => {
        if (status === what) status = '';
        invalidate();
      },
      (err: unknown) => {
        status = err instanceof Error ? err.message : String(err);
        invalidate();
      },
    );
  };
  let helpJustClosed = false;
  const key = (names: string[], fn: () => void): void => {
    screen.key(names, guard(() => {
      if (helpJustClosed) return;
      fn();
      invalidate();
    }));
  };
  key(['up', 'k'], () => (selected = Math.max(0, selected - 1)));
  key(['down', 'j'], () => (selected = Math.min(views.length - 1, selected + 1)));
  const showOnly = (name: string | null): void => {
    filter = name;
    scroll.jump('newest', 0);
  };
  key(['enter'], () => showOnly(selectedName()));
  key(['a'], () => showOnly(null));
  key(['c'], () => {
    store.clear();
    scroll.jump('newest', 0);
  });
  const page = (): number => Math.max(1, Number(logs.height) - 3);
  key(['pageup'], () => scroll.scroll(page(), store.size(filter)));
  key(['pagedown'], () => scroll.scroll(-page(), store.size(filter)));
  key(['home'], () => scroll.jump('oldest', store.size(filter)));
  key(['end'], () => scroll.jump('newest', 0));
  logs.on('wheelup', guard(() => {
    scroll.scroll(3, store.size(filter));
    invalidate();
  }));
  logs.on('wheeldown', guard(() => {
    scroll.scroll(-3, store.size(filter));
    invalidate();
  }));
  // A click on a row of the list selects it (below the border and the column heads).
  list.on('click', guard((data: blessed.Widgets.Events.IMouseEventArg) => {
    const row = data.y - Number(list.atop) - 2;
    if (row >= 0 && row < views.length) selected = row;
    invalidate();
  }));
  /** Moves the pane to the next match of the search, older or newer; from offset (default: the bottom row's). */
  const toMatch = (direction: 'older' | 'newer', from = scroll.offset): void => {
    if (search === null) return;
    const found = findMatch(store.last(filter, store.size(filter)), search, from, direction);
    if (found === null) status = `no ${from < scroll.offset ? '' : 'more '}match for /${search.source}/`;
    else scroll.set(found);
  };
  key(['/'], () => {
    prompt.setValue('');
    prompt.show();
    keys.hide();
    render();
    prompt.readInput(guard((_err: unknown, value: string | undefined) => {
      prompt.hide();
      keys.show();
      invalidate();
      if (value === undefined || value === '') return;
      const parsed = parseSearch(value);
      if (typeof parsed === 'string') {
        status = `bad search: ${parsed}`;
        return;
      }
      search = parsed;
      status = '';
      // The newest match first, the bottom row included.
      toMatch('older', scroll.offset - 1);
    }));
  });
  key(['n'], () => toMatch('older'));
  key(['S-n'], () => toMatch('newer'));
  key(['escape'], () => (search = null));
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
  key(['w'], () => {
    if (watching === null) status = 'no service watches its files (watch: in services.yaml)';
    else stack.setWatching(!watching);
  });
  key(['?'], () => (help.hidden ? help.show() : help.hide()));
  // Any key closes the help (and does nothing else); keypress comes before the key's own handler.
  screen.on('keypress', guard((_ch: string | undefined, k: { full?: string } | undefined) => {
    helpJustClosed = !help.hidden && k?.full !== '?';
    if (helpJustClosed) {
      help.hide();
      invalidate();
    }
  }));
  // `q` asks once; Ctrl-C goes through every time, so that a second one forces.
  screen.key(['q', 'C-c'], guard((_ch: unknown, k: { full?: string } | undefined) => {
    if (quitting && k?.full === 'q') return;
    quitting = true;
    status = 'stopping everything…';
    invalidate();
    opts.onQuit();
  }));
  screen.on('resize', guard(() => render()));

  function close(): void {
    if (closed) return;
    closed = true;
    if (frameTimer !== null) clearTimeout(frameTimer);
    clearInterval(sampling);
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
    text: () => {
      if (!closed && dirty) guard(render)();
      // blessed's drawn cells: each row an array of [attributes, character].
      const rows = (screen as unknown as { lines: [number, string][][] }).lines;
      return rows.map((row) => row.map((cell) => cell[1]).join('').trimEnd()).join('\n');
    },
  };
}
