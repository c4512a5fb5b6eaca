// Issue 6, item 9: a `log:` health check with a catastrophic regular expression must not freeze msdev.
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, alive, cleanUp, makeProject, runCli, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
});

/** A line that makes a backtracking engine try every split of the a's between the two levels. */
const KILLER = `${'a'.repeat(100)}b`;

/** A service that prints the killer line and stays up; its pid goes to `pids`. */
const service = (pattern: string): string => `
services:
  app:
    command: "echo $$$$ >> pids; echo ${KILLER}; sleep 60"
    healthcheck: { log: '${pattern}', interval: 100ms }
`;

describe('a log health check with a catastrophic pattern', () => {
  it('does not freeze up: the line is shown, Ctrl-C stops everything in normal time, nothing is left', async () => {
    // Exponential for a backtracking engine, and not caught by validation (overlapping alternatives).
    project = makeProject(service('(a|aa)+$'));
    const run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitFor(() => run.events().some((e) => e.type === 'log' && e.line === KILLER), 20_000, 'the killer line shown');
    run.signal('SIGINT');
    const exited = await Promise.race([run.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    expect(exited, 'msdev did not stop within 20 s of Ctrl-C').not.toBeNull();
    expect(run.states()).toContain('app:stopped');
    const pids = project.pids('pids');
    expect(pids).toHaveLength(1);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a pattern the linear engine cannot run is cut off by its time budget, and smoke says why', async () => {
    // The lookahead keeps V8's linear-time engine out: this one runs under the time budget.
    project = makeProject(service('(a|aa)+$(?!x)'));
    const { code, stderr } = await runCli(['smoke', '--timeout', '3s'], { cwd: project.dir, timeoutMs: 60_000 });
    expect(code).toBe(1);
    expect(stderr).toContain('✗ app: running: the log pattern /(a|aa)+$(?!x)/ took over 100 ms on the output, so msdev stopped checking it');
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('an obviously catastrophic pattern is a positioned error of validate (exit 2)', async () => {
    project = makeProject(service('(a+)+$'));
    const { code, stdout, stderr } = await runCli(['validate'], { cwd: project.dir });
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/^services\.yaml:5:\d+: services\.app\.healthcheck\.log: "\(a\+\)\+" repeats a group that is itself only repetition/m);
  });
});
