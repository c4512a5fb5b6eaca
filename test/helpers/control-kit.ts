// A control server on a real Engine over the fake runtime (real clock), in a temp folder, and raw HTTP
// helpers for its socket: for the control server's tests.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { ServiceSpec } from '../../src/config/model.js';
import type { MessageEvent } from '../../src/core/events.js';
import { Engine } from '../../src/engine/engine.js';
import { startControlServer, type ControlServer, type ControlServerOptions, type InstanceInfo } from '../../src/frontends/control/control-server.js';
import { socketAddress } from '../../src/frontends/control/socket-path.js';
import { FakeRuntime } from './fake-runtime.js';
import { logCheck, testProject, testService } from './specs.js';

/** db (healthy on "ready") ← api (waits healthy) ← web (waits started). */
export function controlServices(): ServiceSpec[] {
  return [
    testService('db', { healthcheck: logCheck('ready') }),
    testService('api', { dependsOn: { db: 'healthy' } }),
    testService('web', { dependsOn: { api: 'started' } }),
  ];
}

/** A temp folder with a `.msdev/` in it (`deep`: a path long enough to need the /proc/self/fd address). */
export function tempProject(deep = false): { dir: string; msdevDir: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'msdev-ctl-'));
  const dir = deep ? join(root, 'a'.repeat(50), 'b'.repeat(50), 'c'.repeat(20)) : root;
  const msdevDir = join(dir, '.msdev');
  mkdirSync(msdevDir, { recursive: true });
  return { dir, msdevDir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** An engine over the fake runtime (real clock), its services up and ready. */
export async function readyEngine(services: ServiceSpec[] = controlServices()): Promise<{ engine: Engine; runtime: FakeRuntime }> {
  const runtime = new FakeRuntime();
  const engine = new Engine(testProject(services), { runtimeFor: () => runtime, baseEnv: {} });
  engine.up();
  await vi.waitFor(() => runtime.last('db'));
  runtime.last('db').print(['ready']);
  const outcome = await engine.whenReady();
  if (!outcome.ready) throw new Error(`not ready: ${outcome.failed.join(', ')}`);
  return { engine, runtime };
}

/** What `GET /info` says in these tests. */
export function testInfo(dir: string, services: readonly string[]): InstanceInfo {
  return {
    pid: process.pid,
    project: 'test',
    dir,
    file: join(dir, 'services.yaml'),
    version: '0.0.0-test',
    services,
    depends_on: {},
    started_at: new Date(0).toISOString(),
  };
}

/** A control server with what it said (onNote) and how often it was asked to shut down. */
export interface Served {
  readonly server: ControlServer;
  readonly notes: { level: MessageEvent['level']; text: string }[];
  readonly shutdowns: { count: number };
}

/** Starts a control server on `engine` in `msdevDir`. */
export async function serve(engine: Engine, dir: string, msdevDir: string, over: Partial<ControlServerOptions> = {}): Promise<Served> {
  const notes: Served['notes'] = [];
  const shutdowns = { count: 0 };
  const server = await startControlServer({
    stack: engine,
    info: () => testInfo(dir, engine.snapshotNow().map((v) => v.name)),
    msdevDir,
    onShutdown: () => shutdowns.count++,
    onNote: (level, text) => notes.push({ level, text }),
    ...over,
  });
  return { server, notes, shutdowns };
}

/** An answer read whole. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON (null when it is not). */
  readonly json: unknown;
}

/** One HTTP request over the socket of `msdevDir` on its own connection, read whole. */
export function rawRequest(msdevDir: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string | number> = {}): Promise<RawAnswer> {
  const address = socketAddress(msdevDir);
  return new Promise<RawAnswer>((resolve, reject) => {
    const req = request({ socketPath: address.path, method, path, agent: false, headers: body === undefined ? headers : { 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  }).finally(() => address.release());
}

/** A streaming GET read line by line, each line parsed as JSON. */
export interface LineStream {
  readonly lines: Record<string, unknown>[];
  readonly status: Promise<number>;
  /** Resolves when the server ends the answer (or the connection closes). */
  readonly ended: Promise<void>;
  /** Waits until `pred` holds of the lines so far. */
  until(pred: (lines: Record<string, unknown>[]) => boolean): Promise<void>;
  close(): void;
}

/** Opens a streaming GET on its own connection. */
export function rawLines(msdevDir: string, path: string): LineStream {
  const address = socketAddress(msdevDir);
  const lines: Record<string, unknown>[] = [];
  let setStatus: (n: number) => void = () => undefined;
  let setEnded: () => void = () => undefined;
  const status = new Promise<number>((resolve) => (setStatus = resolve));
  const ended = new Promise<void>((resolve) => (setEnded = resolve));
  let rest = '';
  const req = request({ socketPath: address.path, method: 'GET', path, agent: false }, (res) => {
    setStatus(res.statusCode ?? 0);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const p of parts) lines.push(JSON.parse(p) as Record<string, unknown>);
    });
    res.on('close', setEnded);
  });
  req.on('error', () => {
    setStatus(0);
    setEnded();
  });
  req.end();
  void ended.then(() => address.release());
  return {
    lines,
    status,
    ended,
    until: (pred) => vi.waitFor(() => {
      if (!pred(lines)) throw new Error(`not yet: ${lines.length} lines`);
    }, { timeout: 10_000, interval: 5 }),
    close: () => req.destroy(),
  };
}

/** Lets the event loop turn (socket I/O between bursts). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
