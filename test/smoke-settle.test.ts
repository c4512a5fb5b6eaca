// Issue 6, item 8: `msdev smoke` fails a service that crashed or restarted at any time (a settle window
// after ready catches early crashes), and a --junit path that cannot be written stops it before anything starts.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, cleanUp, makeProject, runCli, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
});

/** The repro: no port, no health check, exits 1 after 0.3 s. */
const CRASHING = `
services:
  app:
    command: "echo boot; echo $$$$ >> pids; sleep 0.3; exit 1"
  steady:
    command: "echo $$$$ >> pids; sleep 60"
`;

interface JUnitCase {
  name: string;
  failure?: { message: string; type: string };
}

function junitCases(path: string): JUnitCase[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(readFileSync(path, 'utf8')) as {
    testsuites: { testsuite: { testcase: JUnitCase[] } };
  };
  return doc.testsuites.testsuite.testcase;
}

describe('msdev smoke and crashing services', () => {
  it('fails a service that crashes right after it counts as ready, 3 runs of 3, and says why in the table, on stderr and in JUnit', async () => {
    project = makeProject(CRASHING);
    for (let i = 0; i < 3; i++) {
      const { code, stdout, stderr } = await runCli(['smoke', '--junit', 'report.xml'], { cwd: project.dir });
      expect(code, `run ${i + 1}\n${stdout}\n${stderr}`).toBe(1);
      expect(stdout).toMatch(/^app\s+(crashed|restarted)\s+/m);
      expect(stdout).toMatch(/^steady\s+running\s+/m);
      expect(stderr).toMatch(/✗ app: (crashed|restarted): exited with code 1 during the settle window/);
      expect(stderr).not.toContain('✗ steady');
      const cases = junitCases(project.path('report.xml'));
      expect(cases.find((c) => c.name === 'app')?.failure?.message).toMatch(/^(crashed|restarted): exited with code 1 during the settle window$/);
      expect(cases.find((c) => c.name === 'steady')?.failure).toBeUndefined();
    }
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('fails a service that crashed before it was ready even when it is ready again by the end', async () => {
    project = makeProject(`
services:
  flaky:
    command: "echo $$$$ >> pids; if [ -f once ]; then echo up and ready; sleep 60; else touch once; exit 3; fi"
    healthcheck: { log: "ready", interval: 100ms }
`);
    const { code, stdout, stderr } = await runCli(['smoke', '--settle', '0'], { cwd: project.dir });
    expect(code, `${stdout}\n${stderr}`).toBe(1);
    expect(stdout).toMatch(/^flaky\s+restarted\s+\S+( m?s)?\s+1$/m);
    expect(stderr).toContain('✗ flaky: restarted: exited with code 3 before it was ready');
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('passes a healthy stack, services without port or health check included', async () => {
    project = makeProject(`
services:
  db:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
  worker:
    command: "echo $$$$ >> pids; sleep 60"
    depends_on: { db: healthy }
  migrate:
    command: "echo migrated"
    restart: "no"
`);
    const { code, stdout, stderr } = await runCli(['smoke', '--settle', '500ms'], { cwd: project.dir });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/^db\s+healthy\s+/m);
    expect(stdout).toMatch(/^worker\s+running\s+/m);
    expect(stdout).toMatch(/^migrate\s+completed\s+/m);
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });
});

describe('msdev smoke --junit that cannot be written', () => {
  const STARTS = `
services:
  app:
    command: "touch started; sleep 60"
`;

  it.each([
    ['', /^msdev: --junit needs a file name/],
    ['.', /^msdev: --junit \.: is a directory/],
    ['sub', /^msdev: --junit sub: is a directory/],
    ['missing/report.xml', /^msdev: --junit missing\/report\.xml: the folder missing does not exist/],
    ['services.yaml/report.xml', /^msdev: --junit services\.yaml\/report\.xml: services\.yaml is not a folder/],
  ])('--junit %j is a usage error (exit 2, one line) and starts nothing', async (path, message) => {
    project = makeProject(STARTS);
    mkdirSync(project.path('sub'));
    const { code, stdout, stderr } = await runCli(['smoke', '--junit', path], { cwd: project.dir });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.split('\n')[0]).not.toContain('\n');
    expect(existsSync(project.path('started'))).toBe(false);
    expect(existsSync(project.path('.msdev'))).toBe(false);
  });

  it('a bad --settle is a usage error', async () => {
    project = makeProject(STARTS);
    const { code, stderr } = await runCli(['smoke', '--settle', 'soon'], { cwd: project.dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^msdev: --settle soon: not a duration/);
    expect(existsSync(project.path('started'))).toBe(false);
  });
});
