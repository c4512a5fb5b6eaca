// A real terminal for e2e tests: a detached tmux session on its own server socket, driven with
// send-keys and read with capture-pane.
import { spawnSync } from 'node:child_process';

/** Whether tmux is installed. */
export const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

/** One tmux server (its own socket) with one session running a plain bash. */
export class TmuxTerminal {
  private readonly socket: string;

  constructor(name: string, cwd: string, cols: number, rows: number) {
    this.socket = `msdev-test-${process.pid}-${name}`;
    this.tmux(['new-session', '-d', '-x', String(cols), '-y', String(rows), '-c', cwd, 'bash --norc --noprofile']);
  }

  private tmux(args: readonly string[]): string {
    const result = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }

  /** Sends keys as tmux names them (`j`, `Enter`, `C-c`, `?`). */
  keys(...keys: string[]): void {
    this.tmux(['send-keys', ...keys]);
  }

  /** Types a command line literally and presses Enter. */
  run(line: string): void {
    this.tmux(['send-keys', '-l', line]);
    this.tmux(['send-keys', 'Enter']);
  }

  /** What the pane shows now, as text (with its colours as SGR codes when `escapes`). */
  screen(escapes = false): string {
    return this.tmux(['capture-pane', '-p', ...(escapes ? ['-e'] : [])]);
  }

  /** Polls the screen until check returns something other than undefined; throws with the screen after timeoutMs. */
  async waitFor<T>(what: string, check: (screen: string) => T | undefined, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = this.screen();
      const found = check(screen);
      if (found !== undefined) return found;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Kills the tmux server and whatever runs in it (they get SIGHUP). */
  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
  }
}
