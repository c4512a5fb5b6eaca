// The control socket's client: the StackControl of a running msdev, over `.msdev/msdev.sock`, so a
// front end (the TUI of `up --attach`, `ps`, `logs`) runs against it exactly as against the engine.
import { Agent, request, type IncomingMessage } from 'node:http';
import type { ReadyOutcome, RestartOptions, ServiceUsage, ServiceView, StackControl, StackListener } from '../../core/control.js';
import { CommandError } from '../../core/control.js';
import type { LogEvent } from '../../core/events.js';
import type { InstanceInfo } from './control-server.js';
import { socketAddress, type SocketAddress } from './socket-path.js';
import { fromWire, parseStreamLine, usageFromWire, type StreamItem, type WireService, type WireUsage } from './wire.js';

/** No msdev answers on the socket: there is none, or the one that made it was killed (a stale socket). */
export class NotRunningError extends Error {
  override readonly name = 'NotRunningError';
  constructor(
    message: string,
    /** True when a socket file is there but nobody answers on it. */
    readonly stale: boolean,
  ) {
    super(message);
  }
}

/** Options of `logs`. */
export interface LogsRequest {
  /** Lines per service from the kept history (default: all kept). */
  readonly n?: number;
  /** Keep the stream open and deliver new lines as they come. */
  readonly follow?: boolean;
  /** Only these services (none: all). */
  readonly services?: readonly string[];
}

/** An open stream of NDJSON items. */
export interface ItemStream {
  close(): void;
  /** Resolves when the stream ends (the server ended it, or it was closed): null, or the server's error when it refused. */
  readonly done: Promise<string | null>;
}

/** A StackControl over a running msdev's control socket, with what only a client needs besides. */
export interface ControlClient extends StackControl {
  /** The socket's path. */
  readonly path: string;
  /** What the instance says of itself. */
  info(): Promise<InstanceInfo>;
  /** Log lines (history, then new ones with `follow`), each as a one-line log event. */
  logs(req: LogsRequest, onLine: (event: LogEvent) => void): ItemStream;
  /** Resolves when the stream of the first `subscribe` ends: the instance has stopped (or the connection broke). */
  readonly ended: Promise<void>;
  /** Closes every stream and connection of this client; the instance keeps running. */
  close(): void;
}

/** Options of connectControl. */
export interface ConnectOptions {
  /** Log lines per service sent after the snapshot to a subscriber (the TUI's history). Default 0. */
  readonly backlog?: number;
}

/** Connects to the msdev running the project whose `.msdev/` folder is `msdevDir`; rejects with NotRunningError when none answers. */
export async function connectControl(msdevDir: string, options: ConnectOptions = {}): Promise<ControlClient> {
  const address = socketAddress(msdevDir);
  const agent = new Agent({ keepAlive: true });
  const client = new SocketClient(address, agent, options.backlog ?? 0);
  try {
    await client.info();
  } catch (err) {
    client.close();
    throw err;
  }
  return client;
}

/** An answer: status and body. */
interface Answer {
  readonly status: number;
  readonly text: string;
}

class SocketClient implements ControlClient {
  readonly path: string;
  readonly ended: Promise<void>;
  private endedResolve: () => void = () => undefined;
  private readonly open = new Set<() => void>();

  constructor(
    private readonly address: SocketAddress,
    private readonly agent: Agent,
    private readonly backlog: number,
  ) {
    this.path = address.path;
    this.ended = new Promise((resolve) => (this.endedResolve = resolve));
  }

  info(): Promise<InstanceInfo> {
    return this.json<InstanceInfo>('GET', '/info');
  }

  async snapshot(): Promise<readonly ServiceView[]> {
    return (await this.json<WireService[]>('GET', '/services')).map(fromWire);
  }

  async usage(): Promise<readonly ServiceUsage[]> {
    return (await this.json<WireUsage[]>('GET', '/usage')).map(usageFromWire);
  }

  up(services: readonly string[] = []): void {
    void this.json('POST', '/up', { services }).catch(() => undefined);
  }

  whenReady(): Promise<ReadyOutcome> {
    return this.json<ReadyOutcome>('GET', '/ready');
  }

  async start(service: string): Promise<void> {
    await this.json('POST', `/services/${encodeURIComponent(service)}/start`);
  }

  async stop(service: string): Promise<void> {
    await this.json('POST', `/services/${encodeURIComponent(service)}/stop`);
  }

  async restart(service: string, options: RestartOptions = {}): Promise<void> {
    await this.json('POST', `/services/${encodeURIComponent(service)}/restart`, { dependents: options.dependents === true });
  }

  setWatching(on: boolean): void {
    void this.json('POST', '/watch', { enabled: on }).catch(() => undefined);
  }

  async restartAll(): Promise<void> {
    await this.json('POST', '/restart');
  }

  /** Asks the instance to stop everything; resolves once it has (its streams end). */
  async shutdown(): Promise<void> {
    const watch = this.stream(`/events`, () => undefined);
    try {
      await this.json('POST', '/shutdown');
    } catch (err) {
      watch.close();
      throw err;
    }
    await watch.done;
  }

  subscribe(listener: StackListener): () => void {
    const s = this.stream(`/events?logs=${this.backlog}`, (item) => {
      if (item.type !== 'exit') listener(item);
    });
    void s.done.then(() => this.endedResolve());
    return () => s.close();
  }

  logs(req: LogsRequest, onLine: (event: LogEvent) => void): ItemStream {
    const q = new URLSearchParams();
    if (req.n !== undefined) q.set('n', String(req.n));
    if (req.follow === true) q.set('follow', '1');
    for (const s of req.services ?? []) q.append('service', s);
    return this.stream(`/logs?${q.toString()}`, (item) => {
      if (item.type === 'log') onLine(item);
    });
  }

  close(): void {
    for (const closeOne of [...this.open]) closeOne();
    this.agent.destroy();
    this.address.release();
  }

  /** A request with a JSON body (or none) and a JSON answer; a non-2xx answer rejects with its `error`. */
  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call(method, path, body);
    if (answer.status >= 200 && answer.status < 300) return JSON.parse(answer.text) as T;
    throw new CommandError(errorOf(answer.status, answer.text));
  }

  private call(method: string, path: string, body?: unknown): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
      const req = request(
        { socketPath: this.address.path, path, method, agent: this.agent, headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', (err) => reject(notRunning(err, this.address.path)));
      req.end(data ?? undefined);
    });
  }

  /** A GET whose answer is NDJSON, item by item; consecutive log lines of one service arrive as one batch. */
  private stream(path: string, onItem: (item: StreamItem) => void): ItemStream {
    let req: ReturnType<typeof request> | null = null;
    let finish: (error: string | null) => void = () => undefined;
    const done = new Promise<string | null>((resolve) => (finish = resolve));
    const closeOne = (): void => {
      req?.destroy();
      finish(null);
    };
    this.open.add(closeOne);
    void done.then(() => this.open.delete(closeOne));
    req = request({ socketPath: this.address.path, path, method: 'GET', agent: false }, (res: IncomingMessage) => {
      if ((res.statusCode ?? 0) >= 300) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish(errorOf(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
        res.on('error', () => finish(`the control socket answered ${res.statusCode}`));
        return;
      }
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const text = rest + chunk;
        const end = text.lastIndexOf('\n');
        if (end === -1) {
          rest = text;
          return;
        }
        rest = text.slice(end + 1);
        deliver(text.slice(0, end), onItem);
      });
      const ended = (): void => finish(null);
      res.on('end', ended);
      res.on('close', ended);
      res.on('error', ended);
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish(notRunning(err, this.address.path).message));
    req.end();
    return { close: closeOne, done };
  }
}

/** The `error` of a JSON error answer, or a note of the status. */
function errorOf(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON
  }
  return `the control socket answered ${status}`;
}

/** Delivers the items of whole lines, batching consecutive log lines of one service and stream. */
function deliver(lines: string, onItem: (item: StreamItem) => void): void {
  let head: LogEvent | null = null;
  let texts: string[] = [];
  const flush = (): void => {
    if (head === null) return;
    onItem(texts.length === 1 ? head : { ...head, text: texts.join('\n'), lines: texts });
    head = null;
    texts = [];
  };
  for (const line of lines.split('\n')) {
    if (line === '') continue;
    const item = parseStreamLine(line);
    if (item === null) continue;
    if (item.type === 'log') {
      if (head === null || head.service !== item.service || head.stream !== item.stream) {
        flush();
        head = item;
      }
      texts.push(item.text);
      continue;
    }
    flush();
    onItem(item);
  }
  flush();
}

/** A connection error as NotRunningError when it means nobody answers on the socket. */
function notRunning(err: NodeJS.ErrnoException, path: string): Error {
  if (err.code === 'ENOENT') return new NotRunningError(`no msdev is running here (no ${path})`, false);
  if (err.code === 'ECONNREFUSED') return new NotRunningError(`no msdev answers on ${path} (it was killed; msdev down cleans up)`, true);
  return err;
}
