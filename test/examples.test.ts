// The shipped examples run: `msdev smoke` brings each up to ready and tears it down.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

describe('examples', () => {
  it.each(['quickstart', 'python-shop'])('%s gets ready under msdev smoke', async (name) => {
    const { code, stdout, stderr } = await runCli(['smoke', '--timeout', '60s'], { cwd: join(ROOT, 'examples', name), timeoutMs: 90_000 });
    expect(stderr).not.toContain('✗');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^gateway\s+healthy/m);
  });
});
