// msdev up against real processes: order, parallel start, restarts, failure propagation, stop with no orphan.
import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, alive, cleanUp, makeProject, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;
let run: CliRun | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
  run = null;
});

describe('msdev up (real processes)', () => {
  it('starts a dependent only after its dependency is healthy, and independent services in parallel', async () => {
    project = makeProject(`
services:
  db:
    command: node FIXTURES/server.mjs
    port: auto
    env: { NOT_READY_MS: "600" }
    healthcheck: { http: "http://127.0.0.1:\${port}/health", interval: 100ms }
  worker:
    command: node FIXTURES/env.mjs MSDEV_SERVICE
  api:
    command: node FIXTURES/server.mjs
    port: auto
    depends_on: { db: healthy, worker: started }
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitFor(() => run!.events().some((e) => e.type === 'ready'), 20_000, 'ready');
    const states = run.states();
    expect(states.indexOf('api:starting')).toBeGreaterThan(states.indexOf('db:healthy'));
    expect(states.indexOf('api:starting')).toBeGreaterThan(states.indexOf('worker:running'));
    // db and worker were both started before db was healthy: in parallel.
    expect(states.indexOf('worker:starting')).toBeLessThan(states.indexOf('db:healthy'));
    expect(states.indexOf('db:starting')).toBeLessThan(states.indexOf('worker:running'));
    const ready = run.events().find((e) => e.type === 'ready')!;
    expect(ready.services).toEqual(expect.arrayContaining(['db', 'worker', 'api']));
    expect(typeof ready.ms).toBe('number');
    expect(typeof ready.ts).toBe('string');
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  it('restarts a crashing service with growing delays, then fails it and the dependents waiting for it', async () => {
    project = makeProject(`
services:
  flaky:
    command: "echo starting; exit 3"
    max_restarts: 3
    healthcheck: { log: "never printed" }
  api:
    command: node FIXTURES/server.mjs
    port: auto
    depends_on: { flaky: healthy }
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    const { code } = await run.exited;
    expect(code).toBe(1);
    const events = run.events();
    const crashes = events.filter((e) => e.type === 'state' && e.service === 'flaky' && e.state === 'crashed');
    expect(crashes.map((e) => e.reason)).toEqual([
      'exit code 3; restart 1 in 1s',
      'exit code 3; restart 2 in 2s',
      'exit code 3; restart 3 in 4s',
    ]);
    const starts = events.filter((e) => e.type === 'state' && e.service === 'flaky' && e.state === 'starting').map((e) => Date.parse(e.ts));
    expect(starts).toHaveLength(4);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(1000);
    expect(gaps[1]!).toBeGreaterThanOrEqual(2000);
    expect(gaps[2]!).toBeGreaterThanOrEqual(4000);
    const failed = events.find((e) => e.type === 'state' && e.service === 'flaky' && e.state === 'failed');
    expect(failed?.reason).toBe('exit code 3; gave up after 3 restarts (max_restarts: 3)');
    const apiFailed = events.find((e) => e.type === 'state' && e.service === 'api' && e.state === 'failed');
    expect(apiFailed?.reason).toBe('dependency flaky failed');
    expect(events.some((e) => e.type === 'state' && e.service === 'api' && e.state === 'starting')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'exit', code: 1 });
  });

  it('stops everything in reverse order on SIGINT, grandchildren that ignore SIGTERM included', async () => {
    project = makeProject(`
services:
  db:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
  family:
    command: FIXTURES/family.sh
    stop_timeout: 1s
    env: { PID_FILE: pids }
    depends_on: { db: healthy }
  web:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
    depends_on: [family]
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitFor(() => run!.events().some((e) => e.type === 'ready'), 20_000, 'ready');
    await run.waitFor(() => project!.pids('pids').length >= 5, 10_000, 'five pids');
    const pids = project.pids('pids');
    expect(pids.every(alive)).toBe(true);
    run.signal('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(0);
    const stopped = run.states().filter((s) => s.endsWith(':stopped'));
    expect(stopped).toEqual(['web:stopped', 'family:stopped', 'db:stopped']);
    expect(pids.filter(alive)).toEqual([]);
    expect(run.events().at(-1)).toMatchObject({ type: 'exit', code: 0 });
  });

  it('stops everything when its terminal closes (SIGHUP)', async () => {
    project = makeProject(`
services:
  api:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitState('api', 'healthy');
    run.signal('SIGHUP');
    expect((await run.exited).code).toBe(0);
    expect(run.states()).toContain('api:stopped');
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('a second Ctrl-C kills at once and exits 130', async () => {
    project = makeProject(`
services:
  stubborn:
    command: "trap '' TERM; echo $$$$ >> pids; while true; do sleep 1; done"
    stop_timeout: 60s
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitState('stubborn', 'running');
    await run.waitFor(() => project!.pids('pids').length === 1, 10_000, 'pid');
    run.signal('SIGINT');
    await run.waitState('stubborn', 'stopping');
    run.signal('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(130);
    await new Promise((r) => setTimeout(r, 200));
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('turns a ready service unhealthy after `retries` failed checks, and healthy again on a success', async () => {
    project = makeProject(`
services:
  api:
    command: node FIXTURES/server.mjs
    port: auto
    env: { SICK_FILE: sick }
    healthcheck: { http: "http://127.0.0.1:\${port}/health", interval: 100ms, retries: 2, start_period: 60s }
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitState('api', 'healthy');
    writeFileSync(project.path('sick'), '');
    await run.waitState('api', 'unhealthy');
    const unhealthy = run.events().find((e) => e.type === 'state' && e.state === 'unhealthy');
    expect(unhealthy?.reason).toBe('health check failed 2 times: HTTP 503');
    rmSync(project.path('sick'));
    await run.waitFor(() => run!.states().filter((s) => s === 'api:healthy').length === 2, 10_000, 'healthy again');
    expect(run.states()).toEqual(['api:pending', 'api:starting', 'api:running', 'api:healthy', 'api:unhealthy', 'api:healthy']);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  it('exits 0 by itself when every service completed', async () => {
    project = makeProject(`
services:
  migrate:
    command: "echo migrated"
    restart: "no"
  report:
    command: "echo reported"
    depends_on: { migrate: completed }
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.states()).toEqual(expect.arrayContaining(['migrate:completed', 'report:completed']));
    expect(run.states().indexOf('report:starting')).toBeGreaterThan(run.states().indexOf('migrate:completed'));
  });
});
