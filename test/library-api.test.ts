// The package's library entry (dist/index.js): load a services.yaml and run it with createEngine.
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, cleanUp, makeProject, type TempProject } from './helpers/cli.js';
import type * as Msdev from '../src/index.js';

let project: TempProject | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
});

describe('library API', () => {
  it('loads a config, runs it, and reports events and readiness', async () => {
    const msdev = (await import(`${ROOT}/dist/index.js`)) as typeof Msdev;
    project = makeProject(`
services:
  hello:
    command: "echo hello from $$MSDEV_SERVICE"
    restart: "no"
`);
    const config = await msdev.loadConfig({ cwd: project.dir, profiles: [], env: process.env });
    expect(config.active).toEqual(['hello']);
    const exitHooks = process.listenerCount('exit');
    const engine = msdev.createEngine(config);
    const lines: string[] = [];
    const states: string[] = [];
    let snapshot: readonly Msdev.ServiceView[] = [];
    engine.subscribe((e) => {
      if (e.type === 'snapshot') snapshot = e.services;
      if (e.type === 'log') lines.push(...e.lines);
      if (e.type === 'state') states.push(e.state);
    });
    expect(snapshot.map((s) => s.state)).toEqual(['stopped']);
    engine.up();
    expect(await engine.whenReady()).toMatchObject({ ready: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toEqual(['hello from hello']);
    expect(states).toEqual(['pending', 'starting', 'running', 'completed']);
    await engine.shutdown();
    engine.dispose();
    expect(process.listenerCount('exit')).toBe(exitHooks);
  });

  it('throws a ConfigError carrying every problem', async () => {
    const msdev = (await import(`${ROOT}/dist/index.js`)) as typeof Msdev;
    project = makeProject('services:\n  a: { comand: x }\n');
    const err = await msdev.loadConfig({ cwd: project.dir, profiles: [], env: process.env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(msdev.ConfigError);
    expect((err as Msdev.ConfigError).problems.map(msdev.formatProblem)).toEqual([
      'services.yaml:2:3: services.a: service has nothing to run: add "command" (a process) or "image"/"build" (a container)',
      'services.yaml:2:8: services.a: unknown key "comand" (did you mean "command"?)',
    ]);
  });
});
