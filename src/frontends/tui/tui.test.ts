// The TUI on a fake terminal (pass-through streams) and a fake stack: keys become commands, and an
// error inside it is logged, closes it and asks for the stack to be stopped.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServiceView, StackControl, StackEvent, StackListener } from '../../core/control.js';
import type { MessageEvent } from '../../core/events.js';
import type { ServiceState } from '../../core/states.js';
import { openTui, type Tui } from './tui.js';

function view(name: string, state: ServiceState): ServiceView {
  return {
    name, kind: 'process', state, ready: state === 'healthy', reason: null, probeReason: null, healthcheck: null, pid: 100,
    container: null, port: null, url: null, restarts: 0, userStopped: false, startedAt: 0, readyAt: null, recent: [], watch: null,
  };
}

/** A stack whose commands only record their calls. */
function fakeStack(views: ServiceView[], messages: MessageEvent[] = []) {
  const listeners = new Set<StackListener>();
  const stack = {
    subscribe: (l: StackListener) => {
      l({ type: 'snapshot', ts: 0, services: views, messages, watching: null });
      listeners.add(l);
      return () => listeners.delete(l);
    },
    snapshot: () => Promise.resolve(views),
    up: vi.fn(),
    whenReady: vi.fn(),
    start: vi.fn(() => Promise.resolve()),
    stop: vi.fn(() => Promise.resolve()),
    restart: vi.fn(() => Promise.resolve()),
    restartAll: vi.fn(() => Promise.resolve()),
    shutdown: vi.fn(() => Promise.resolve()),
    setWatching: vi.fn(),
    usage: () => Promise.resolve(views.map((v) => ({ name: v.name, cpuPercent: v.pid === null ? null : 12, memoryBytes: v.pid === null ? null : 40 * 1024 * 1024 }))),
  } satisfies StackControl;
  const emit = (event: StackEvent): void => listeners.forEach((l) => l(event));
  return { stack, emit, listeners };
}

let tui: Tui | null = null;
let dir: string | null = null;

afterEach(() => {
  tui?.close();
  tui = null;
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function open(views: ServiceView[]) {
  dir = mkdtempSync(join(tmpdir(), 'msdev-tui-'));
  const fake = fakeStack(views);
  const input = new PassThrough();
  const output = Object.assign(new PassThrough(), { columns: 100, rows: 30, isTTY: true });
  output.resume();
  const onQuit = vi.fn();
  const onFailure = vi.fn();
  tui = openTui({ stack: fake.stack, project: 'demo', names: views.map((v) => v.name), dependsOn: {}, raw: false, msdevDir: join(dir, '.msdev'), onQuit, onFailure, io: { input, output, terminal: 'xterm' } });
  const press = async (...keys: string[]): Promise<void> => {
    for (const k of keys) input.write(k);
    await new Promise((r) => setTimeout(r, 20));
  };
  return { ...fake, press, onQuit, onFailure, dir };
}

describe('the TUI', () => {
  it('turns keys into commands on the selected service', async () => {
    const t = open([view('db', 'healthy'), view('api', 'healthy'), view('web', 'stopped')]);
    await t.press('j', 'r');
    expect(t.stack.restart).toHaveBeenCalledWith('api');
    await t.press('s');
    expect(t.stack.stop).toHaveBeenCalledWith('api');
    await t.press('j', 's');
    expect(t.stack.start).toHaveBeenCalledWith('web');
    expect(t.stack.stop).toHaveBeenCalledTimes(1);
    await t.press('R');
    expect(t.stack.restartAll).toHaveBeenCalledTimes(1);
    await t.press('q');
    expect(t.onQuit).toHaveBeenCalledTimes(1);
  });

  it('does nothing else with the key that closes the help', async () => {
    const t = open([view('db', 'healthy'), view('api', 'healthy')]);
    await t.press('?', 'r');
    expect(t.stack.restart).not.toHaveBeenCalled();
    await t.press('r');
    expect(t.stack.restart).toHaveBeenCalledWith('db');
  });

  it('logs an error inside it, closes and asks for the stack to stop', async () => {
    const t = open([view('db', 'healthy')]);
    // A state the view model does not know makes rendering throw.
    t.emit({ type: 'state', ts: 1, service: 'db', state: 'bogus' as ServiceState, prev: 'healthy', reason: null, pid: 1, restarts: 0, ready: false, userStopped: false, startedAt: 0 });
    await new Promise((r) => setTimeout(r, 120));
    expect(t.onFailure).toHaveBeenCalledTimes(1);
    const log = join(t.dir, '.msdev', 'tui-error.log');
    expect(existsSync(log)).toBe(true);
    expect(readFileSync(log, 'utf8')).toMatch(/TypeError/);
    // Closed: unsubscribed, no more frames.
    expect(t.listeners.size).toBe(0);
  });
});

describe('golden screens', () => {
  /** Four services in every kind of state, with fixed pids and no times, and a few log lines. */
  function frame(columns: number, rows: number): string {
    dir = mkdtempSync(join(tmpdir(), 'msdev-tui-'));
    const views: ServiceView[] = [
      { ...view('migrate', 'completed'), pid: null },
      { ...view('api', 'healthy'), pid: 4242, port: 3000, url: 'http://127.0.0.1:3000', restarts: 1, startedAt: null },
      { ...view('gateway', 'pending'), pid: null, startedAt: null },
      { ...view('worker', 'crashed'), pid: null, reason: 'exit code 1; restart 2 in 2s', startedAt: null },
    ];
    const fake = fakeStack(views);
    const output = Object.assign(new PassThrough(), { columns, rows, isTTY: true });
    output.resume();
    tui = openTui({
      stack: fake.stack, project: 'quickstart', names: views.map((v) => v.name), dependsOn: { gateway: { api: 'healthy' } }, raw: false,
      msdevDir: join(dir, '.msdev'), onQuit: () => undefined, onFailure: () => undefined, io: { input: new PassThrough(), output, terminal: 'xterm' },
    });
    fake.emit({ type: 'log', ts: 1, service: 'api', stream: 'stdout', text: '', lines: ['api listening on http://127.0.0.1:3000', 'GET /items {"n":3}'] });
    fake.emit({ type: 'log', ts: 2, service: 'worker', stream: 'stderr', text: '', lines: ['\u001b[31mError: boom\u001b[39m'] });
    fake.emit({ type: 'message', ts: 3, level: 'warn', text: 'worker crashed' });
    return tui.text();
  }

  it('at 80×24: the list above the logs', async () => {
    await expect(frame(80, 24)).toMatchFileSnapshot('./golden/80x24.txt');
  });

  it('at 160×48: the list beside the logs', async () => {
    await expect(frame(160, 48)).toMatchFileSnapshot('./golden/160x48.txt');
  });
});

describe('the TUI log pane', () => {
  it('shows msdev\'s messages said before it opened, and an error\'s stack as lines of their own', async () => {
    dir = mkdtempSync(join(tmpdir(), 'msdev-tui-'));
    const fake = fakeStack([view('api', 'healthy')], [{ type: 'message', ts: 0, level: 'warn', text: 'killed what an earlier msdev left running: api (pid 7)' }]);
    const output = Object.assign(new PassThrough(), { columns: 160, rows: 30, isTTY: true });
    output.resume();
    tui = openTui({
      stack: fake.stack, project: 'demo', names: ['api'], dependsOn: {}, raw: false,
      msdevDir: join(dir, '.msdev'), onQuit: () => undefined, onFailure: () => undefined, io: { input: new PassThrough(), output, terminal: 'xterm' },
    });
    fake.emit({ type: 'log', ts: 1, service: 'api', stream: 'stdout', text: '', lines: ['{"level":50,"time":1,"msg":"boom","err":{"message":"x","stack":"Error: x\\n    at handler (api.js:9:3)"}}'] });
    await new Promise((r) => setTimeout(r, 120));
    const screen = tui.text();
    expect(screen).toContain('killed what an earlier msdev left running: api (pid 7)');
    const lines = screen.split('\n');
    const at = lines.findIndex((l) => l.includes('ERROR: boom'));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toContain('Error: x');
    expect(lines[at + 2]).toContain('at handler (api.js:9:3)');
  });
});
