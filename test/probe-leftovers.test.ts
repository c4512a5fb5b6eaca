// An exec health check whose command leaves processes behind: they never outlive the probe, nor msdev.
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, alive, cleanUp, makeProject, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
});

describe('exec health checks', () => {
  it('what a probe starts in the background (quiet, or in its own session) is killed after each probe', async () => {
    // Each probe starts two `sleep 1007`: one that let go of the probe's output, one that left its session.
    project = makeProject(`
services:
  app:
    command: exec sleep 300
    healthcheck:
      exec: "sleep 1007 >/dev/null 2>&1 & echo $! >> pids; setsid -f sh -c 'echo $$$$ >> pids; exec sleep 1007' >/dev/null 2>&1; sleep 0.2; true"
      interval: 100ms
`);
    const run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitState('app', 'healthy');
    await run.waitFor(() => project!.pids('pids').length >= 8, 20_000, 'four probes');
    // Earlier probes' processes are gone while msdev still runs.
    const early = project.pids('pids').slice(0, 4);
    const until = Date.now() + 5_000;
    while (early.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(early.filter(alive)).toEqual([]);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    const all = project.pids('pids');
    const end = Date.now() + 5_000;
    while (all.some(alive) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(all.filter(alive)).toEqual([]);
  });
});
