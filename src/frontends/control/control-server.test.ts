// The control server on a real engine (fake runtime): the socket's setup (mode, stale and live sockets,
// a long path), the routes, the commands through the real client, bad requests, and close.
import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandError } from '../../core/control.js';
import type { Engine } from '../../engine/engine.js';
import { rawLines, rawRequest, readyEngine, serve, tempProject, type Served } from '../../../test/helpers/control-kit.js';
import type { FakeRuntime } from '../../../test/helpers/fake-runtime.js';
import { connectControl, NotRunningError, type ControlClient } from './control-client.js';
import { ControlSocketError } from './control-server.js';
import { socketPath } from './socket-path.js';
import type { WireService } from './wire.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A ready engine and a control server in a fresh temp folder, all cleaned up after the test. */
async function setup(deep = false): Promise<Served & { engine: Engine; runtime: FakeRuntime; dir: string; msdevDir: string }> {
  const project = tempProject(deep);
  cleanups.push(project.remove);
  const { engine, runtime } = await readyEngine();
  cleanups.push(() => engine.dispose());
  const served = await serve(engine, project.dir, project.msdevDir);
  cleanups.push(() => served.server.close(0));
  return { ...served, engine, runtime, dir: project.dir, msdevDir: project.msdevDir };
}

/** A client of the socket in msdevDir, closed after the test. */
async function client(msdevDir: string): Promise<ControlClient> {
  const c = await connectControl(msdevDir);
  cleanups.push(() => c.close());
  return c;
}

/** Leaves a socket file nobody answers on in msdevDir: a process binds it and is killed (SIGKILL, by its pid). */
async function staleSocket(msdevDir: string): Promise<void> {
  // Bound by its relative name from inside the folder, so that a long path fits a socket address.
  const child = spawn(process.execPath, ['-e', "require('net').createServer().listen('msdev.sock', () => console.log('up'))"], { cwd: msdevDir, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the binder exited (${code})`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid!, 'SIGKILL');
  await exited;
}

describe('the control socket', () => {
  it('is owner-only (0600) and leaves the umask as it was', async () => {
    const before = process.umask();
    const { server, msdevDir } = await setup();
    expect(server.path).toBe(socketPath(msdevDir));
    expect(statSync(server.path).isSocket()).toBe(true);
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
    expect(process.umask()).toBe(before);
  });

  it('code running while it starts (a service being spawned) never sees the owner-only umask', async () => {
    const project = tempProject();
    cleanups.push(project.remove);
    const { engine } = await readyEngine();
    cleanups.push(() => engine.dispose());
    const before = process.umask();
    const seen = new Set<number>();
    let spinning = true;
    // Microtasks interleave with the server's start-up until it listens (what the engine does meanwhile).
    const spin = async (): Promise<void> => {
      for (let i = 0; i < 100_000 && spinning; i++) {
        seen.add(process.umask());
        await Promise.resolve();
      }
    };
    const spinner = spin();
    const served = await serve(engine, project.dir, project.msdevDir);
    spinning = false;
    await spinner;
    cleanups.push(() => served.server.close(0));
    expect([...seen]).toEqual([before]);
    expect(statSync(served.server.path).mode & 0o777).toBe(0o600);
  });

  it('replaces a stale socket left by a killed process', async () => {
    const project = tempProject();
    cleanups.push(project.remove);
    const path = socketPath(project.msdevDir);
    await staleSocket(project.msdevDir);
    expect(statSync(path).isSocket()).toBe(true);
    await expect(connectControl(project.msdevDir)).rejects.toMatchObject({ name: 'NotRunningError', stale: true });
    const { engine } = await readyEngine();
    cleanups.push(() => engine.dispose());
    const { server } = await serve(engine, project.dir, project.msdevDir);
    cleanups.push(() => server.close(0));
    const c = await client(project.msdevDir);
    expect((await c.snapshot()).map((v) => v.name)).toEqual(['db', 'api', 'web']);
  });

  it('refuses a socket another live server answers on, and leaves it be', async () => {
    const project = tempProject();
    cleanups.push(project.remove);
    const path = socketPath(project.msdevDir);
    const other = createServer((s) => {
      s.on('error', () => undefined); // the probe hangs up at once
      s.end('other\n');
    });
    await new Promise<void>((resolve) => other.listen(path, resolve));
    cleanups.push(() => new Promise((resolve) => other.close(resolve)));
    const { engine } = await readyEngine();
    cleanups.push(() => engine.dispose());
    const err: unknown = await serve(engine, project.dir, project.msdevDir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ControlSocketError);
    expect((err as Error).message).toContain('another msdev answers on');
    expect((err as Error).message).toContain(path);
    expect(statSync(path).isSocket()).toBe(true);
    // The other server still answers.
    const answer = await new Promise<string>((resolve) => {
      const s = createConnection(path);
      s.setEncoding('utf8');
      s.once('data', (d: string) => {
        s.destroy();
        resolve(d);
      });
    });
    expect(answer).toBe('other\n');
  });

  it('refuses a file in the way that is not a socket, and leaves it', async () => {
    const project = tempProject();
    cleanups.push(project.remove);
    const path = socketPath(project.msdevDir);
    writeFileSync(path, 'mine');
    const { engine } = await readyEngine();
    cleanups.push(() => engine.dispose());
    await expect(serve(engine, project.dir, project.msdevDir)).rejects.toThrow(ControlSocketError);
    await expect(serve(engine, project.dir, project.msdevDir)).rejects.toThrow(/is not a socket; remove it/);
    expect(readFileSync(path, 'utf8')).toBe('mine');
  });

  it('works in a folder whose socket path is over 107 bytes (server, client, mode, stale socket)', async () => {
    const { server, msdevDir, engine, dir } = await setup(true);
    expect(Buffer.byteLength(server.path)).toBeGreaterThan(107);
    expect(server.path).toBe(socketPath(msdevDir));
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
    const c = await client(msdevDir);
    expect((await c.info()).dir).toBe(dir);
    expect((await c.snapshot()).map((v) => v.state)).toEqual(['healthy', 'running', 'running']);
    await server.close(0);
    expect(existsSync(server.path)).toBe(false);
    // A stale socket at a long path is found and replaced too.
    await staleSocket(msdevDir);
    expect(statSync(server.path).isSocket()).toBe(true);
    const again = await serve(engine, dir, msdevDir);
    cleanups.push(() => again.server.close(0));
    const c2 = await client(msdevDir);
    expect((await c2.info()).project).toBe('test');
  });
});

describe('the routes', () => {
  it('GET /info and / say what the instance is', async () => {
    const { msdevDir, dir } = await setup();
    for (const path of ['/info', '/']) {
      const a = await rawRequest(msdevDir, 'GET', path);
      expect(a.status).toBe(200);
      expect(a.headers['content-type']).toBe('application/json');
      expect(a.json).toMatchObject({ pid: process.pid, project: 'test', dir, services: ['db', 'api', 'web'] });
    }
  });

  it('GET /services and /services/NAME; an unknown name is a 404 with the engine\'s did-you-mean', async () => {
    const { msdevDir, runtime } = await setup();
    const all = await rawRequest(msdevDir, 'GET', '/services');
    expect(all.status).toBe(200);
    const services = all.json as WireService[];
    expect(services.map((s) => [s.name, s.state, s.health, s.pid])).toEqual([
      ['db', 'healthy', 'healthy', runtime.last('db').pid],
      ['api', 'running', null, runtime.last('api').pid],
      ['web', 'running', null, runtime.last('web').pid],
    ]);
    for (const s of services) expect(s.uptime_ms).toBeGreaterThanOrEqual(0);
    const one = await rawRequest(msdevDir, 'GET', '/services/api');
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ name: 'api', state: 'running', ready: true });
    const unknown = await rawRequest(msdevDir, 'GET', '/services/apx');
    expect(unknown.status).toBe(404);
    expect((unknown.json as { error: string }).error).toBe('no service named "apx" (did you mean "api"?); services: db, api, web');
    const encoded = await rawRequest(msdevDir, 'GET', '/services/%E0%A4%A');
    expect(encoded.status).toBe(400);
  });

  it('GET /usage and /ready', async () => {
    const { msdevDir, runtime } = await setup();
    runtime.last('api').used = { cpuMs: 10, rssBytes: 123_456 };
    const usage = await rawRequest(msdevDir, 'GET', '/usage');
    expect(usage.status).toBe(200);
    expect(usage.json).toEqual([
      { name: 'db', cpu_percent: null, memory_bytes: 0 },
      { name: 'api', cpu_percent: null, memory_bytes: 123_456 },
      { name: 'web', cpu_percent: null, memory_bytes: 0 },
    ]);
    const ready = await rawRequest(msdevDir, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ready: true });
  });

  it('start, stop and restart through the client; an unknown service is a CommandError with the engine\'s message', async () => {
    const { msdevDir, runtime } = await setup();
    const c = await client(msdevDir);
    const webPid = runtime.last('web').pid;
    await c.stop('web');
    expect(runtime.last('web').stopSignals).toEqual(['SIGTERM']);
    expect((await c.snapshot()).find((v) => v.name === 'web')).toMatchObject({ state: 'stopped', userStopped: true, pid: null });
    await c.start('web');
    const web = (await c.snapshot()).find((v) => v.name === 'web')!;
    expect(web).toMatchObject({ state: 'running', userStopped: false });
    expect(web.pid).not.toBe(webPid);
    const apiPid = runtime.last('api').pid;
    await c.restart('api');
    expect(runtime.last('api').pid).not.toBe(apiPid);
    expect((await c.snapshot()).find((v) => v.name === 'api')).toMatchObject({ state: 'running', pid: runtime.last('api').pid });
    // With dependents: web restarts once api is ready again.
    const webBefore = runtime.count('web');
    await c.restart('api', { dependents: true });
    expect(runtime.count('web')).toBe(webBefore + 1);
    for (const run of [() => c.stop('nope'), () => c.start('wbe'), () => c.restart('dbb')]) {
      const err = await run().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CommandError);
      expect((err as Error).message).toMatch(/^no service named "(nope|wbe|dbb)"/);
    }
    expect((await c.start('wbe').catch((e: Error) => e.message)) as string).toContain('did you mean "web"?');
  });

  it('a command the engine refuses is a 409 with its reason', async () => {
    const { msdevDir, engine } = await setup();
    void engine.shutdown();
    const a = await rawRequest(msdevDir, 'POST', '/services/api/restart');
    expect(a.status).toBe(409);
    expect(a.json).toEqual({ error: 'msdev is shutting down' });
  });

  it('POST /up and /shutdown', async () => {
    const { msdevDir, shutdowns } = await setup();
    expect((await rawRequest(msdevDir, 'POST', '/up', JSON.stringify({ services: ['nope'] }))).status).toBe(404);
    expect((await rawRequest(msdevDir, 'POST', '/up', JSON.stringify({ services: 'api' }))).status).toBe(400);
    const up = await rawRequest(msdevDir, 'POST', '/up', JSON.stringify({ services: ['api'] }));
    expect([up.status, up.json]).toEqual([202, { started: ['api'] }]);
    const down = await rawRequest(msdevDir, 'POST', '/shutdown');
    expect([down.status, down.json, shutdowns.count]).toEqual([202, { stopping: true }, 1]);
  });

  it('a malformed body is a 400 and the server keeps serving, on the same connection too', async () => {
    const { msdevDir } = await setup();
    for (const body of ['{nope', '[1,2]', '"str"', 'null', '{"dependents":"yes"}']) {
      const a = await rawRequest(msdevDir, 'POST', '/services/api/restart', body, { 'content-type': 'application/json' });
      expect([body, a.status]).toEqual([body, 400]);
      expect(typeof (a.json as { error: unknown }).error).toBe('string');
    }
    expect((await rawRequest(msdevDir, 'GET', '/info')).status).toBe(200);
    const c = await client(msdevDir);
    expect((await c.snapshot()).length).toBe(3);
  });

  it('an unknown route or method is a 400; a bad count is a 400', async () => {
    const { msdevDir } = await setup();
    for (const [method, path] of [
      ['GET', '/nope'],
      ['DELETE', '/services/api'],
      ['GET', '/services/api/restart'],
      ['POST', '/services'],
      ['PUT', '/info'],
      ['GET', '/logs?n=abc'],
      ['GET', '/events?logs=-1'],
    ] as const) {
      const a = await rawRequest(msdevDir, method, path);
      expect([method, path, a.status]).toEqual([method, path, 400]);
    }
    expect(((await rawRequest(msdevDir, 'GET', '/nope')).json as { error: string }).error).toContain('unknown route GET /nope');
    expect((await rawRequest(msdevDir, 'GET', '/info')).status).toBe(200);
  });

  it('a body over 64 KiB is a 413, and the server keeps serving', async () => {
    const { msdevDir } = await setup();
    const big = JSON.stringify({ dependents: false, pad: 'x'.repeat(100 * 1024) });
    const a = await rawRequest(msdevDir, 'POST', '/services/api/restart', big);
    expect(a.status).toBe(413);
    expect(a.json).toEqual({ error: 'request body over 64 KiB' });
    const justUnder = JSON.stringify({ pad: 'x'.repeat(60 * 1024) });
    expect((await rawRequest(msdevDir, 'POST', '/services/web/restart', justUnder)).status).toBe(200);
    expect((await rawRequest(msdevDir, 'GET', '/info')).status).toBe(200);
  });
});

describe('close', () => {
  it('ends every stream with an exit line, removes the socket, and clients then find none running', async () => {
    const { server, msdevDir } = await setup();
    const c = await client(msdevDir);
    const seen: string[] = [];
    c.subscribe((e) => seen.push(e.type));
    const events = rawLines(msdevDir, '/events');
    const logs = rawLines(msdevDir, '/logs?follow=1');
    await events.until((l) => l.length >= 1);
    expect(await logs.status).toBe(200);
    await server.close(3);
    await Promise.all([events.ended, logs.ended, c.ended]);
    expect(events.lines.at(-1)).toMatchObject({ type: 'exit', code: 3 });
    expect(logs.lines.at(-1)).toMatchObject({ type: 'exit', code: 3 });
    expect(seen[0]).toBe('snapshot');
    expect(existsSync(server.path)).toBe(false);
    await expect(connectControl(msdevDir)).rejects.toBeInstanceOf(NotRunningError);
    // Closing twice is harmless.
    await server.close(3);
  });
});
