// The shipped examples run: `msdev smoke` brings each up to ready and tears it down. examples/containers/local
// needs the Docker engine (skipped with a reason without one, unless CI=true); examples/containers needs a registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';
import { dockerOrSkip, projectContainers, removeProjectLeftovers } from './helpers/docker-kit.js';

const hasDocker = await dockerOrSkip();

describe('examples', () => {
  it.each(['quickstart', 'python-shop'])('%s gets ready under msdev smoke', async (name) => {
    const { code, stdout, stderr } = await runCli(['smoke', '--timeout', '60s'], { cwd: join(ROOT, 'examples', name), timeoutMs: 90_000 });
    expect(stderr).not.toContain('✗');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^gateway\s+healthy/m);
  });

  it.skipIf(!hasDocker)('containers/local (containers, a local build and a process) gets ready under msdev smoke', { timeout: 150_000 }, async () => {
    const dir = join(ROOT, 'examples', 'containers', 'local');
    try {
      const { code, stdout, stderr } = await runCli(['smoke', '--timeout', '100s'], { cwd: dir, timeoutMs: 120_000 });
      expect(code, stdout + stderr).toBe(0);
      expect(stdout).toMatch(/^web\s+healthy/m);
      expect(stdout).toMatch(/^echo\s+healthy/m);
      expect(stdout).toMatch(/^client\s+completed/m);
      expect(readFileSync(join(dir, '.msdev', 'logs', 'client.log'), 'utf8')).toMatch(/-> 200: hello from msdev-test/);
      expect([...(await projectContainers(dir)).keys()]).toEqual([]);
    } finally {
      await removeProjectLeftovers(dir, ['containers-local-echo:latest']);
    }
  });
});
