// `msdev up` in a real terminal (tmux) opens the TUI: the list shows every service getting ready, keys
// restart, stop and start the selected service, `?` lists the keys, and `q` stops everything and gives
// the terminal back in cooked mode.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MSDEV, ROOT, alive, cleanUp, killAll, makeProject, runCli, type TempProject } from './helpers/cli.js';
import { TmuxTerminal, hasTmux } from './helpers/tmux.js';

const inCi = process.env.CI === 'true';
if (!hasTmux && !inCi) console.warn('SKIPPED test/tui.test.ts: tmux is not installed, so there is no terminal to run the TUI in');

const QUICKSTART = join(ROOT, 'examples', 'quickstart');
const CACHE = process.env.MSDEV_CACHE_DIR ?? '';

let project: TempProject | null = null;
let term: TmuxTerminal | null = null;
/** Every service pid seen, killed after the test in case msdev left one. */
const seen = new Set<number>();

afterEach(async () => {
  term?.kill();
  term = null;
  killAll([...seen]);
  seen.clear();
  await cleanUp(project);
  project = null;
});

/** A copy of examples/quickstart in a temp folder. */
function quickstart(): TempProject {
  const files: Record<string, string> = {};
  for (const name of readdirSync(QUICKSTART)) if (name.endsWith('.mjs')) files[name] = readFileSync(join(QUICKSTART, name), 'utf8');
  return makeProject(readFileSync(join(QUICKSTART, 'services.yaml'), 'utf8'), files);
}

/** A service's row of the list: `│● api     healthy     1234 …` (the border may be drawn as `x`). */
interface Row {
  readonly state: string;
  readonly pid: number | null;
}

/** The rows of the list on screen, by service name. */
function rows(screen: string, names: readonly string[]): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const name of names) {
    const m = new RegExp(`^[x│]\\S ${name} +([a-z]+) +(\\d+|-) `, 'mu').exec(screen);
    if (m) out.set(name, { state: m[1]!, pid: m[2] === '-' ? null : Number(m[2]) });
  }
  return out;
}

/** The pids msdev recorded in .msdev/state.json. */
function recordedPids(p: TempProject): Record<string, number | null> {
  const file = p.path('.msdev/state.json');
  if (!existsSync(file)) return {};
  const state = JSON.parse(readFileSync(file, 'utf8')) as { services: Record<string, { pid: number | null }> };
  const out: Record<string, number | null> = {};
  for (const [name, s] of Object.entries(state.services)) {
    out[name] = s.pid;
    if (s.pid !== null) seen.add(s.pid);
  }
  return out;
}

const NAMES = ['migrate', 'api', 'gateway', 'worker'];

/** Starts `msdev up` on a quickstart copy in a cols×rows tmux terminal; `until` waits for list states. */
function startTui(cols: number, height: number) {
  project = quickstart();
  const p = project;
  term = new TmuxTerminal('tui', p.dir, cols, height);
  const t = term;
  t.run(`export PS1='$ ' MSDEV_CACHE_DIR='${CACHE}'; unset CI; "${process.execPath}" "${MSDEV}" up; echo "EXIT=$?"`);
  /** Waits until every named service's row is in one of the states (and returns the rows). */
  const until = (what: string, want: Record<string, readonly string[]>): Promise<Map<string, Row>> =>
    t.waitFor(what, (screen) => {
      const now = rows(screen, NAMES);
      for (const row of now.values()) if (row.pid !== null) seen.add(row.pid);
      return Object.entries(want).every(([name, states]) => states.includes(now.get(name)?.state ?? '')) ? now : undefined;
    });
  return { p, t, until };
}

const READY = { migrate: ['completed'], api: ['healthy'], gateway: ['healthy'], worker: ['running'] };

/** Checks the terminal is back in cooked mode with echo: `stty -a` in the shell msdev ran from. */
async function expectCooked(t: TmuxTerminal): Promise<void> {
  t.run('stty -a');
  const stty = await t.waitFor('stty -a', (s) => (/\bicanon\b/.test(s) ? s : undefined));
  expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
  expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
  expect(stty).not.toMatch(/(^|\s)-icanon(\s|$)/m);
}

describe.skipIf(!hasTmux && !inCi)('msdev up in a terminal: the TUI', () => {
  it('shows the stack getting ready, restarts, stops and starts a service, shows help, and quits cleanly', async () => {
    const { p, t, until } = startTui(120, 40);
    const ready = await until('every service ready', READY);
    expect(t.screen()).toMatch(/4\/4 ready/);
    const pids = recordedPids(p);
    expect(ready.get('api')?.pid).toBe(pids.api);

    // Select gateway (third row) and restart it: a new pid, healthy again; the old process is gone.
    t.keys('j', 'j');
    await t.waitFor('gateway selected', (s) => (/^ gateway: /m.test(s) ? true : undefined));
    const oldGateway = ready.get('gateway')!.pid!;
    t.keys('r');
    const restarted = await t.waitFor('gateway restarted', (s) => {
      const g = rows(s, NAMES).get('gateway');
      return g?.state === 'healthy' && g.pid !== null && g.pid !== oldGateway ? g.pid : undefined;
    });
    seen.add(restarted);
    expect(alive(oldGateway)).toBe(false);

    // Select api and stop it: the list says stopped, its process is gone, its dependents keep their pids.
    t.keys('k');
    await t.waitFor('api selected', (s) => (/^ api: /m.test(s) ? true : undefined));
    const oldApi = ready.get('api')!.pid!;
    const worker = ready.get('worker')!.pid!;
    t.keys('s');
    const stopped = await until('api stopped', { api: ['stopped'] });
    expect(stopped.get('api')?.pid).toBeNull();
    expect(alive(oldApi)).toBe(false);
    expect(stopped.get('gateway')?.pid).toBe(restarted);
    expect(stopped.get('worker')?.pid).toBe(worker);
    expect(alive(restarted) && alive(worker)).toBe(true);
    expect(t.screen()).toMatch(/^ api: stopped by you/m);

    // `s` again starts it.
    t.keys('s');
    const started = await until('api started again', { api: ['healthy'] });
    expect(started.get('api')?.pid).not.toBe(oldApi);

    // `/` finds a line and highlights the match (black on yellow); Escape ends the search.
    t.keys('/');
    t.run('listening');
    await t.waitFor('the search', (s) => (s.includes('/listening/') ? true : undefined));
    expect(t.screen(true)).toMatch(/\u001b\[[0-9;]*43m(?:\u001b\[[0-9;]*m)*listening/);
    t.keys('Escape');
    await t.waitFor('the search ended', (s) => (s.includes('/listening/') ? undefined : true));

    // The header says hot reload is on (the quickstart's api watches api.mjs); `w` turns it off, and an
    // edit of api.mjs then restarts nothing; `w` again turns it on, and the next edit restarts the api.
    expect(t.screen()).toMatch(/[·~] watch on/);
    const apiBefore = rows(t.screen(), NAMES).get('api')!.pid!;
    t.keys('w');
    await t.waitFor('watch off', (s) => (/[·~] watch off/.test(s) ? true : undefined));
    writeFileSync(p.path('api.mjs'), `${readFileSync(p.path('api.mjs'), 'utf8')}\n// edited while watching is off\n`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(rows(t.screen(), NAMES).get('api')?.pid).toBe(apiBefore);
    t.keys('w');
    await t.waitFor('watch on', (s) => (/[·~] watch on/.test(s) ? true : undefined));
    writeFileSync(p.path('api.mjs'), `${readFileSync(p.path('api.mjs'), 'utf8')}\n// edited again\n`);
    const reloaded = await t.waitFor('api restarted by the edit', (s) => {
      const a = rows(s, NAMES).get('api');
      return a?.state === 'healthy' && a.pid !== null && a.pid !== apiBefore ? a.pid : undefined;
    });
    seen.add(reloaded);

    // `?` lists the keys; `?` again closes the help.
    t.keys('?');
    const help = await t.waitFor('the help', (s) => (s.includes('restart the selected service') ? s : undefined));
    for (const text of ['select a service', 'restart all', 'stop / start', 'clear the log pane', 'quit']) expect(help).toContain(text);
    t.keys('?');
    await t.waitFor('the help closed', (s) => (s.includes('restart the selected service') ? undefined : true));

    // `q` stops everything and exits 0; no service is left and the terminal is in cooked mode again.
    const last = recordedPids(p);
    t.keys('q');
    await t.waitFor('msdev to exit', (s) => (/^EXIT=\d+/m.test(s) ? true : undefined), 30_000);
    expect(t.screen()).toMatch(/^EXIT=0$/m);
    for (const pid of [...Object.values(last), ...seen]) if (pid !== null) expect(alive(pid), `pid ${pid} is still alive`).toBe(false);
    expect(existsSync(p.path('.msdev/state.json'))).toBe(false);
    await expectCooked(t);
  });

  it('stops everything and gives the terminal back on SIGTERM (narrow terminal: list above the logs)', async () => {
    const { p, t, until } = startTui(80, 24);
    await until('every service ready', READY);
    const state = JSON.parse(readFileSync(p.path('.msdev/state.json'), 'utf8')) as { pid: number };
    const pids = recordedPids(p);
    process.kill(state.pid, 'SIGTERM');
    await t.waitFor('msdev to exit', (s) => (/^EXIT=\d+/m.test(s) ? true : undefined), 30_000);
    expect(t.screen()).toMatch(/^EXIT=0$/m);
    for (const pid of Object.values(pids)) if (pid !== null) expect(alive(pid), `pid ${pid} is still alive`).toBe(false);
    await expectCooked(t);
  });
  it('up --attach opens the TUI on a detached stack with its history; keys act on it; q detaches and it keeps running', async () => {
    project = quickstart();
    const p = project;
    const up = await runCli(['up', '-d'], { cwd: p.dir });
    expect(up.code, up.stderr).toBe(0);
    const supervisor = (JSON.parse(readFileSync(p.path('.msdev/state.json'), 'utf8')) as { pid: number }).pid;
    seen.add(supervisor);
    const pids = recordedPids(p);
    for (const pid of Object.values(pids)) if (pid !== null) seen.add(pid);
    term = new TmuxTerminal('attach', p.dir, 120, 40);
    const t = term;
    t.run(`export PS1='$ ' MSDEV_CACHE_DIR='${CACHE}'; unset CI; "${process.execPath}" "${MSDEV}" up --attach; echo "EXIT=$?"`);
    const ready = await t.waitFor('every service ready', (screen) => {
      const now = rows(screen, NAMES);
      return Object.entries(READY).every(([name, states]) => states.includes(now.get(name)?.state ?? '')) ? now : undefined;
    });
    expect(ready.get('api')?.pid).toBe(pids.api);
    // Lines written before it opened are in the log pane (the socket's history); q detaches.
    expect(t.screen()).toMatch(/migration done/);
    expect(t.screen()).toMatch(/q detach/);

    // A key acts on the running stack: restart gateway.
    t.keys('j', 'j');
    await t.waitFor('gateway selected', (s) => (/^ gateway: /m.test(s) ? true : undefined));
    t.keys('r');
    const restarted = await t.waitFor('gateway restarted', (s) => {
      const g = rows(s, NAMES).get('gateway');
      return g?.state === 'healthy' && g.pid !== null && g.pid !== pids.gateway ? g.pid : undefined;
    });
    seen.add(restarted);

    // q detaches: the terminal is back, every service still runs under the supervisor.
    t.keys('q');
    await t.waitFor('exit 0', (s) => (/EXIT=0/.test(s) ? true : undefined));
    expect(t.screen()).toMatch(/detached; quickstart keeps running/);
    await expectCooked(t);
    expect(alive(supervisor)).toBe(true);
    expect([pids.api!, pids.worker!, restarted].every(alive)).toBe(true);
    const down = await runCli(['down'], { cwd: p.dir });
    expect(down.code, down.stderr).toBe(0);
    expect([supervisor, pids.api!, pids.worker!, restarted].filter(alive)).toEqual([]);
  }, 60_000);
});
