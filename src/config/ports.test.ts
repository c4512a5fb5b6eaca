import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem } from './errors.js';
import { loadConfigText } from './load.js';
import { checkFixedPorts, freePort, portInUse } from './ports.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function hold(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : 0;
}

describe('ports', () => {
  it('finds a free port and tells a busy one', async () => {
    const p = await freePort();
    expect(p).toBeGreaterThan(0);
    expect(await portInUse(p)).toBe(false);
    const busy = await hold();
    expect(await portInUse(busy)).toBe(true);
  });

  it('checkFixedPorts reports taken fixed ports of active services, at their key', async () => {
    const taken = await hold();
    const free = await freePort();
    const yaml = [
      'services:',
      `  api: {command: x, port: ${taken}}`,
      `  db: {image: pg, ports: ["${free}:5432", "${taken + 0}/tcp"]}`,
      `  off: {image: pg, ports: ["${taken}:1"], profiles: [x]}`,
      '  auto: {command: y, port: auto}',
      '',
    ].join('\n');
    const { config } = await loadConfigText(yaml, { path: '/p/services.yaml', shown: 'services.yaml', cwd: '/p', profiles: [], env: {} });
    const problems = (await checkFixedPorts(config)).map(formatProblem);
    expect(problems).toEqual([
      `services.yaml:2:27: services.api.port: port ${taken} is already in use on 127.0.0.1; stop what holds it or pick another port (port: auto picks a free one)`,
    ]);
  });

  it('names the container-port-only alternative for ports entries', async () => {
    const taken = await hold();
    const yaml = `services:\n  db: {image: pg, ports: ["${taken}:5432"]}\n`;
    const { config } = await loadConfigText(yaml, { path: '/p/services.yaml', shown: 'services.yaml', cwd: '/p', profiles: [], env: {} });
    expect((await checkFixedPorts(config)).map(formatProblem)).toEqual([
      `services.yaml:2:27: services.db.ports[0]: port ${taken} is already in use on 127.0.0.1; stop what holds it or pick another port ("5432" alone picks a free host port)`,
    ]);
  });

  it('checks every port of a config built by hand, without positions', async () => {
    const taken = await hold();
    const yaml = `services:\n  api: {command: x, port: auto}\n`;
    const { config } = await loadConfigText(yaml, { path: '/p/services.yaml', shown: 'services.yaml', cwd: '/p', profiles: [], env: {}, pickPort: () => Promise.resolve(taken) });
    const byHand = { ...config };
    expect((await checkFixedPorts(byHand)).map(formatProblem)).toEqual([
      `/p/services.yaml: services.api.port: port ${taken} is already in use on 127.0.0.1; stop what holds it or pick another port (port: auto picks a free one)`,
    ]);
  });
});
