import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldTcpProbe, parseTcpTarget, tcpProbe } from './tcp-probe.js';

let server: net.Server;
let port = 0;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('parseTcpTarget', () => {
  it.each([
    ['127.0.0.1:5432', { host: '127.0.0.1', port: 5432 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['5432', { host: 'localhost', port: 5432 }],
    [':5432', { host: 'localhost', port: 5432 }],
    ['db:0', null],
    ['db:70000', null],
    ['db:http', null],
    ['', null],
  ])('%s', (target, expected) => {
    expect(parseTcpTarget(target)).toEqual(expected);
  });
});

describe('tcpProbe', () => {
  it('ok when the port accepts, and the socket is closed after', async () => {
    expect(await tcpProbe(`127.0.0.1:${port}`, { timeoutMs: 2000 })).toEqual({ ok: true });
    for (let i = 0; i < 100 && sockets.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sockets.size).toBe(0);
  });

  it('fails with ECONNREFUSED on a closed port', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await tcpProbe(`127.0.0.1:${closedPort}`, { timeoutMs: 2000 })).toEqual({
      ok: false,
      reason: `connect ECONNREFUSED 127.0.0.1:${closedPort}`,
    });
  });

  it('fails on an invalid target without throwing', async () => {
    expect(await tcpProbe('db:http', { timeoutMs: 2000 })).toEqual({
      ok: false,
      reason: 'invalid tcp target: db:http (expected host:port)',
    });
  });

  it('an aborted signal fails with "aborted"', async () => {
    expect(await tcpProbe(`127.0.0.1:${port}`, { timeoutMs: 2000, signal: AbortSignal.abort() })).toEqual({
      ok: false,
      reason: 'aborted',
    });
  });
});

describe('heldTcpProbe (a container behind Docker\'s proxy)', () => {
  /** A server on a free port that does `onConnection` with each socket; closed after the test. */
  async function server(onConnection: (s: net.Socket) => void): Promise<{ port: number; close: () => void }> {
    const srv = net.createServer(onConnection);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return { port: (srv.address() as AddressInfo).port, close: () => srv.close() };
  }
  const probe = heldTcpProbe(100);

  it('fails when the peer closes the connection at once (the proxy with nothing behind it)', async () => {
    const s = await server((c) => c.end());
    try {
      expect(await probe(`127.0.0.1:${s.port}`, { timeoutMs: 2000 })).toEqual({ ok: false, reason: 'the port accepted the connection and closed it at once: nothing listens behind it yet' });
    } finally {
      s.close();
    }
  });

  it('passes when the connection stays open, or when data comes first', async () => {
    const sockets: net.Socket[] = [];
    const quiet = await server((c) => sockets.push(c));
    const banner = await server((c) => {
      sockets.push(c);
      c.write('220 hello\r\n');
    });
    try {
      expect(await probe(`127.0.0.1:${quiet.port}`, { timeoutMs: 2000 })).toEqual({ ok: true });
      expect(await heldTcpProbe(60_000)(`127.0.0.1:${banner.port}`, { timeoutMs: 2000 })).toEqual({ ok: true });
    } finally {
      for (const c of sockets) c.destroy();
      quiet.close();
      banner.close();
    }
  });

  it('fails on a refused connection and on a bad target', async () => {
    const s = await server(() => undefined);
    s.close();
    expect((await probe(`127.0.0.1:${s.port}`, { timeoutMs: 2000 })).ok).toBe(false);
    expect(await probe('nope', { timeoutMs: 2000 })).toEqual({ ok: false, reason: 'invalid tcp target: nope (expected host:port)' });
  });
});
