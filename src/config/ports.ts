// Free and busy ports on this machine: `port: auto`, ephemeral container ports, and the check
// that fixed ports are free before `up` starts anything.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { ConfigProblem } from './errors.js';
import type { ProjectConfig } from './model.js';
import { configSource, type FixedPort } from './config-source.js';

/** A free TCP port on `host`, found by binding port 0 and closing again. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** True when something already holds TCP `port` on `host` (binding it fails with EADDRINUSE). */
export async function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'EADDRINUSE'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => done(false)));
  });
}

/** True when something already holds UDP `port` on `host`. */
export async function udpPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.unref();
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      done(err.code === 'EADDRINUSE');
    });
    socket.bind({ port, address: host, exclusive: true }, () => socket.close(() => done(false)));
  });
}

/**
 * Every fixed host port (`port: N`, `ports: ["N:…"]`) of an active service that something on this
 * machine already holds, as problems at the position of that key. Ports picked by msdev (`auto`,
 * `"CONTAINER"` alone) are not checked. Positions come from the source kept by loadConfig; for a
 * config built by hand every port is checked and problems have line 0.
 */
export async function checkFixedPorts(config: ProjectConfig): Promise<ConfigProblem[]> {
  const source = configSource(config);
  const active = new Set(config.active);
  const fixed = source?.fixedPorts ?? allPorts(config);
  const checks = fixed
    .filter((f) => active.has(f.service))
    .map(async (f): Promise<ConfigProblem | null> => {
      const busy = f.protocol === 'udp' ? await udpPortInUse(f.port, f.ip) : await portInUse(f.port, f.ip);
      if (!busy) return null;
      const pos = source?.locate(f.path) ?? { line: 0, col: 0 };
      const hint = f.path.includes('ports') ? `"${f.container}" alone picks a free host port` : 'port: auto picks a free one';
      return {
        file: source?.file ?? config.file,
        line: pos.line,
        col: pos.col,
        path: f.pathText,
        message: `port ${f.port} is already in use on ${f.ip}; stop what holds it or pick another port (${hint})`,
      };
    });
  return (await Promise.all(checks)).filter((p): p is ConfigProblem => p !== null);
}

/** For a config built by hand (no source): every port of every service counts as fixed. */
function allPorts(config: ProjectConfig): FixedPort[] {
  return Object.values(config.services).flatMap((s) => {
    const own: FixedPort[] = s.port === undefined ? [] : [{ service: s.name, port: s.port, ip: '127.0.0.1', protocol: 'tcp', path: ['services', s.name, 'port'], pathText: `services.${s.name}.port` }];
    const mapped = s.ports.map((p, i): FixedPort => ({ service: s.name, port: p.host, ip: p.ip, protocol: p.protocol, container: p.container, path: ['services', s.name, 'ports', i], pathText: `services.${s.name}.ports[${i}]` }));
    return [...own, ...mapped];
  });
}
