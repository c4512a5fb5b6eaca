// The control server's streams on a real engine (fake runtime): /events (snapshot, kept lines, live
// events), /logs (n, services, follow), a client that never reads (dropped, others unaffected), and
// many clients at once.
import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StackEvent } from '../../core/control.js';
import type { LogEvent } from '../../core/events.js';
import type { Engine } from '../../engine/engine.js';
import { rawLines, rawRequest, readyEngine, serve, tempProject, turn, type Served } from '../../../test/helpers/control-kit.js';
import type { FakeRuntime } from '../../../test/helpers/fake-runtime.js';
import { connectControl, type ControlClient } from './control-client.js';
import type { ControlServerOptions } from './control-server.js';
import { socketPath } from './socket-path.js';
import { renderLogLine } from './wire.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

type Setup = Served & { engine: Engine; runtime: FakeRuntime; msdevDir: string };

/** A ready engine and a control server in a fresh temp folder, all cleaned up after the test. */
async function setup(over: Partial<ControlServerOptions> = {}): Promise<Setup> {
  const project = tempProject();
  cleanups.push(project.remove);
  const { engine, runtime } = await readyEngine();
  cleanups.push(() => engine.dispose());
  const served = await serve(engine, project.dir, project.msdevDir, over);
  cleanups.push(() => served.server.close(0));
  return { ...served, engine, runtime, msdevDir: project.msdevDir };
}

/** A client of the socket in msdevDir, closed after the test. */
async function client(msdevDir: string, backlog = 0): Promise<ControlClient> {
  const c = await connectControl(msdevDir, { backlog });
  cleanups.push(() => c.close());
  return c;
}

/** How many listeners the engine has (each open stream is one). */
function listenerCount(engine: Engine): number {
  return (engine as unknown as { listeners: Set<unknown> }).listeners.size;
}

/** `service:line` of the log lines among stream lines. */
function logLines(lines: readonly Record<string, unknown>[]): string[] {
  return lines.filter((l) => l.type === 'log').map((l) => `${String(l.service)}:${String(l.line)}`);
}

/** Some lines of api and web, kept by the server's history. */
function printSome(runtime: FakeRuntime): void {
  runtime.last('api').print(['a1', 'a2', 'a3']);
  runtime.last('web').print(['w1'], 'stderr');
  runtime.last('api').print(['a4']);
}

describe('GET /events', () => {
  it('starts with the snapshot, then ?logs=N kept lines per service, then live events', async () => {
    const { msdevDir, runtime } = await setup();
    printSome(runtime);
    const s = rawLines(msdevDir, '/events?logs=2');
    cleanups.push(() => s.close());
    await s.until((l) => l.length >= 4);
    expect(s.lines[0]).toMatchObject({ type: 'snapshot' });
    const snap = s.lines[0] as { services: { name: string; state: string }[]; messages: unknown[] };
    expect(snap.services.map((v) => `${v.name}:${v.state}`)).toEqual(['db:healthy', 'api:running', 'web:running']);
    expect(logLines(s.lines.slice(1, 4))).toEqual(['api:a3', 'web:w1', 'api:a4']);
    expect(s.lines[2]).toMatchObject({ type: 'log', service: 'web', stream: 'stderr', line: 'w1' });
    runtime.last('api').print(['live1', 'live2']);
    runtime.last('web').exit(1);
    await s.until((l) => l.some((x) => x.type === 'state' && x.service === 'web'));
    expect(logLines(s.lines)).toEqual(['api:a3', 'web:w1', 'api:a4', 'api:live1', 'api:live2']);
    expect(s.lines.find((x) => x.type === 'state')).toMatchObject({ service: 'web', state: 'crashed', prev: 'running', exit_code: 1 });
  });

  it('without ?logs, no kept lines: the snapshot, then what happens', async () => {
    const { msdevDir, runtime } = await setup();
    printSome(runtime);
    const s = rawLines(msdevDir, '/events');
    cleanups.push(() => s.close());
    await s.until((l) => l.length >= 1);
    runtime.last('db').print(['after']);
    await s.until((l) => l.length >= 2);
    expect(s.lines.map((l) => l.type)).toEqual(['snapshot', 'log']);
    expect(logLines(s.lines)).toEqual(['db:after']);
  });

  it('the client subscribes with a backlog and gets batches as the engine sends them', async () => {
    const { msdevDir, runtime } = await setup();
    printSome(runtime);
    const c = await client(msdevDir, 10);
    const seen: StackEvent[] = [];
    c.subscribe((e) => seen.push(e));
    await expect.poll(() => seen.length).toBeGreaterThanOrEqual(4);
    expect(seen[0]!.type).toBe('snapshot');
    expect(seen.slice(1, 4).map((e) => (e as LogEvent).text)).toEqual(['a1\na2\na3', 'w1', 'a4']);
    expect((seen[1] as LogEvent).lines).toEqual(['a1', 'a2', 'a3']);
    const stop = c.stop('web');
    await stop;
    await expect.poll(() => seen.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? e.state : ''))).toEqual(['stopping', 'stopped']);
  });

  it('a closed stream unsubscribes from the engine', async () => {
    const { msdevDir, engine } = await setup();
    const before = listenerCount(engine);
    const streams = Array.from({ length: 5 }, () => rawLines(msdevDir, '/events'));
    await Promise.all(streams.map((s) => s.until((l) => l.length >= 1)));
    expect(listenerCount(engine)).toBe(before + 5);
    for (const s of streams) s.close();
    await expect.poll(() => listenerCount(engine)).toBe(before);
  });
});

describe('GET /logs', () => {
  it('?n= gives the last n lines of each service, in arrival order, and ends', async () => {
    const { msdevDir, runtime } = await setup();
    printSome(runtime);
    const a = await rawRequest(msdevDir, 'GET', '/logs?n=2');
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/x-ndjson');
    const lines = a.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logLines(lines)).toEqual(['api:a3', 'web:w1', 'api:a4']);
    expect(logLines(JSON.parse(`[${(await rawRequest(msdevDir, 'GET', '/logs')).text.trimEnd().split('\n').join(',')}]`) as Record<string, unknown>[])).toEqual([
      'api:a1',
      'api:a2',
      'api:a3',
      'web:w1',
      'api:a4',
    ]);
    expect((await rawRequest(msdevDir, 'GET', '/logs?n=0')).text).toBe('');
  });

  it('?service= picks services (repeated or comma-separated); an unknown one is a 404', async () => {
    const { msdevDir, runtime } = await setup();
    printSome(runtime);
    runtime.last('db').print(['d1']);
    const parse = (text: string) => logLines(text.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
    expect(parse((await rawRequest(msdevDir, 'GET', '/logs?n=1&service=api')).text)).toEqual(['api:a4']);
    expect(parse((await rawRequest(msdevDir, 'GET', '/logs?service=web&service=db')).text)).toEqual(['web:w1', 'db:d1']);
    expect(parse((await rawRequest(msdevDir, 'GET', '/logs?n=1&service=db,web')).text)).toEqual(['web:w1', 'db:d1']);
    const unknown = await rawRequest(msdevDir, 'GET', '/logs?service=apj');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: 'no service named "apj" (did you mean "api"?); services: db, api, web' });
  });

  it('follow=1: the kept lines, then new lines of the services asked for only', async () => {
    const { msdevDir, runtime } = await setup();
    printSome(runtime);
    const s = rawLines(msdevDir, '/logs?n=1&service=api&follow=1');
    cleanups.push(() => s.close());
    await s.until((l) => l.length >= 1);
    runtime.last('web').print(['not me']);
    runtime.last('api').print(['b1', 'b2']);
    runtime.last('web').exit(0);
    runtime.last('api').print(['b3']);
    await s.until((l) => l.length >= 4);
    expect(logLines(s.lines)).toEqual(['api:a4', 'api:b1', 'api:b2', 'api:b3']);
    expect(s.lines.every((l) => l.type === 'log')).toBe(true);
  });

  it('follow of a service with nothing kept answers at once (the headers are not held back)', async () => {
    const { msdevDir, runtime } = await setup();
    const s = rawLines(msdevDir, '/logs?service=web&follow=1');
    cleanups.push(() => s.close());
    expect(await s.status).toBe(200);
    expect(s.lines).toEqual([]);
    runtime.last('web').print(['first']);
    await s.until((l) => l.length >= 1);
    expect(logLines(s.lines)).toEqual(['web:first']);
  });

  it('the client: logs with n, services and follow', async () => {
    const { msdevDir, runtime, engine } = await setup();
    printSome(runtime);
    const c = await client(msdevDir);
    const got: string[] = [];
    const once = c.logs({ n: 2, services: ['api'] }, (e) => got.push(...e.lines));
    await once.done;
    expect(got).toEqual(['a3', 'a4']);
    const followed: string[] = [];
    const listening = listenerCount(engine);
    const f = c.logs({ n: 0, follow: true }, (e) => followed.push(`${e.service}:${e.text}`));
    await expect.poll(() => listenerCount(engine)).toBe(listening + 1);
    runtime.last('db').print(['x']);
    await expect.poll(() => followed).toEqual(['db:x']);
    f.close();
    await f.done;
  });
});

/** A client that sends `GET path` on a raw connection and never reads what comes back. */
function neverReader(msdevDir: string, path: string): { closed: Promise<void>; resume: () => void; destroy: () => void } {
  const socket = createConnection(socketPath(msdevDir));
  socket.pause();
  socket.on('error', () => undefined);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: msdev\r\n\r\n`);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { closed, resume: () => socket.resume(), destroy: () => socket.destroy() };
}

/** Waits a few milliseconds (real time: the stall timer is real). */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a client that never reads', () => {
  it('gets no log lines once a quarter of maxBehindBytes behind, and is dropped after stallMs with a note; other clients get every line', async () => {
    const maxBehind = 256 * 1024;
    const { msdevDir, runtime, notes, engine } = await setup({ maxBehindBytes: maxBehind, stallMs: 300 });
    const stuck = neverReader(msdevDir, '/events');
    cleanups.push(stuck.destroy);
    const reader = rawLines(msdevDir, '/events');
    cleanups.push(() => reader.close());
    const c = await client(msdevDir);
    let viaClient = 0;
    c.subscribe((e) => {
      if (e.type === 'log' && e.service === 'api') viaClient += e.lines.length;
    });
    await reader.until((l) => l.length >= 1);
    await expect.poll(() => listenerCount(engine)).toBeGreaterThanOrEqual(4);
    const subscribed = listenerCount(engine);
    const line = (i: number, k: number) => `${i}:${k}:`.padEnd(100, 'x');
    let printed = 0;
    // 100 lines of 100 bytes a turn (~20 KB of NDJSON), until the stuck client is dropped.
    for (let i = 0; i < 2000 && !notes.some((n) => n.text.includes('dropped a client')); i++) {
      runtime.last('api').print(Array.from({ length: 100 }, (_, k) => line(i, k)));
      printed += 100;
      await (i % 10 === 9 ? pause(10) : turn());
    }
    expect(notes).toHaveLength(1);
    expect(notes[0]).toEqual({ level: 'warn', text: 'control socket: dropped a client of the event stream: it read nothing for 0.3 s while behind' });
    // It fell behind: more than the skip bound was sent.
    expect(printed * renderLogLine(Date.now(), 'api', 'stdout', line(0, 0)).length).toBeGreaterThan(maxBehind / 4);
    // The server cut its connection and stopped following the engine for it.
    await expect.poll(() => listenerCount(engine)).toBe(subscribed - 1);
    stuck.resume();
    await stuck.closed;
    // The others got every line, and the server still answers.
    runtime.last('api').print(['last']);
    await reader.until((l) => l.some((x) => x.line === 'last'));
    expect(logLines(reader.lines).filter((l) => l.startsWith('api:'))).toHaveLength(printed + 1);
    await expect.poll(() => viaClient).toBe(printed + 1);
    expect((await c.snapshot()).length).toBe(3);
    expect(notes).toHaveLength(1);
  });

  it('a never-reading client of logs -f is dropped too', async () => {
    const { msdevDir, runtime, notes } = await setup({ maxBehindBytes: 64 * 1024, stallMs: 200 });
    const stuck = neverReader(msdevDir, '/logs?follow=1&service=api');
    cleanups.push(stuck.destroy);
    const reader = rawLines(msdevDir, '/logs?follow=1&service=api&n=0');
    cleanups.push(() => reader.close());
    await reader.status;
    for (let i = 0; i < 2000 && notes.length === 0; i++) {
      runtime.last('api').print(Array.from({ length: 100 }, (_, k) => `${i}-${k}`.padEnd(100, '.')));
      await (i % 10 === 9 ? pause(10) : turn());
    }
    expect(notes.map((n) => n.text)).toEqual(['control socket: dropped a client of logs -f: it read nothing for 0.2 s while behind']);
    stuck.resume();
    await stuck.closed;
  });
});

describe('a client that reads, but slower than the lines come', () => {
  it('is never dropped: log lines it cannot take are skipped and counted in a note, state changes all arrive', async () => {
    const { msdevDir, runtime, notes, engine } = await setup({ maxBehindBytes: 64 * 1024, stallMs: 2000 });
    const socket = createConnection(socketPath(msdevDir));
    cleanups.push(() => socket.destroy());
    let text = '';
    socket.setEncoding('utf8').on('data', (s: string) => (text += s));
    socket.write('GET /events HTTP/1.1\r\nHost: msdev\r\n\r\n');
    await expect.poll(() => text.includes('"type":"snapshot"')).toBe(true);
    // It reads a little now and then; meanwhile a flood of lines and a restart.
    let printed = 0;
    for (let i = 0; i < 300; i++) {
      if (i % 100 === 0) socket.pause();
      if (i % 100 === 60) socket.resume();
      runtime.last('api').print(Array.from({ length: 100 }, (_, k) => `${i}-${k}`.padEnd(100, '.')));
      printed += 100;
      if (i === 150) void engine.restart('web');
      await (i % 10 === 9 ? pause(5) : turn());
    }
    socket.resume();
    runtime.last('api').print(['end']);
    printed++;
    await expect.poll(() => text.includes('"line":"end"'), { timeout: 10_000 }).toBe(true);
    const objects = text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; service?: string; state?: string; text?: string });
    const got = objects.filter((o) => o.type === 'log' && o.service === 'api').length;
    const skipped = objects
      .filter((o) => o.type === 'message' && /log lines skipped/.test(o.text ?? ''))
      .reduce((sum, o) => sum + Number(/(\d+) log lines skipped/.exec(o.text!)![1]), 0);
    expect(skipped).toBeGreaterThan(0);
    expect(got + skipped).toBe(printed);
    expect(objects.filter((o) => o.type === 'state' && o.service === 'web').map((o) => o.state)).toEqual(expect.arrayContaining(['stopping', 'stopped', 'starting', 'running']));
    expect(notes).toEqual([]);
  });
});

describe('kept lines larger than maxBehindBytes', () => {
  it('reach a client that reads, whole and in order, with live lines after them, and nobody is dropped', async () => {
    const { msdevDir, runtime, notes } = await setup({ maxBehindBytes: 64 * 1024 });
    // ~190 KB of NDJSON per service kept: three times the bound, sent at once when asked for.
    for (const name of ['api', 'web']) for (let b = 0; b < 10; b++) runtime.last(name).print(Array.from({ length: 100 }, (_, k) => `${name}-${b * 100 + k}`.padEnd(100, '-')));
    const all = await rawRequest(msdevDir, 'GET', '/logs');
    expect(all.text.trimEnd().split('\n')).toHaveLength(2000);
    const events = rawLines(msdevDir, '/events?logs=1000');
    cleanups.push(() => events.close());
    const follow = rawLines(msdevDir, '/logs?follow=1&service=api');
    cleanups.push(() => follow.close());
    await events.until((l) => l.length >= 2001);
    await follow.until((l) => l.length >= 1000);
    runtime.last('api').print(['live']);
    await events.until((l) => l.at(-1)?.line === 'live');
    await follow.until((l) => l.at(-1)?.line === 'live');
    const expected = (name: string) => Array.from({ length: 1000 }, (_, i) => `${name}:${`${name}-${i}`.padEnd(100, '-')}`);
    expect(logLines(events.lines).filter((l) => l.startsWith('api:'))).toEqual([...expected('api'), 'api:live']);
    expect(logLines(events.lines).filter((l) => l.startsWith('web:'))).toEqual(expected('web'));
    expect(logLines(follow.lines)).toEqual([...expected('api'), 'api:live']);
    expect(notes).toEqual([]);
  });

  it('a client that never reads them is still dropped once the live lines held behind them pass the bound', async () => {
    const { msdevDir, runtime, notes } = await setup({ maxBehindBytes: 64 * 1024 });
    for (let b = 0; b < 10; b++) runtime.last('api').print(Array.from({ length: 100 }, (_, k) => `${b}-${k}`.padEnd(400, '-')));
    const stuck = neverReader(msdevDir, '/events?logs=1000');
    cleanups.push(stuck.destroy);
    const reader = rawLines(msdevDir, '/events?logs=1000');
    cleanups.push(() => reader.close());
    await reader.until((l) => l.length >= 1001);
    expect(notes).toEqual([]);
    for (let i = 0; i < 1000 && notes.length === 0; i++) {
      runtime.last('web').print(Array.from({ length: 10 }, (_, k) => `${i}-${k}`.padEnd(100, '.')));
      await turn();
    }
    expect(notes.map((n) => n.text)).toEqual(['control socket: dropped a client of the event stream: it fell 64 KiB behind while its kept lines were sent']);
    stuck.resume();
    await stuck.closed;
  });
});

describe('many clients', () => {
  it('serves 100 concurrent clients and 20 event streams at once', async () => {
    const { msdevDir, runtime, engine } = await setup();
    const before = listenerCount(engine);
    const streams = Array.from({ length: 20 }, () => rawLines(msdevDir, '/events'));
    const snapshots = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const c = await connectControl(msdevDir);
        try {
          return await c.snapshot();
        } finally {
          c.close();
        }
      }),
    );
    expect(snapshots).toHaveLength(100);
    for (const s of snapshots) expect(s.map((v) => v.name)).toEqual(['db', 'api', 'web']);
    await Promise.all(streams.map((s) => s.until((l) => l.length >= 1)));
    runtime.last('api').print(['to all']);
    await Promise.all(streams.map((s) => s.until((l) => l.some((x) => x.line === 'to all'))));
    for (const s of streams) expect(s.lines.map((l) => l.type)).toEqual(['snapshot', 'log']);
    // 100 more raw requests at once, beside the streams.
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => rawRequest(msdevDir, 'GET', i % 2 === 0 ? '/services/api' : '/usage')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    for (const s of streams) s.close();
    await expect.poll(() => listenerCount(engine)).toBe(before);
  });
});
