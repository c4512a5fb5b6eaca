// `msdev up --no-tui` with stdout on a real terminal (a pty from util-linux `script`): plain `NAME | text` lines.
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { MSDEV, cleanUp, makeProject, type TempProject } from './helpers/cli.js';

/** `script` gives the command a pseudo-terminal; without it the test cannot run (it must in CI). */
const hasScript = spawnSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' }).status === 0;
const inCi = process.env.CI === 'true';
if (!hasScript && !inCi) console.warn('SKIPPED test/up-no-tui.test.ts: `script` (util-linux) is not installed, so there is no terminal to run msdev in');

let project: TempProject | null = null;
let group: number | null = null;

afterEach(async () => {
  if (group !== null) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // gone
    }
    group = null;
  }
  await cleanUp(project);
  project = null;
});

/** Runs `node msdev ARGS` in a pty in the project folder; resolves with what the terminal showed, ANSI codes kept. */
function inTerminal(dir: string, args: string): Promise<{ code: number | null; screen: string }> {
  const command = `"${process.execPath}" "${MSDEV}" ${args}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', CI: '', TERM: 'xterm-256color' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  group = child.pid!;
  let screen = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (screen += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (screen += s));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, screen })));
}

/** The terminal's text without colour codes and carriage returns, as lines. */
function plainLines(screen: string): string[] {
  return screen.replace(/\u001b\[[0-9;]*m/g, '').replaceAll('\r', '').split('\n');
}

describe.skipIf(!hasScript && !inCi)('msdev up --no-tui in a terminal', () => {
  it('prints plain NAME | text lines (in colour: stdout is a terminal)', async () => {
    project = makeProject(`
services:
  hello:
    command: "echo hi there; echo second line"
    restart: "no"
`);
    const { code, screen } = await inTerminal(project.dir, 'up --no-tui');
    expect(code, screen).toBe(0);
    // Colour shows msdev saw a terminal, so --no-tui (not a pipe) is what made the output plain.
    expect(screen).toMatch(/\u001b\[[0-9;]*m/);
    const lines = plainLines(screen);
    expect(lines, screen).toContain('hello | hi there');
    expect(lines, screen).toContain('hello | second line');
    expect(lines.some((l) => l.startsWith('{')), screen).toBe(false);
  }, 30_000);

  it('--json in a terminal is still one JSON object a line', async () => {
    project = makeProject(`
services:
  hello:
    command: "echo hi there"
    restart: "no"
`);
    const { code, screen } = await inTerminal(project.dir, 'up --json');
    expect(code, screen).toBe(0);
    const lines = plainLines(screen).filter((l) => l !== '');
    const events = lines.map((l) => JSON.parse(l) as { type: string; line?: string });
    expect(events.find((e) => e.type === 'log')?.line).toBe('hi there');
    expect(events.at(-1)?.type).toBe('exit');
  }, 30_000);
});
