// Services that start a daemon (it leaves their session and keeps their output pipes): stops end, nothing
// is left, whether the daemon keeps msdev's mark in its environment or clears it (then it is found by the
// output pipes it holds).
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, alive, cleanUp, makeProject, runCli, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
});

/** Waits until no pid of the list is alive (a killed process may take a moment to go); returns those left. */
async function survivors(pids: readonly number[], ms = 5_000): Promise<number[]> {
  const until = Date.now() + ms;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

describe.each([
  ['keeps its environment (found by its MSDEV_RUN mark)', ''],
  ['clears its environment (found by the output pipes it holds)', ', DAEMON_CLEARS_ENV: "1"'],
])('a service that starts a daemon that %s', (_kind, daemonEnv) => {
  /** A project whose service `app` runs daemon.sh with these arguments (none: a one-shot). */
  const daemonProject = (args: string, extra = ''): TempProject =>
    makeProject(`
services:
  app:
    command: FIXTURES/daemon.sh ${args}
    env: { PID_FILE: pids${daemonEnv} }
    healthcheck: { log: started }
${extra}`);

  /** The one daemon the service started, gone by the time msdev is done with it. */
  const expectDaemonGone = async (p: TempProject): Promise<void> => {
    const daemons = p.pids('pids');
    expect(daemons).toHaveLength(1);
    expect(await survivors(daemons)).toEqual([]);
  };

  it('smoke --timeout 5s stops it and its daemon', async () => {
    project = daemonProject('sleep 300');
    const result = await runCli(['smoke', '--timeout', '5s'], { cwd: project.dir, timeoutMs: 40_000 });
    expect(result.stderr).toContain('app: stopped');
    expect(result.code).toBe(0);
    await expectDaemonGone(project);
  });

  it('run --timeout 5s -- echo x runs CMD, then stops the service and its daemon', async () => {
    project = daemonProject('sleep 300');
    const result = await runCli(['run', '--timeout', '5s', '--', 'echo', 'x'], { cwd: project.dir, timeoutMs: 40_000 });
    expect(result.stdout).toBe('x\n');
    expect(result.code).toBe(0);
    await expectDaemonGone(project);
  });

  it('a one-shot that starts a daemon and exits 0 is completed, and its daemon is killed', async () => {
    project = daemonProject('');
    const run = new CliRun(['up', '--json'], { cwd: project.dir });
    const { code } = await run.exited;
    expect(run.states()).toContain('app:completed');
    expect(code).toBe(0);
    await expectDaemonGone(project);
  });

  it('Ctrl-C of up stops it, and a daemon that ignores SIGTERM is killed after stop_timeout', async () => {
    project = daemonProject('sleep 300', '    stop_timeout: 1s');
    const run = new CliRun(['up', '--json'], { cwd: project.dir, env: { DAEMON_IGNORES_TERM: '1' } });
    await run.waitState('app', 'healthy');
    expect(project.pids('pids').every(alive)).toBe(true);
    run.signal('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.states()).toContain('app:stopped');
    await expectDaemonGone(project);
  });
});
