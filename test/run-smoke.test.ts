// msdev run and msdev smoke against real processes: exit codes, registry env, failure reports, JUnit, cleanup.
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, FIXTURES, alive, cleanUp, makeProject, runCli, type TempProject } from './helpers/cli.js';

/** The parts of a JUnit document the tests read. */
interface JUnitDoc {
  testsuites: { testsuite: { tests: string; failures: string; testcase: { name: string; failure?: { message: string; '#text': string } }[] } };
}

let project: TempProject | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
});

const STACK = `
name: ci
services:
  db:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
  api:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
    depends_on: { db: healthy }
`;

const BROKEN = `
services:
  db:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
  never:
    command: "echo booting; echo still booting >&2; echo $$$$ >> pids; sleep 60"
    healthcheck: { log: "will never match", interval: 100ms }
`;

describe('msdev run', () => {
  it("returns CMD's exit code (0) and CMD sees the registry env", async () => {
    project = makeProject(STACK);
    const { code, stdout } = await runCli(['run', '--', 'node', `${FIXTURES}/env.mjs`, 'API_URL', 'DB_PORT', 'MSDEV_PROJECT'], {
      cwd: project.dir,
      env: { ENV_MJS_EXIT: '0' },
    });
    expect(code).toBe(0);
    const env = Object.fromEntries(stdout.split('\n').filter((l) => l.includes('=')).map((l) => l.split('=') as [string, string]));
    expect(env.API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(env.DB_PORT)).toBeGreaterThan(0);
    expect(env.MSDEV_PROJECT).toBe('ci');
    // CMD's output passes through unprefixed.
    expect(stdout).toMatch(/^API_URL=/m);
    expect(project.pids('pids')).toHaveLength(2);
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it("returns CMD's non-zero exit code and stops everything", async () => {
    project = makeProject(STACK);
    const { code } = await runCli(['run', '--', 'sh', '-c', 'curl -fsS "$API_URL/health" >/dev/null 2>&1 || true; exit 7'], { cwd: project.dir });
    expect(code).toBe(7);
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('exits 1 within the timeout when a service never gets healthy, with its last log lines', async () => {
    project = makeProject(BROKEN);
    const started = Date.now();
    const { code, stderr, stdout } = await runCli(['run', '--timeout', '2s', '--', 'sh', '-c', 'echo SHOULD-NOT-RUN'], { cwd: project.dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(stdout).not.toContain('SHOULD-NOT-RUN');
    expect(stderr).toContain('not ready after 2s');
    expect(stderr).toContain('✗ never: running: no log line matched /will never match/ yet');
    expect(stderr).toContain('│ booting');
    expect(stderr).toContain('│ still booting');
    expect(stderr).toContain('::error title=msdev: never::running: no log line matched /will never match/ yet');
    expect(stderr).not.toMatch(/✗ db/);
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('tears everything down on SIGTERM and exits 130', async () => {
    project = makeProject(STACK);
    const run = new CliRun(['run', '--', 'sh', '-c', 'echo $$ >> pids; echo started; sleep 60'], { cwd: project.dir });
    await run.waitFor(() => run.stdout.includes('started'), 20_000, 'CMD started');
    run.signal('SIGTERM');
    const { code } = await run.exited;
    expect(code).toBe(130);
    expect(project.pids('pids')).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('with --json prints the events as NDJSON and ends with the exit event', async () => {
    project = makeProject(STACK);
    const { code, stdout } = await runCli(['run', '--json', '--', 'sh', '-c', 'exit 3'], { cwd: project.dir });
    expect(code).toBe(3);
    const events = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; code?: number; state?: string });
    expect(events.some((e) => e.type === 'ready')).toBe(true);
    expect(events.filter((e) => e.type === 'state' && e.state === 'stopped')).toHaveLength(2);
    expect(events.at(-1)).toEqual(expect.objectContaining({ type: 'exit', code: 3 }));
  });

  it('needs a command after --', async () => {
    project = makeProject(STACK);
    const { code, stderr } = await runCli(['run'], { cwd: project.dir });
    expect(code).toBe(2);
    expect(stderr).toContain('msdev run needs a command after --');
  });
});

describe('msdev smoke', () => {
  it('prints a table and exits 0 when all got ready', async () => {
    project = makeProject(STACK);
    const { code, stdout } = await runCli(['smoke'], { cwd: project.dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^SERVICE\s+STATE\s+READY IN\s+RESTARTS$/m);
    expect(stdout).toMatch(/^db\s+healthy\s+\d+(\.\d)? m?s\s+0$/m);
    expect(stdout).toMatch(/^api\s+healthy\s+\d+(\.\d)? m?s\s+0$/m);
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('tears everything down on SIGTERM while waiting and exits 130', async () => {
    project = makeProject(BROKEN);
    const run = new CliRun(['smoke', '--timeout', '60s'], { cwd: project.dir });
    await run.waitFor(() => project!.pids('pids').length === 2, 20_000, 'both services started');
    run.signal('SIGTERM');
    const { code } = await run.exited;
    expect(code).toBe(130);
    await new Promise((r) => setTimeout(r, 100));
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('exits 1 with a failure report and writes JUnit XML with the failure', async () => {
    project = makeProject(BROKEN);
    const { code, stdout, stderr } = await runCli(['smoke', '--timeout', '1500ms', '--junit', 'report.xml', '--json'], { cwd: project.dir });
    expect(code).toBe(1);
    expect(stderr).toContain('✗ never: running');
    const events = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; code?: number });
    expect(events.at(-1)).toEqual(expect.objectContaining({ type: 'exit', code: 1 }));
    const xml = readFileSync(project.path('report.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(xml) as JUnitDoc;
    const suite = doc.testsuites.testsuite;
    expect(suite.tests).toBe('2');
    expect(suite.failures).toBe('1');
    expect(suite.testcase.map((c) => c.name)).toEqual(['db', 'never']);
    expect(suite.testcase[0]!.failure).toBeUndefined();
    const failure = suite.testcase[1]!.failure!;
    expect(failure.message).toBe('running: no log line matched /will never match/ yet');
    expect(failure['#text']).toContain('still booting');
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });
});
