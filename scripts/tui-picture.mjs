// Draws docs/tui.svg, the README's picture of the TUI: runs `msdev up` on a copy of examples/quickstart
// in a 160×36 tmux terminal (its own server socket), waits until every service is ready and its CPU
// and memory are sampled, selects api so the detail line shows, captures the screen with its colours
// (`capture-pane -e`) and turns it into an SVG. Always quits msdev, kills the tmux server and removes
// the copy. Needs tmux and a build (`npm run picture` builds first).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ansiToSvg } from './lib/ansi-svg.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const COLS = 160;
const ROWS = 36;
const READY_STATES = ['healthy', 'running', 'completed'];
const SELECT = 'api';
const socket = `msdev-pic-${process.pid}`;
const out = join(root, 'docs', 'tui.svg');

/** Runs one tmux command on our socket; returns its stdout (throws when it fails, unless `quiet`). */
function tmux(args, quiet = false) {
  const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  if (r.status !== 0 && !quiet) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.status === 0 ? r.stdout : null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls the plain screen until check returns something other than undefined; throws with the screen after timeoutMs. */
async function waitFor(what, check, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const screen = tmux(['capture-pane', '-p'], true) ?? '';
    const found = check(screen);
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`);
    await sleep(200);
  }
}

/** The list's rows on screen: name → { state, cpu } (`│● api     healthy     1234  0  5.6s  122ms   1%   48M …`). */
function rows(screen, names) {
  const found = new Map();
  for (const name of names) {
    const m = new RegExp(`^[x│]\\S ${name} +([a-z]+) +(\\d+|-) .*? (\\d+%|-) +(\\S+) `, 'mu').exec(screen);
    if (m) found.set(name, { state: m[1], cpu: m[3] });
  }
  return found;
}

/** The pids msdev recorded for its services, to kill any it left behind. */
function recordedPids(dir) {
  const file = join(dir, '.msdev', 'state.json');
  if (!existsSync(file)) return [];
  const state = JSON.parse(readFileSync(file, 'utf8'));
  return Object.values(state.services ?? {}).map((s) => s.pid).filter((pid) => typeof pid === 'number');
}

/** Whether pid still runs in dir (a service msdev left behind, not a process that got the pid since). */
function isOurs(pid, dir) {
  try {
    return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
  } catch {
    return false;
  }
}

/** Whether the tmux session (and so msdev in it) still runs. */
const running = () => tmux(['has-session'], true) !== null;

async function main() {
  if (spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status !== 0) throw new Error('tmux is not installed: it is the terminal the picture is taken in');
  const bin = join(root, 'bin', 'msdev.js');
  if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first (or `npm run picture`)');
  const dir = mkdtempSync(join(tmpdir(), 'quickstart-'));
  const pids = new Set();
  let socketPath = null;
  try {
    const example = join(root, 'examples', 'quickstart');
    // The example's files only: not the .msdev/ or data/ a local `npm start` leaves there.
    cpSync(example, dir, { recursive: true, filter: (src) => !/^[/\\](\.msdev|data)([/\\]|$)/.test(src.slice(example.length)) });
    const names = Object.keys(parse(readFileSync(join(dir, 'services.yaml'), 'utf8')).services);
    const env = ['env', '-u', 'CI', 'TERM=xterm-256color', 'COLORTERM=', 'LANG=C.UTF-8'];
    if (process.env.MSDEV_CACHE_DIR) env.push(`MSDEV_CACHE_DIR=${process.env.MSDEV_CACHE_DIR}`);
    const quoted = [...env, process.execPath, bin, 'up'].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    tmux(['new-session', '-d', '-x', String(COLS), '-y', String(ROWS), '-c', dir, quoted]);
    socketPath = tmux(['display-message', '-p', '#{socket_path}'], true)?.trim() || null;

    await waitFor('every service ready, with CPU and memory sampled', (screen) => {
      for (const pid of recordedPids(dir)) pids.add(pid);
      const now = rows(screen, names);
      const ready = names.every((n) => READY_STATES.includes(now.get(n)?.state ?? ''));
      const sampled = now.get(SELECT)?.cpu.endsWith('%') ?? false;
      return ready && sampled ? true : undefined;
    });
    tmux(['send-keys', 'j'.repeat(Math.max(0, names.indexOf(SELECT)))]);
    await waitFor(`${SELECT} selected`, (s) => (new RegExp(`^ ${SELECT}: `, 'm').test(s) ? true : undefined));
    await sleep(300); // one more redraw (they are at most 50 ms apart), so the capture is the settled screen

    const capture = tmux(['capture-pane', '-p', '-e', '-N']);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, ansiToSvg(capture, { cols: COLS, rows: ROWS, title: "msdev's terminal UI on examples/quickstart" }));
    console.log(`wrote ${out}`);
  } finally {
    for (const pid of recordedPids(dir)) pids.add(pid);
    if (running()) {
      tmux(['send-keys', 'q'], true);
      for (let i = 0; i < 50 && running(); i++) {
        if (i === 25) tmux(['send-keys', 'q'], true); // still there after 5 s: it may be asking
        await sleep(200);
      }
    }
    tmux(['kill-server'], true);
    if (socketPath !== null) rmSync(socketPath, { force: true }); // a server that exits on its own leaves it
    for (const pid of pids) if (isOurs(pid, dir)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`tui-picture: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
