// The per-service commands through the library API (dist/index.js) against real processes.
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, alive, cleanUp, killAll, makeProject, until, type TempProject } from './helpers/cli.js';
import type * as Msdev from '../src/index.js';

let project: TempProject | null = null;
let engine: Msdev.Engine | null = null;

afterEach(async () => {
  await engine?.shutdown();
  engine?.dispose();
  engine = null;
  if (project) killAll([...project.pids('pids'), ...project.pids('sleeper')]);
  await cleanUp(project);
  project = null;
});

describe('engine commands on real processes', () => {
  it('restart gives a new pid and resolves once healthy; stop leaves nothing of the service; dependents keep their pids', async () => {
    const msdev = (await import(`${ROOT}/dist/index.js`)) as typeof Msdev;
    project = makeProject(`
services:
  db:
    command: node FIXTURES/server.mjs
    port: auto
    env: { NOT_READY_MS: "300", PID_FILE: pids }
    healthcheck: { http: "http://127.0.0.1:\${port}/health", interval: 1s }
  worker:
    command: "sleep 300 & echo $$! >> sleeper; echo worker up; wait"
    depends_on: { db: healthy }
  api:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
    depends_on: { db: healthy }
`);
    const config = await msdev.loadConfig({ cwd: project.dir, profiles: [], env: process.env });
    engine = msdev.createEngine(config);
    const states: string[] = [];
    engine.subscribe((e) => {
      if (e.type === 'state') states.push(`${e.service}:${e.state}`);
    });
    engine.up();
    expect(await engine.whenReady()).toMatchObject({ ready: true });
    const view = (name: string) => engine!.snapshotNow().find((s) => s.name === name)!;
    const before = { db: view('db').pid!, api: view('api').pid!, worker: view('worker').pid! };
    expect(alive(before.db)).toBe(true);

    // restart db: a new process, resolved only once its health check passed again.
    const mark = states.length;
    await engine.restart('db');
    expect(view('db').state).toBe('healthy');
    expect(view('db').pid).not.toBe(before.db);
    expect(alive(view('db').pid!)).toBe(true);
    expect(alive(before.db)).toBe(false);
    expect(states.slice(mark)).toEqual(['db:stopping', 'db:stopped', 'db:pending', 'db:starting', 'db:running', 'db:healthy']);
    expect(view('api').pid).toBe(before.api);
    expect(view('worker').pid).toBe(before.worker);

    // stop worker: its shell and the sleep it started are gone; api and db untouched.
    await until(() => project!.pids('sleeper').length === 1, 'the worker child pid');
    const sleeper = project.pids('sleeper')[0]!;
    expect(alive(sleeper)).toBe(true);
    await engine.stop('worker');
    expect(view('worker')).toMatchObject({ state: 'stopped', userStopped: true, pid: null });
    expect(alive(before.worker)).toBe(false);
    expect(alive(sleeper)).toBe(false);
    expect(view('api').pid).toBe(before.api);
    expect(alive(before.api)).toBe(true);
    expect(await engine.whenReady()).toMatchObject({ ready: true });

    // start brings it back with a new pid.
    await engine.start('worker');
    expect(view('worker').state).toBe('running');
    expect(view('worker').pid).not.toBe(before.worker);

    await expect(engine.restart('nope')).rejects.toThrow('no service named "nope"');
  });

  it('usage: a busy service shows its CPU share and memory; an idle one little CPU', async () => {
    const msdev = (await import(`${ROOT}/dist/index.js`)) as typeof Msdev;
    project = makeProject(`
services:
  busy:
    command: [node, -e, "for (;;) {}"]
  idle:
    command: [node, -e, "setInterval(() => {}, 1000)"]
`);
    const config = await msdev.loadConfig({ cwd: project.dir, profiles: [], env: process.env });
    engine = msdev.createEngine(config);
    engine.up();
    expect(await engine.whenReady()).toMatchObject({ ready: true });
    await engine.usage();
    await new Promise((r) => setTimeout(r, 1_000));
    const [busy, idle] = await engine.usage();
    // Loose bounds: the machine is shared, but a busy loop gets a good share of a core and an idle timer next to none.
    expect(busy!.cpuPercent).toBeGreaterThan(10);
    expect(busy!.cpuPercent).toBeGreaterThan(idle!.cpuPercent! + 5);
    expect(busy!.memoryBytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(idle!.memoryBytes).toBeGreaterThan(5 * 1024 * 1024);
  });
});
