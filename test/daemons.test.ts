// Services that start a daemon (it leaves their session and keeps their output pipes): stops end, nothing is left.
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, alive, cleanUp, makeProject, runCli, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
});

/** A project whose service `app` runs daemon.sh with these arguments. */
function daemonProject(args: string, extra = ''): TempProject {
  return makeProject(`
services:
  app:
    command: FIXTURES/daemon.sh ${args}
    env: { PID_FILE: pids }
    healthcheck: { log: started }
${extra}`);
}

/** Waits until no pid of the list is alive (a killed process may take a moment to go); returns those left. */
async function survivors(pids: readonly number[], ms = 5_000): Promise<number[]> {
  const until = Date.now() + ms;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

describe('a service that starts a daemon', () => {
  it('smoke --timeout 5s stops it and its daemon', async () => {
    project = daemonProject('sleep 300');
    const result = await runCli(['smoke', '--timeout', '5s'], { cwd: project.dir, timeoutMs: 40_000 });
    expect(result.stderr).toContain('app: stopped');
    expect(result.code).toBe(0);
    const daemons = project.pids('pids');
    expect(daemons).toHaveLength(1);
    expect(await survivors(daemons)).toEqual([]);
  });

  it('run --timeout 5s -- echo x runs CMD, then stops the service and its daemon', async () => {
    project = daemonProject('sleep 300');
    const result = await runCli(['run', '--timeout', '5s', '--', 'echo', 'x'], { cwd: project.dir, timeoutMs: 40_000 });
    expect(result.stdout).toBe('x\n');
    expect(result.code).toBe(0);
    expect(await survivors(project.pids('pids'))).toEqual([]);
  });

  it('a one-shot that starts a daemon and exits 0 is completed, and its daemon is killed', async () => {
    project = daemonProject('');
    const run = new CliRun(['up', '--json'], { cwd: project.dir });
    const { code } = await run.exited;
    expect(run.states()).toContain('app:completed');
    expect(code).toBe(0);
    expect(project.pids('pids')).toHaveLength(1);
    expect(await survivors(project.pids('pids'))).toEqual([]);
  });

  it('Ctrl-C of up stops it, and a daemon that ignores SIGTERM is killed after stop_timeout', async () => {
    project = daemonProject('sleep 300', '    stop_timeout: 1s');
    const run = new CliRun(['up', '--json'], { cwd: project.dir, env: { DAEMON_IGNORES_TERM: '1' } });
    await run.waitState('app', 'healthy');
    const daemons = project.pids('pids');
    expect(daemons.every(alive)).toBe(true);
    run.signal('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.states()).toContain('app:stopped');
    expect(await survivors(daemons)).toEqual([]);
  });
});

/**
 * A project whose service `app` starts a daemon that clears its environment (no MSDEV_RUN mark) and leaves
 * the session, keeping the service's stdout and stderr: it is found by the output pipes it holds.
 */
function envClearingProject(then = 'sleep 300'): TempProject {
  return makeProject(`
services:
  app:
    command: setsid -f env -i /bin/sh -c 'echo $$$$ > pids; exec sleep 1000'; while [ ! -s pids ]; do sleep 0.05; done; echo started; ${then}
    healthcheck: { log: started }
`);
}

describe('a service that starts a daemon that clears its environment', () => {
  it('smoke --timeout 5s stops the daemon too', async () => {
    project = envClearingProject();
    const result = await runCli(['smoke', '--timeout', '5s'], { cwd: project.dir, timeoutMs: 40_000 });
    expect(result.stderr).toContain('app: stopped');
    expect(result.code).toBe(0);
    const daemons = project.pids('pids');
    expect(daemons).toHaveLength(1);
    expect(await survivors(daemons)).toEqual([]);
  });

  it('Ctrl-C of up stops the daemon too', async () => {
    project = envClearingProject();
    const run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitState('app', 'healthy');
    const daemons = project.pids('pids');
    expect(daemons).toHaveLength(1);
    expect(daemons.every(alive)).toBe(true);
    run.signal('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.states()).toContain('app:stopped');
    expect(await survivors(daemons)).toEqual([]);
  });

  it('a one-shot that starts one and exits 0 is completed, and the daemon is killed', async () => {
    project = envClearingProject('exit 0');
    const run = new CliRun(['up', '--json'], { cwd: project.dir });
    const { code } = await run.exited;
    expect(run.states()).toContain('app:completed');
    expect(code).toBe(0);
    const daemons = project.pids('pids');
    expect(daemons).toHaveLength(1);
    expect(await survivors(daemons)).toEqual([]);
  });
});
