// process-compose files read as they are (issue 13), through the real CLI: a chain of
// process_completed_successfully tasks and a process_log_ready gate run to ready by msdev smoke, the
// order of states and the exit codes of msdev up (SPEC §3, which the guide sets against process-compose's),
// and msdev config showing what every key became.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, cleanUp, makeProject, runCli, type JsonEvent, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;
afterEach(async () => {
  await cleanUp(project);
  project = null;
});

const STACK = `version: "0.5"
environment:
  - "GREETING=hi"
processes:
  migrate:
    command: "echo migrating; sleep 0.2"
    availability:
      restart: "no"
  seed:
    command: "echo seeded by $GREETING"
    depends_on:
      migrate:
        condition: process_completed_successfully
  api:
    command: "echo 'api: ready to serve (v1)'; exec sleep 60"
    ready_log_line: "ready to serve (v1)"
    depends_on:
      seed:
        condition: process_completed_successfully
    shutdown:
      signal: 2
      timeout_seconds: 3
  web:
    command: "exec sleep 60"
    depends_on:
      api:
        condition: process_log_ready
`;

/** A project holding only this process-compose.yaml. */
function pcProject(text: string): TempProject {
  const p = makeProject('');
  rmSync(p.path('services.yaml'));
  writeFileSync(p.path('process-compose.yaml'), text);
  return p;
}

function states(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JsonEvent)
    .filter((e) => e.type === 'state')
    .map((e) => `${e.service}:${e.state}`);
}

describe('a process-compose file', () => {
  it('gets ready under msdev smoke -f: completed tasks in order, the log line gating its dependent', { timeout: 60_000 }, async () => {
    project = pcProject(STACK);
    const r = await runCli(['smoke', '-f', 'process-compose.yaml'], { cwd: project.dir, timeoutMs: 45_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^migrate\s+completed/m);
    expect(r.stdout).toMatch(/^seed\s+completed/m);
    expect(r.stdout).toMatch(/^api\s+healthy/m);
    expect(r.stdout).toMatch(/^web\s+running/m);
  });

  it('is found without a services.yaml, and msdev config shows what each key became', async () => {
    project = pcProject(STACK);
    const r = await runCli(['config'], { cwd: project.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('using process-compose.yaml (a process-compose file, read as it is)');
    expect(r.stdout).toContain('      - bash\n      - -c\n      - echo seeded by $GREETING\n');
    expect(r.stdout).toMatch(/ {2}api:\n(.*\n)*? {4}depends_on:\n {6}seed: completed\n {4}healthcheck:\n {6}log: ready to serve \\\(v1\\\)\n/);
    expect(r.stdout).toMatch(/ {4}stop_signal: SIGINT\n {4}stop_timeout: 3s/);
    expect(r.stdout).toMatch(/ {2}web:\n(.*\n)*? {4}depends_on:\n {6}api: healthy\n/);
    expect(r.stdout).toContain('GREETING: hi');
  });

  it('msdev up runs a process_completed_successfully chain in order and exits 0 once all completed', { timeout: 60_000 }, async () => {
    project = pcProject(`processes:
  one:
    command: "echo one"
  two:
    command: "echo two"
    depends_on:
      one:
        condition: process_completed_successfully
  three:
    command: "echo three"
    depends_on:
      two:
        condition: process_completed_successfully
`);
    const r = await runCli(['up', '--json', '-f', 'process-compose.yaml'], { cwd: project.dir, timeoutMs: 45_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = states(r.stdout);
    expect(s.indexOf('one:completed')).toBeGreaterThanOrEqual(0);
    expect(s.indexOf('one:completed')).toBeLessThan(s.indexOf('two:starting'));
    expect(s.indexOf('two:completed')).toBeLessThan(s.indexOf('three:starting'));
    expect(s).toContain('three:completed');
  });

  it('msdev up fails the dependents of a failed task and exits 1 (process-compose skips them)', { timeout: 60_000 }, async () => {
    project = pcProject(`processes:
  check:
    command: "echo checking; exit 3"
  tests:
    command: "echo never"
    depends_on:
      check:
        condition: process_completed_successfully
`);
    const r = await runCli(['up', '--json', '-f', 'process-compose.yaml'], { cwd: project.dir, timeoutMs: 45_000 });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const s = states(r.stdout);
    expect(s).toContain('check:failed');
    expect(s).toContain('tests:failed');
    expect(s).not.toContain('tests:starting');
  });
});

describe('public process-compose files (test/fixtures/process-compose-samples, see SOURCES.md)', () => {
  it('are each accepted by msdev validate, with positioned warnings and no stack trace', { timeout: 60_000 }, async () => {
    const root = join(ROOT, 'test', 'fixtures', 'process-compose-samples');
    const dirs = readdirSync(root).filter((d) => !d.endsWith('.md'));
    expect(dirs.length).toBeGreaterThanOrEqual(4);
    for (const d of dirs) {
      const r = await runCli(['validate', '-f', join(root, d, 'process-compose.yaml')], { cwd: root });
      // Accepted (0), or refused with positioned problems (2: a process name msdev cannot take, such as _process2).
      expect([0, 2], `${d}: ${r.stderr}`).toContain(r.code);
      if (r.code === 2) for (const line of r.stderr.trim().split('\n')) expect(line).toMatch(/^(msdev: )?\S+:\d+:\d+: \S+: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      for (const line of r.stderr.split('\n').filter((l) => l.startsWith('msdev: ') && !l.includes(' using '))) expect(line).toMatch(/^msdev: \S+:\d+:\d+: \S+: /);
    }
  });
});
