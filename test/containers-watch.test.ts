// Hot reload of container services on a real Docker engine: `sync` copies a changed file into the running
// container (same container, new content served), `sync+restart` restarts that same container with the file
// in it, `rebuild` builds the image again and runs a new container from it.
import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, makeProject, runCli, type TempProject } from './helpers/cli.js';
import { dockerOrSkip, tearDown } from './helpers/docker-kit.js';

const hasDocker = await dockerOrSkip();

let project: TempProject | null = null;
let images: string[] = [];

afterEach(async () => {
  await tearDown(project, images);
  project = null;
  images = [];
});

/** The page the container serves on its published port. */
async function page(port: number): Promise<string> {
  return (await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim();
}

/** The HTTP status of a path the container serves. */
async function status(port: number, path: string): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/${path}`);
  await r.arrayBuffer();
  return r.status;
}

/** The published host port of a service from `ps --json`, and its container id. */
async function where(p: TempProject, service: string): Promise<{ port: number; container: string }> {
  const r = await runCli(['ps', '--json'], { cwd: p.dir });
  const e = (JSON.parse(r.stdout) as { name: string; port: number; container: string }[]).find((s) => s.name === service);
  if (!e) throw new Error(`no ${service} in ps: ${r.stdout}`);
  return { port: e.port, container: e.container };
}

/** Polls until the served page is `text`. */
async function served(port: number, text: string): Promise<void> {
  const end = Date.now() + 30_000;
  let last = '';
  while (Date.now() < end) {
    last = await page(port).catch((err: unknown) => String(err));
    if (last === text) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the page stayed "${last}", not "${text}"`);
}

function stack(action: string, image: string): string {
  return `
services:
  site:
    build: .
    image: ${image}
    ports: ["8080"]
    healthcheck: { exec: "wget -q -O /dev/null http://127.0.0.1:8080/", interval: 500ms }
    watch: { paths: [./www], action: ${action}, debounce: 100ms }
`;
}

const FILES = { Dockerfile: 'FROM msdev-test/busybox\nWORKDIR /www\nCOPY www/ ./\n', 'www/index.html': 'one\n' };

describe.skipIf(!hasDocker)('hot reload of container services', () => {
  it('sync copies the changed file into the running container; it is not restarted', { timeout: 120_000 }, async () => {
    const image = `msdev-test/sync-${process.pid}:latest`;
    images = [image];
    project = makeProject(stack('sync', image), FILES);
    const run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitState('site', 'healthy', 90_000);
    const before = await where(project, 'site');
    expect(await page(before.port)).toBe('one');
    writeFileSync(project.path('www/index.html'), 'two\n');
    await served(before.port, 'two');
    writeFileSync(project.path('www/new.html'), 'new\n');
    await run.waitFor(() => run.stdout.split('copied 1 file').length > 2, 30_000, 'the second sync message');
    expect(await status(before.port, 'new.html')).toBe(200);
    // A deleted file is removed in the container too.
    rmSync(project.path('www/new.html'));
    await run.waitFor(() => run.stdout.includes('removed 1'), 30_000, 'the removal message');
    expect(await status(before.port, 'new.html')).toBe(404);
    expect((await where(project, 'site')).container).toBe(before.container);
    expect(run.states().filter((s) => s === 'site:stopping')).toEqual([]);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  it('sync+restart restarts the same container with the synced file in it', { timeout: 120_000 }, async () => {
    const image = `msdev-test/syncrestart-${process.pid}:latest`;
    images = [image];
    project = makeProject(stack('sync+restart', image), FILES);
    const run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitState('site', 'healthy', 90_000);
    const before = await where(project, 'site');
    writeFileSync(project.path('www/index.html'), 'two\n');
    await run.waitFor(() => run.states().filter((s) => s === 'site:healthy').length === 2, 60_000, 'site healthy again');
    expect(run.states().slice(-6)).toEqual(['site:stopping', 'site:stopped', 'site:pending', 'site:starting', 'site:running', 'site:healthy']);
    const after = await where(project, 'site');
    expect(after.container).toBe(before.container);
    expect(await page(after.port)).toBe('two');
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  it('rebuild builds the image again and runs a new container from it', { timeout: 150_000 }, async () => {
    const image = `msdev-test/rebuild-${process.pid}:latest`;
    images = [image];
    project = makeProject(stack('rebuild', image), FILES);
    const run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitState('site', 'healthy', 90_000);
    const before = await where(project, 'site');
    writeFileSync(project.path('www/index.html'), 'rebuilt\n');
    await served(before.port, 'rebuilt');
    expect((await where(project, 'site')).container).not.toBe(before.container);
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });
});
