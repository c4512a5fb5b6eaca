import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpProbe } from './http-probe.js';

let server: http.Server;
let base = '';
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    switch (req.url) {
      case '/ok':
        res.end('fine');
        return;
      case '/no-content':
        res.writeHead(204).end();
        return;
      case '/redirect':
        res.writeHead(302, { location: '/fail' }).end();
        return;
      case '/fail':
        res.writeHead(503).end('down');
        return;
      case '/not-found':
        res.writeHead(404).end();
        return;
      case '/stream':
        // Headers, then a body that never ends: the probe must not wait for it.
        res.writeHead(200);
        res.write('x');
        return;
      case '/hang':
        return; // never answers
      default:
        res.writeHead(500).end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Waits until the server holds no connection (the probe left nothing open). */
async function noOpenConnections(): Promise<number> {
  for (let i = 0; i < 100 && sockets.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
  return sockets.size;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('httpProbe', () => {
  it('200 is ok, and no socket lingers', async () => {
    expect(await httpProbe(`${base}/ok`, { timeoutMs: 2000 })).toEqual({ ok: true });
    expect(await noOpenConnections()).toBe(0);
  });

  it('204 is ok', async () => {
    expect(await httpProbe(`${base}/no-content`, { timeoutMs: 2000 })).toEqual({ ok: true });
  });

  it('3xx is ok and the redirect is not followed', async () => {
    expect(await httpProbe(`${base}/redirect`, { timeoutMs: 2000 })).toEqual({ ok: true });
  });

  it('503 and 404 fail with the status', async () => {
    expect(await httpProbe(`${base}/fail`, { timeoutMs: 2000 })).toEqual({ ok: false, reason: 'HTTP 503' });
    expect(await httpProbe(`${base}/not-found`, { timeoutMs: 2000 })).toEqual({ ok: false, reason: 'HTTP 404' });
    expect(await noOpenConnections()).toBe(0);
  });

  it('does not wait for an endless body', async () => {
    expect(await httpProbe(`${base}/stream`, { timeoutMs: 2000 })).toEqual({ ok: true });
    expect(await noOpenConnections()).toBe(0);
  });

  it('a server that never answers times out, and the connection is closed', async () => {
    const started = Date.now();
    expect(await httpProbe(`${base}/hang`, { timeoutMs: 300 })).toEqual({
      ok: false,
      reason: 'timed out after 300 ms',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await noOpenConnections()).toBe(0);
  });

  it('a closed port fails with ECONNREFUSED', async () => {
    const port = await closedPort();
    expect(await httpProbe(`http://127.0.0.1:${port}/health`, { timeoutMs: 2000 })).toEqual({
      ok: false,
      reason: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('a closed port on localhost names the refused addresses', async () => {
    const port = await closedPort();
    const result = await httpProbe(`http://localhost:${port}/`, { timeoutMs: 2000 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/ECONNREFUSED/);
  });

  it('an aborted probe fails with "aborted" and closes the connection', async () => {
    const controller = new AbortController();
    const pending = httpProbe(`${base}/hang`, { timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toEqual({ ok: false, reason: 'aborted' });
    expect(await noOpenConnections()).toBe(0);
  });

  it('an already-aborted signal fails at once', async () => {
    expect(await httpProbe(`${base}/ok`, { timeoutMs: 2000, signal: AbortSignal.abort() })).toEqual({
      ok: false,
      reason: 'aborted',
    });
  });

  it('a bad URL is a failure, not an exception', async () => {
    expect(await httpProbe('not a url', { timeoutMs: 2000 })).toEqual({ ok: false, reason: 'invalid URL: not a url' });
    expect(await httpProbe('ftp://127.0.0.1/', { timeoutMs: 2000 })).toEqual({
      ok: false,
      reason: 'unsupported URL scheme: ftp:',
    });
  });
});
