// The control socket (SPEC §5): HTTP with JSON bodies over `.msdev/msdev.sock`, owner only. One more
// front end of the StackControl: it serves the services, the event stream, logs, and the commands.
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { didYouMean } from '../../config/did-you-mean.js';
import { CommandError, type StackControl, type StackEvent } from '../../core/control.js';
import type { MessageEvent } from '../../core/events.js';
import { fsReason } from '../../core/fs-reason.js';
import { drained, HttpError, readBody, sendJson } from './http-io.js';
import { ClientStream, type StreamLimits } from './client-stream.js';
import { LogHistory, HISTORY_LINES, type HistoryBatch } from './log-history.js';
import { socketAddress, socketPath } from './socket-path.js';
import { clearStaleSocket } from './stale-socket.js';
import { renderLogLine, renderStreamEvent, toWire, usageToWire } from './wire.js';

/** What `GET /info` says of the instance. */
export interface InstanceInfo {
  /** The supervisor's pid. */
  readonly pid: number;
  readonly project: string;
  /** The project folder (where the config file is). */
  readonly dir: string;
  readonly file: string;
  readonly version: string;
  /** The services of the run, in config order. */
  readonly services: readonly string[];
  readonly depends_on: Readonly<Record<string, Readonly<Record<string, 'started' | 'healthy' | 'completed'>>>>;
  /** When the instance started (ISO 8601). */
  readonly started_at: string;
}

/** Options of the control server. */
export interface ControlServerOptions {
  readonly stack: StackControl;
  /** What `GET /info` says; asked each time (a reload of services.yaml changes the services). */
  readonly info: () => InstanceInfo;
  /** The project's `.msdev/` folder; the socket is `msdev.sock` in it. */
  readonly msdevDir: string;
  /** `POST /shutdown`: stop everything, as a first Ctrl-C does. */
  readonly onShutdown: () => void;
  /** Says something in msdev's own output (a client dropped for not reading). */
  readonly onNote: (level: MessageEvent['level'], text: string) => void;
  /** A streaming client that falls this many bytes behind is dropped (log lines stop at a quarter of it, at most 1 MiB). Default 4 MiB. */
  readonly maxBehindBytes?: number;
  /** A streaming client behind for this long without reading anything is dropped. Default 10 s. */
  readonly stallMs?: number;
}

/** A running control server. */
export interface ControlServer {
  /** The socket's path. */
  readonly path: string;
  /** Ends every stream (with `{"type":"exit","code":N}`), closes every connection and removes the socket. */
  close(code: number): Promise<void>;
}

/** The socket cannot be set up (another msdev answers on it, a file is in the way, no permission). */
export class ControlSocketError extends Error {
  override readonly name = 'ControlSocketError';
}

/** How far a streaming client may fall behind before it is dropped. */
const DEFAULT_MAX_BEHIND = 4 * 1024 * 1024;
/** How long a client may stay behind without reading anything before it is dropped. */
const DEFAULT_STALL_MS = 10_000;
/** Connections served at once (each costs a socket and a little memory); more wait in the kernel's queue. */
const MAX_CONNECTIONS = 1024;

/** Starts the control server on `.msdev/msdev.sock`, replacing a stale socket left by a killed msdev. */
export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const { stack } = opts;
  const maxBehind = opts.maxBehindBytes ?? DEFAULT_MAX_BEHIND;
  const limits: StreamLimits = { dropBytes: maxBehind, skipBytes: Math.min(1024 * 1024, Math.floor(maxBehind / 4)), stallMs: opts.stallMs ?? DEFAULT_STALL_MS };
  const path = socketPath(opts.msdevDir);
  const names = (): Set<string> => new Set(opts.info().services);
  const history = new LogHistory();
  const streams = new Set<ClientStream>();
  const rendered = new WeakMap<StackEvent, string | null>();
  let closing = false;

  const unsubscribeHistory = stack.subscribe((event) => {
    if (event.type === 'log') history.add(event);
  });

  /** An event's line, rendered once for every client that gets it. */
  const lineOf = (event: StackEvent): string | null => {
    let text = rendered.get(event);
    if (text === undefined) {
      text = renderStreamEvent(event);
      rendered.set(event, text);
    }
    return text;
  };

  const onDrop = (stream: ClientStream, why: string): void => {
    streams.delete(stream);
    opts.onNote('warn', `control socket: dropped a client of ${stream.what}: ${why}`);
  };

  const openStream = (req: IncomingMessage, res: ServerResponse, what: string, unsubscribe: () => void): ClientStream => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    // Sent now: a stream with nothing to say yet (`logs -f` of a quiet service) still answers at once.
    res.flushHeaders();
    const stream = new ClientStream(res, what, limits, onDrop);
    streams.add(stream);
    const done = (): void => {
      stream.forget();
      streams.delete(stream);
      unsubscribe();
    };
    res.once('close', done);
    req.once('close', () => {
      if (!res.writableEnded) done();
    });
    return stream;
  };

  /**
   * Sends kept lines as fast as the client reads them: they may be far more than maxBehind (1,000 lines of
   * each service), so they do not count toward it. Live lines meanwhile are held (and do count), then sent.
   */
  const writeHistory = async (stream: ClientStream, batches: readonly HistoryBatch[]): Promise<void> => {
    const { res } = stream;
    stream.hold();
    for (const b of batches) {
      if (stream.dropped || res.destroyed) return;
      let text = '';
      for (const line of b.text.split('\n')) text += renderLogLine(b.ts, b.service, b.stream, line);
      if (!res.write(text)) await drained(res);
    }
    stream.release();
  };

  const serviceOf = (raw: string): string => {
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw new HttpError(400, `bad service name in the path: ${raw}`);
    }
    return name;
  };

  /** A 404 for a service that is not in the run, worded as the engine words it. */
  const requireKnown = (name: string): void => {
    const known = names();
    if (!known.has(name)) throw new HttpError(404, `no service named ${JSON.stringify(name)}${didYouMean(name, known)}; services: ${[...known].join(', ')}`);
  };

  const servicesParam = (url: URL): string[] | null => {
    const asked = url.searchParams.getAll('service').flatMap((s) => s.split(',')).filter((s) => s !== '');
    return asked.length === 0 ? null : asked;
  };

  const countParam = (url: URL, key: string, fallback: number): number => {
    const raw = url.searchParams.get(key);
    if (raw === null || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) throw new HttpError(400, `${key}=${raw}: not a whole number`);
    return Number(raw);
  };

  const flagParam = (url: URL, key: string): boolean => {
    const raw = url.searchParams.get(key);
    return raw !== null && raw !== '0' && raw !== 'false';
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://msdev');
    const parts = url.pathname.split('/').filter((p) => p !== '');
    const method = req.method ?? 'GET';
    const key = `${method} /${parts.length >= 2 && parts[0] === 'services' ? ['services', ':name', ...parts.slice(2)].join('/') : parts.join('/')}`;
    switch (key) {
      case 'GET /':
      case 'GET /info':
        return sendJson(res, 200, opts.info());
      case 'GET /services': {
        const now = Date.now();
        return sendJson(res, 200, (await stack.snapshot()).map((v) => toWire(v, now)));
      }
      case 'GET /services/:name': {
        const name = serviceOf(parts[1]!);
        requireKnown(name);
        const view = (await stack.snapshot()).find((v) => v.name === name);
        if (view === undefined) throw new HttpError(404, `unknown service ${JSON.stringify(name)}`);
        return sendJson(res, 200, toWire(view, Date.now()));
      }
      case 'GET /usage':
        return sendJson(res, 200, (await stack.usage()).map(usageToWire));
      case 'GET /ready':
        return sendJson(res, 200, await stack.whenReady());
      case 'GET /events': {
        const backlog = countParam(url, 'logs', 0);
        let stream: ClientStream | null = null;
        const early: StackEvent[] = [];
        const unsubscribe = stack.subscribe((event) => {
          if (stream === null) {
            early.push(event);
            return;
          }
          stream.sendEvent(event, () => lineOf(event));
        });
        stream = openStream(req, res, 'the event stream', unsubscribe);
        // The snapshot came synchronously; the kept lines follow it, then every event as it happens.
        let kept: Promise<void> | null = null;
        for (const event of early.splice(0)) {
          stream.sendEvent(event, () => lineOf(event));
          if (event.type === 'snapshot' && backlog > 0) kept = writeHistory(stream, history.last(backlog, null));
        }
        await kept;
        return;
      }
      case 'GET /logs': {
        const services = servicesParam(url);
        for (const s of services ?? []) requireKnown(s);
        const n = countParam(url, 'n', HISTORY_LINES);
        const follow = flagParam(url, 'follow');
        const only = services === null ? null : new Set(services);
        let stream: ClientStream | null = null;
        const unsubscribe = follow
          ? stack.subscribe((event) => {
              if (stream === null || event.type !== 'log' || (only !== null && !only.has(event.service))) return;
              stream.sendEvent(event, () => lineOf(event));
            })
          : () => undefined;
        stream = openStream(req, res, 'logs -f', unsubscribe);
        await writeHistory(stream, history.last(n, services));
        if (!follow && !stream.dropped) res.end();
        return;
      }
      case 'POST /up': {
        const body = await readBody(req);
        const services = body.services;
        if (services !== undefined && (!Array.isArray(services) || services.some((s) => typeof s !== 'string'))) throw new HttpError(400, 'services: must be a list of service names');
        for (const s of (services as string[] | undefined) ?? []) requireKnown(s);
        stack.up((services as string[] | undefined) ?? []);
        return sendJson(res, 202, { started: services ?? [...names()] });
      }
      case 'POST /services/:name/start':
      case 'POST /services/:name/stop':
      case 'POST /services/:name/restart': {
        const name = serviceOf(parts[1]!);
        const body = await readBody(req);
        requireKnown(name);
        const dependents = body.dependents;
        if (dependents !== undefined && typeof dependents !== 'boolean') throw new HttpError(400, 'dependents: must be true or false');
        const verb = parts[2]!;
        await commandOutcome(verb === 'start' ? stack.start(name) : verb === 'stop' ? stack.stop(name) : stack.restart(name, { dependents: dependents === true }));
        const view = (await stack.snapshot()).find((v) => v.name === name);
        return sendJson(res, 200, view === undefined ? { name } : toWire(view, Date.now()));
      }
      case 'POST /restart':
        await readBody(req);
        await commandOutcome(stack.restartAll());
        return sendJson(res, 200, { restarted: [...names()] });
      case 'POST /watch': {
        const body = await readBody(req);
        if (typeof body.enabled !== 'boolean') throw new HttpError(400, 'enabled: must be true or false');
        stack.setWatching(body.enabled);
        return sendJson(res, 200, { enabled: body.enabled });
      }
      case 'POST /shutdown':
        await readBody(req);
        sendJson(res, 202, { stopping: true });
        opts.onShutdown();
        return;
      default:
        throw new HttpError(400, `unknown route ${method} ${url.pathname} (see the README's "Control socket" section)`);
    }
  };

  const server: Server = createServer((req, res) => {
    if (closing) {
      sendJson(res, 503, { error: 'msdev is stopping' });
      return;
    }
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) sendJson(res, err.status, { error: err.message });
      else sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  // A client may keep a connection for the stream as long as it likes.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;

  // A socket nobody answers on was left by a killed msdev: it goes. One that answers, or another file, stays.
  const found = await clearStaleSocket(path);
  if (found === 'live') throw new ControlSocketError(`msdev: another msdev answers on ${path}; stop it first (msdev down).`);
  if (found === 'not-a-socket') throw new ControlSocketError(`msdev: ${path} is in the way of the control socket and is not a socket; remove it.`);
  const address = socketAddress(opts.msdevDir);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // The socket is made owner-only as it is bound. listen() binds synchronously, so the umask is put
      // back before anything else runs: a service spawned meanwhile must not inherit 0177.
      const umask = process.umask(0o177);
      try {
        server.listen(address.path, () => {
          server.off('error', reject);
          resolve();
        });
      } finally {
        process.umask(umask);
      }
    });
    chmodSync(path, 0o600);
  } catch (err) {
    unsubscribeHistory();
    throw new ControlSocketError(`msdev: cannot listen on ${path}: ${fsReason(err)}`);
  } finally {
    address.release();
  }
  // A later error (none is expected once listening) must not end the run.
  server.on('error', (err) => opts.onNote('error', `control socket: ${err.message}`));

  let closed: Promise<void> | null = null;
  return {
    path,
    close(code: number) {
      closed ??= (async () => {
        closing = true;
        unsubscribeHistory();
        const exit = JSON.stringify({ ts: new Date().toISOString(), type: 'exit', code }) + '\n';
        // After the kept lines being sent, if any; nothing is written after it.
        for (const stream of [...streams]) stream.end(exit);
        streams.clear();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // Give the streams' last lines a moment to leave, then cut what is left.
          setTimeout(() => server.closeAllConnections(), 200).unref();
        });
        try {
          unlinkSync(path);
        } catch {
          // already gone (Node removes it on close)
        }
      })();
      return closed;
    },
  };
}

/** Settles a command's promise: its CommandError becomes a 409 with the engine's reason. */
async function commandOutcome(done: Promise<void>): Promise<void> {
  try {
    await done;
  } catch (err) {
    if (err instanceof CommandError) throw new HttpError(409, err.message);
    throw err;
  }
}
