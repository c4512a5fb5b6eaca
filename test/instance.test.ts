// One msdev per project, and the clean-up after one that was killed: the lock, state.json identity, reaping, .msdev errors.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, MSDEV, alive, cleanUp, makeProject, runCli, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;
const spawned: ChildProcess[] = [];
const mounts: string[] = [];

afterEach(async () => {
  for (const dir of mounts.splice(0)) execFileSync('umount', [dir]);
  for (const child of spawned.splice(0)) child.kill('SIGKILL');
  await cleanUp(project);
  project = null;
});

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts `sleep 300` in its own process group: an unrelated process whose pid a stale state.json names. */
function unrelatedProcess(): number {
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  spawned.push(child);
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(execFileSync('sh', ['-c', 'sh -c "echo \\$\\$"']).toString().trim());
}

const bootId = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe('after msdev was killed (kill -9)', () => {
  it('the next up kills what it left before checking ports, so a fixed port is free again', async () => {
    const port = await freePort();
    project = makeProject(`
services:
  api:
    command: node FIXTURES/server.mjs
    port: ${port}
    env: { PID_FILE: pids }
`);
    const first = new CliRun(['up', '--json'], { cwd: project.dir });
    await first.waitState('api', 'healthy');
    const orphan = project.pids('pids')[0]!;
    first.signal('SIGKILL');
    await first.exited;
    expect(alive(orphan)).toBe(true);
    const second = new CliRun(['up', '--json'], { cwd: project.dir });
    await second.waitState('api', 'healthy');
    expect(second.stdout).toContain('killed what an earlier msdev left running: api');
    expect(alive(orphan)).toBe(false);
    second.signal('SIGINT');
    expect((await second.exited).code).toBe(0);
  });
});

describe('a stale state.json (pids reused)', () => {
  it('a live unrelated process at the recorded supervisor pid neither blocks up nor is killed', async () => {
    project = makeProject(`
services:
  once:
    command: "echo hello"
`);
    const other = unrelatedProcess();
    mkdirSync(project.path('.msdev'));
    const wrongStart = { pid: other, start: 1, boot: bootId() };
    writeFileSync(
      project.path('.msdev/state.json'),
      JSON.stringify({ ...wrongStart, services: { once: { pid: other, pgid: other, container: null, start: 1 } } }),
    );
    const result = await runCli(['up'], { cwd: project.dir });
    expect(result.stderr).not.toContain('another msdev');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('once: completed');
    expect(result.stdout).toContain('state.json was stale');
    expect(result.stdout).not.toContain('killed what an earlier msdev left running');
    expect(alive(other)).toBe(true);
  });

  it('a dead supervisor whose service pid names an unrelated process now: that process is left alone', async () => {
    project = makeProject(`
services:
  api:
    command: "echo hello"
`);
    const other = unrelatedProcess();
    mkdirSync(project.path('.msdev'));
    for (const record of [
      // as this msdev writes it, with a start time that is not the unrelated process's
      { pid: deadPid(), start: 1, boot: bootId(), services: { api: { pid: other, pgid: other, container: null, start: 1 } } },
      // as an older msdev wrote it: nothing proves the pid is still its service
      { pid: deadPid(), services: { api: { pid: other, pgid: other, container: null } } },
    ]) {
      writeFileSync(project.path('.msdev/state.json'), JSON.stringify(record));
      const result = await runCli(['up'], { cwd: project.dir });
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain('killed what an earlier msdev left running');
      expect(result.stdout).toContain('state.json was stale');
      expect(alive(other)).toBe(true);
    }
  });
});

/** An `msdev up` that waits for the file `go` in its project before it starts, so that several start at once. */
class GatedUp {
  readonly child: ChildProcess;
  stderr = '';
  stdout = '';
  code: number | null | undefined = undefined;
  readonly exited: Promise<number | null>;

  constructor(dir: string) {
    const script = `while [ ! -e go ]; do sleep 0.01; done; exec "$0" "$1" up`;
    this.child = spawn('sh', ['-c', script, process.execPath, MSDEV], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '' } });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve((this.code = code))));
    gated.push(this);
  }
}

const gated: GatedUp[] = [];

afterEach(async () => {
  const left = gated.splice(0).filter((g) => g.code === undefined);
  for (const g of left) g.child.kill('SIGTERM');
  const timer = setTimeout(() => left.forEach((g) => g.child.kill('SIGKILL')), 10_000);
  await Promise.all(left.map((g) => g.exited));
  clearTimeout(timer);
});

describe('two msdev at once on one project', () => {
  it('of several up started together exactly one runs; the others exit 1 naming it', async () => {
    // Thirty services and a dead instance to clean up after: the work between "is another msdev
    // running?" and "I am running" that a check-then-write leaves open to a second msdev.
    const services = Array.from({ length: 30 }, (_, i) => `  s${i}:\n    command: "echo $$$$ >> pids; exec sleep 300"\n`).join('');
    project = makeProject(`services:\n${services}`);
    mkdirSync(project.path('.msdev'));
    for (let round = 0; round < 4; round++) {
      const dead = deadPid();
      writeFileSync(project.path('.msdev/state.json'), JSON.stringify({ pid: dead, services: { s0: { pid: dead, pgid: dead, container: null } } }));
      rmSync(project.path('go'), { force: true });
      const runs = Array.from({ length: 6 }, () => new GatedUp(project!.dir));
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(project.path('go'), '');
      const deadline = Date.now() + 40_000;
      while (runs.filter((r) => r.code !== undefined).length < runs.length - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const losers = runs.filter((r) => r.code !== undefined);
      expect(losers.length).toBe(runs.length - 1);
      const winner = runs.find((r) => r.code === undefined)!;
      for (const loser of losers) {
        expect(loser.code).toBe(1);
        expect(loser.stderr).toContain(`another msdev (pid ${winner.child.pid}) already runs`);
        expect(loser.stdout).toBe('');
      }
      const until = Date.now() + 30_000;
      while (!winner.stdout.includes('ready in') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      winner.child.kill('SIGINT');
      expect(await winner.exited).toBe(0);
      expect(project.pids('pids').filter(alive)).toEqual([]);
      expect(project.pids('pids')).toHaveLength(30 * (round + 1));
    }
  });
});

describe('an unwritable .msdev', () => {
  const yaml = `
services:
  app:
    command: "echo $$$$ >> pids; exec sleep 300"
`;

  it('.msdev being a file: one clear line, exit 1, nothing started', async () => {
    project = makeProject(yaml, { '.msdev': 'not a folder\n' });
    const result = await runCli(['up'], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`msdev: cannot use ${project.path('.msdev')}: it is a file, not a folder; nothing was started (msdev keeps its state and logs in that folder: move the file away).\n`);
    expect(project.pids('pids')).toEqual([]);
  });

  it('a read-only project folder says "read-only file system" (needs mount: skipped where it is not allowed)', async (ctx) => {
    project = makeProject(yaml);
    try {
      execFileSync('mount', ['--bind', project.dir, project.dir], { stdio: 'ignore' });
    } catch {
      ctx.skip();
      return;
    }
    mounts.push(project.dir);
    execFileSync('mount', ['-o', 'remount,bind,ro', project.dir]);
    const result = await runCli(['up'], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`msdev: cannot write ${project.path('.msdev')}: read-only file system (EROFS); nothing was started (msdev keeps its state and logs in .msdev/: make it writable).\n`);
    expect(project.pids('pids')).toEqual([]);
  });
});
