// What loading produces: defaults, paths, ports, env layering, registry, active services, one-shots.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testLoader, y } from '../../test/helpers/config-load.js';

const loader = testLoader('msdev-load-', 40000);
const { dir, load, problems } = loader;
afterAll(() => loader.remove());

describe('loadConfig: defaults and paths', () => {
  it('fills in defaults and makes paths absolute', async () => {
    const c = await load(y('services:', '  api:', '    command: node server.js', '    cwd: ./api'));
    expect(c.name).toBe(dir.split('/').pop());
    expect(c.dir).toBe(dir);
    expect(c.file).toBe(join(dir, 'services.yaml'));
    expect(c.active).toEqual(['api']);
    const api = c.services.api!;
    expect(api).toMatchObject({
      name: 'api',
      kind: 'process',
      command: 'node server.js',
      cwd: join(dir, 'api'),
      ports: [],
      dependsOn: {},
      restart: 'on-failure',
      maxRestarts: 5,
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 10_000,
      oneShot: false,
      profiles: [],
    });
    expect(api).not.toHaveProperty('volumes');
    expect(api.healthcheck).toBeUndefined();
    expect(api.port).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.services.api!.env)).toBe(true);
  });

  it('resolves containers: build, volumes, ports', async () => {
    const c = await load(
      y(
        'services:',
        '  web:',
        '    build: {context: ./web, dockerfile: Dockerfile.dev, args: {NODE: 20}}',
        '    ports: ["8080:80", "0.0.0.0:8443:443", "9000", 53/udp]',
        '    volumes: ["./data:/data:ro", "named:/x", "~/cache:/cache"]',
        '    stop_signal: INT',
        '    restart: no',
        '    watch: {action: rebuild}',
      ),
      { env: { HOME: '/home/u' } },
    );
    const web = c.services.web!;
    expect(web.kind).toBe('container');
    if (web.kind !== 'container') return;
    expect(web.build).toEqual({ context: join(dir, 'web'), dockerfile: 'Dockerfile.dev', args: { NODE: '20' } });
    expect(web.ports).toEqual([
      { ip: '127.0.0.1', host: 8080, container: 80, protocol: 'tcp' },
      { ip: '0.0.0.0', host: 8443, container: 443, protocol: 'tcp' },
      { ip: '127.0.0.1', host: 40001, container: 9000, protocol: 'tcp' },
      { ip: '127.0.0.1', host: 40002, container: 53, protocol: 'udp' },
    ]);
    expect(web.volumes).toEqual([`${join(dir, 'data')}:/data:ro`, 'named:/x', '/home/u/cache:/cache']);
    expect(web.stopSignal).toBe('SIGINT');
    expect(web.restart).toBe('no');
    expect(web.oneShot).toBe(true);
    expect(web.watch).toEqual({ paths: [join(dir, 'web')], ignore: [], action: 'rebuild', debounceMs: 200, restartDependents: false });
    expect(web.healthcheck).toEqual({ kind: 'tcp', target: '127.0.0.1:8080', implicit: true, intervalMs: 500, timeoutMs: 1000, retries: 3, startPeriodMs: 0, startIntervalMs: 100 });
  });

  it('picks free ports for auto and never hands out a fixed one', async () => {
    let n = 0;
    const picks = [5000, 5000, 7000, 7001];
    const c = await load(y('services:', '  a: {command: x, port: auto}', '  b: {command: y, port: 5000}', '  c: {command: z, port: auto}'), {
      pickPort: () => Promise.resolve(picks[n++]!),
    });
    expect([c.services.a!.port, c.services.b!.port, c.services.c!.port]).toEqual([7000, 5000, 7001]);
  });
});

describe('loadConfig: a reload of a running stack', () => {
  it('keeps the auto and ephemeral ports a service had, unless a fixed port now claims one', async () => {
    let n = 0;
    const picks = [7100, 7101, 7102];
    const keepPorts = {
      a: { port: 6000, ports: [] },
      b: { port: 6001, ports: [] },
      web: { ports: [{ ip: '127.0.0.1', host: 6002, container: 80, protocol: 'tcp' as const }] },
    };
    const c = await load(
      y('services:', '  a: {command: x, port: auto}', '  b: {command: y, port: auto}', '  c: {command: z, port: 6001}', '  web: {image: nginx, ports: ["80", "443"]}'),
      { pickPort: () => Promise.resolve(picks[n++]!), keepPorts },
    );
    expect(c.services.a!.port).toBe(6000);
    // b's old port is fixed for c now: b gets a fresh one.
    expect([c.services.b!.port, c.services.c!.port]).toEqual([7100, 6001]);
    expect(c.services.web!.ports.map((p) => [p.container, p.host])).toEqual([
      [80, 6002],
      [443, 7101],
    ]);
  });

  it('lists every env file it reads, top-level and per service, as absolute paths', async () => {
    writeFileSync(join(dir, 'reload-top.env'), 'A=1\n');
    writeFileSync(join(dir, 'reload-api.env'), 'B=2\n');
    const c = await load(y('env_file: reload-top.env', 'services:', '  api: {command: x, env_file: [reload-api.env]}'));
    expect([...c.envFiles].sort()).toEqual([join(dir, 'reload-api.env'), join(dir, 'reload-top.env')]);
  });
});

describe('loadConfig: health checks', () => {
  it.each([
    ['{http: /health}', { kind: 'http', target: 'http://127.0.0.1:3000/health' }],
    ['{http: "http://localhost:${port}/x"}', { kind: 'http', target: 'http://localhost:3000/x' }],
    ['{tcp: 5432}', { kind: 'tcp', target: '127.0.0.1:5432' }],
    ['{tcp: "${port}"}', { kind: 'tcp', target: '127.0.0.1:3000' }],
    ['{tcp: "db.local:5432"}', { kind: 'tcp', target: 'db.local:5432' }],
    ['{exec: "curl -f localhost"}', { kind: 'exec', target: 'curl -f localhost' }],
    ['{log: "listening on \\\\d+"}', { kind: 'log', target: 'listening on \\d+' }],
  ])('%s', async (hc, expected) => {
    const c = await load(y('services:', `  api: {command: x, port: 3000, healthcheck: ${hc}}`));
    expect(c.services.api!.healthcheck).toEqual({ ...expected, intervalMs: 1000, timeoutMs: 2000, retries: 3, startPeriodMs: 0, startIntervalMs: 100, implicit: false });
  });

  it.each([
    ['{tcp: 1, interval: 50ms}', 50, 50],
    ['{tcp: 1, interval: 5s}', 5000, 100],
    ['{tcp: 1, interval: 50ms, start_interval: 200ms}', 50, 200],
  ])('start_interval: %s probes every %i ms, every %i ms until the first success', async (hc, interval, start) => {
    const c = await load(y('services:', `  api: {command: x, healthcheck: ${hc}}`));
    expect(c.services.api!.healthcheck).toMatchObject({ intervalMs: interval, startIntervalMs: start });
  });

  it('takes the timings as written', async () => {
    const c = await load(y('services:', '  api: {command: x, healthcheck: {exec: "true", interval: 500ms, timeout: 1, retries: 7, start_period: 1m30s}}'));
    expect(c.services.api!.healthcheck).toMatchObject({ intervalMs: 500, timeoutMs: 1000, retries: 7, startPeriodMs: 90_000 });
  });

  it('rejects a URL that is not http', async () => {
    expect(await problems(y('services:', '  api: {command: x, healthcheck: {http: "ftp://x"}}'))).toEqual([
      'services.yaml:2:41: services.api.healthcheck.http: expected an http:// or https:// URL (or a path like /health), got "ftp://x"',
    ]);
  });
});

describe('loadConfig: dependencies, profiles, one-shots', () => {
  const yaml = y(
    'services:',
    '  db: {image: pg, ports: ["5432"], profiles: [data]}',
    '  migrate: {command: m, depends_on: {db: service_healthy}}',
    '  api: {command: a, depends_on: {migrate: {condition: service_completed_successfully}, db: healthy}}',
    '  web: {command: w, depends_on: [api], profiles: [full]}',
    '  tool: {command: t, profiles: [tools], depends_on: {cache: completed}}',
    '  cache: {command: c, restart: on-failure}',
  );

  it('normalizes both depends_on forms and compose conditions', async () => {
    const c = await load(yaml);
    expect(c.services.api!.dependsOn).toEqual({ migrate: 'completed', db: 'healthy' });
    expect(c.services.migrate!.dependsOn).toEqual({ db: 'healthy' });
    expect(c.services.web!.dependsOn).toEqual({ api: 'started' });
  });

  it.each([
    [[], undefined, ['db', 'migrate', 'api', 'cache']],
    [['full'], undefined, ['db', 'migrate', 'api', 'web', 'cache']],
    [['tools'], undefined, ['db', 'migrate', 'api', 'tool', 'cache']],
    [[], ['web'], ['db', 'migrate', 'api', 'web']],
    [[], ['cache'], ['cache']],
  ] as const)('profiles %j, services %j → active %j', async (profiles, services, active) => {
    const c = await load(yaml, { profiles, ...(services ? { services } : {}) });
    expect(c.active).toEqual(active);
  });

  it('marks services waited on with completed as one-shots, only when the dependent is active', async () => {
    expect((await load(yaml)).services.cache!.oneShot).toBe(false);
    expect((await load(yaml, { profiles: ['tools'] })).services.cache!.oneShot).toBe(true);
    expect((await load(yaml)).services.migrate!.oneShot).toBe(true);
  });
});

describe('loadConfig: environment', () => {
  writeFileSync(join(dir, '.env'), 'FROM_FILE=file\nSHELL_WINS=file\nGLOBAL_WINS=file\nSECRET=$x\n');
  writeFileSync(join(dir, 'api.env'), 'SVC_FILE=svcfile\nLOG_LEVEL=from-service-file\n');

  const yaml = y(
    'name: shop',
    'env_file: .env',
    'env:',
    '  LOG_LEVEL: debug',
    '  GLOBAL_WINS: global',
    '  FROM_SHELL_VIA_GLOBAL: ${SHELL_ONLY}',
    '  PASS:',
    'services:',
    '  api:',
    '    command: "echo ${FROM_FILE} ${SHELL_WINS} ${LOG_LEVEL} $$HOME ${port}"',
    '    port: 3000',
    '    env_file: api.env',
    '    env:',
    '      OWN: "${services.db.url} ${services.db.host}:${services.db.ports.5432} ${services.my-cache.port}"',
    '      PORT: 9999',
    '      VERSION: 1.10',
    '      FLAG: true',
    '      PASS:',
    '  db: {image: pg, ports: ["15432:5432"]}',
    '  my-cache: {command: c, port: 6379}',
    '  off: {command: o, port: 7000, profiles: [x]}',
  );

  it('layers env files, global env, the registry, service env files and service env', async () => {
    const c = await load(yaml, { env: { SHELL_WINS: 'shell', SHELL_ONLY: 'sh', PASS: 'from-shell' } });
    const api = c.services.api!;
    expect(api.command).toBe('echo file shell debug $HOME 3000');
    expect(api.env).toEqual({
      FROM_FILE: 'file',
      GLOBAL_WINS: 'global',
      SECRET: '$x',
      LOG_LEVEL: 'from-service-file',
      FROM_SHELL_VIA_GLOBAL: 'sh',
      MSDEV_PROJECT: 'shop',
      MSDEV_SERVICE: 'api',
      PORT: '9999',
      API_HOST: '127.0.0.1',
      API_PORT: '3000',
      API_URL: 'http://127.0.0.1:3000',
      DB_HOST: '127.0.0.1',
      DB_PORT: '15432',
      DB_URL: 'http://127.0.0.1:15432',
      MY_CACHE_HOST: '127.0.0.1',
      MY_CACHE_PORT: '6379',
      MY_CACHE_URL: 'http://127.0.0.1:6379',
      SVC_FILE: 'svcfile',
      OWN: 'http://127.0.0.1:15432 127.0.0.1:15432 6379',
      VERSION: '1.10',
      FLAG: 'true',
    });
    // A container's own PORT is the container side of its first TCP entry; it sees its peers as containers do.
    expect(c.services.db!.env).toMatchObject({ PORT: '5432', DB_HOST: 'db', DB_PORT: '5432', API_HOST: 'host.docker.internal', API_PORT: '3000' });
    expect(c.services['my-cache']!.env.PORT).toBe('6379');
  });

  it('reports a missing env file at its value', async () => {
    expect(await problems(y('env_file: [.env, nope.env]', 'services:', '  api: {command: x, env_file: also-nope.env}'))).toEqual([
      `services.yaml:1:18: env_file[1]: env file "nope.env" not found`,
      `services.yaml:3:31: services.api.env_file: env file "also-nope.env" not found`,
    ]);
  });

  it('reports bad lines of an env file at their own position', async () => {
    writeFileSync(join(dir, 'bad.env'), 'OK=1\nthis is not\n');
    expect(await problems(y('env_file: bad.env', 'services:', '  api: {command: x}'))).toEqual(['bad.env:2:1: expected KEY=VALUE, got "this is not"']);
  });
});
