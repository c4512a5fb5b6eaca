// Usage errors exit 2 with a one-line reason and a hint; --help and --version exit 0.
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

describe('command line usage', () => {
  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['up', '--frob'], "unknown option '--frob'"],
    [['graph', '--format', 'png'], "option '--format <format>' argument 'png' is invalid"],
    [['run', '--timeout', 'soon', '--', 'true'], '--timeout soon: not a duration'],
    [['up', '--', 'echo'], 'msdev up takes nothing after --'],
  ])('msdev %j exits 2 with a one-line reason', async (args, reason) => {
    const { code, stderr, stdout } = await runCli(args, { cwd: ROOT });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toContain(reason);
    expect(lines[0]).toMatch(/^msdev: /);
    expect(lines.at(-1)).toContain('msdev --help');
    expect(lines.length).toBeLessThanOrEqual(3);
  });

  it('prints help and the version', async () => {
    const help = await runCli(['--help'], { cwd: ROOT });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: msdev');
    const version = await runCli(['--version'], { cwd: ROOT });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
