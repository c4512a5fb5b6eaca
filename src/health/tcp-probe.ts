// The `tcp:` probe: healthy when host:port accepts a connection.
import net from 'node:net';
import type { ProbeOptions, ProbeResult } from './probe.js';
import { describeError, guardProbe } from './probe-guard.js';

/** Where a tcp probe connects. */
export interface TcpAddress {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port`, `[v6]:port` or a bare port (which means localhost); null when invalid. */
export function parseTcpTarget(target: string): TcpAddress | null {
  const text = target.trim();
  let host = 'localhost';
  let portText = text;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? host;
    portText = bracketed[2] ?? '';
  } else if (text.includes(':')) {
    const colon = text.lastIndexOf(':');
    host = text.slice(0, colon) || host;
    portText = text.slice(colon + 1);
  }
  if (!/^\d+$/.test(portText)) return null;
  const port = Number(portText);
  if (port < 1 || port > 65535) return null;
  return { host, port };
}

/** Connects to host:port: ok once connected (the socket is closed at once). Never rejects. */
export function tcpProbe(target: string, options: ProbeOptions): Promise<ProbeResult> {
  return guardProbe(options, (finish) => {
    const address = parseTcpTarget(target);
    if (!address) {
      finish({ ok: false, reason: `invalid tcp target: ${target} (expected host:port)` });
      return () => undefined;
    }
    const socket = net.connect({ host: address.host, port: address.port });
    socket.on('connect', () => finish({ ok: true }));
    socket.on('error', (err) => finish({ ok: false, reason: describeError(err) }));
    return () => {
      socket.destroy();
    };
  });
}

/**
 * A tcp probe for a container's published port: Docker's proxy accepts a connection on the host port even
 * when nothing listens in the container, then closes it at once. So the connection must stay open for
 * holdMs (or bring data) to count; one closed by the peer sooner means nothing listens behind the port yet.
 */
export function heldTcpProbe(holdMs: number): (target: string, options: ProbeOptions) => Promise<ProbeResult> {
  return (target, options) =>
    guardProbe(options, (finish) => {
      const address = parseTcpTarget(target);
      if (!address) {
        finish({ ok: false, reason: `invalid tcp target: ${target} (expected host:port)` });
        return () => undefined;
      }
      let timer: NodeJS.Timeout | undefined;
      const socket = net.connect({ host: address.host, port: address.port });
      socket.on('connect', () => {
        timer = setTimeout(() => finish({ ok: true }), holdMs);
      });
      socket.on('data', () => finish({ ok: true }));
      const closed = (): void => finish({ ok: false, reason: 'the port accepted the connection and closed it at once: nothing listens behind it yet' });
      socket.on('end', closed);
      socket.on('close', closed);
      socket.on('error', (err) => finish({ ok: false, reason: describeError(err) }));
      return () => {
        clearTimeout(timer);
        socket.destroy();
      };
    });
}
