// A real terminal for the TUI benchmark: a detached tmux session on its own server socket, driven with
// send-keys and read with capture-pane. kill() ends the server (and with it whatever runs in it).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/** Whether tmux is installed. */
export function hasTmux() {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** One tmux server (socket `msdev-bench-<pid>-<name>`) with one cols×rows session running `command` (sh -c) in cwd. */
export class Tmux {
  constructor(name, { cwd, cols, rows, command, env = {} }) {
    this.socket = `msdev-bench-${process.pid}-${name}`;
    const sets = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.run(['new-session', '-d', '-x', String(cols), '-y', String(rows), '-c', cwd, ...sets, command]);
  }

  /** Runs a tmux command on this server; returns its stdout (throws when it fails). */
  run(args) {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** Sends keys as tmux names them (`j`, `q`, `C-c`). */
  keys(...keys) {
    this.run(['send-keys', ...keys]);
  }

  /** What the pane shows now, as plain text. */
  screen() {
    return this.run(['capture-pane', '-p']);
  }

  /** Kills the server and whatever runs in it, and removes its socket file (never fails). */
  kill() {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    const uid = process.getuid?.() ?? 0;
    rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, this.socket), { force: true });
  }
}
