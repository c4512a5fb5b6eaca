// Container keys through load(): entrypoint, keep, build.target, container-only keys on a process,
// the registry as containers see it, and `healthy` on a container without a check.
import { afterAll, describe, expect, it } from 'vitest';
import { testLoader, y } from '../../test/helpers/config-load.js';
import { registryEnv } from './registry.js';
import { sharedRegistries } from './service-env.js';

const loader = testLoader('msdev-container-keys-', 41000);
const { load, problems } = loader;
afterAll(() => loader.remove());

describe('container keys', () => {
  it('reads entrypoint (string or list), keep and build.target', async () => {
    const c = await load(
      y(
        'services:',
        '  web:',
        '    build: {context: ., dockerfile: Dockerfile, target: "${STAGE}"}',
        '    entrypoint: [/bin/sh, -c, "exec ${port}"]',
        '    port: 8080',
        '    keep: true',
        '  db: {image: pg, entrypoint: "docker-entrypoint.sh postgres"}',
      ),
      { env: { STAGE: 'dev' } },
    );
    const web = c.services.web!;
    const db = c.services.db!;
    if (web.kind !== 'container' || db.kind !== 'container') throw new Error('expected containers');
    expect(web.entrypoint).toEqual(['/bin/sh', '-c', 'exec 8080']);
    expect(web.keep).toBe(true);
    expect(web.build).toMatchObject({ dockerfile: 'Dockerfile', target: 'dev' });
    expect(db.entrypoint).toBe('docker-entrypoint.sh postgres');
    expect(db.keep).toBe(false);
    expect(db).not.toHaveProperty('command');
  });

  it('leaves entrypoint and target out when not given', async () => {
    const c = await load(y('services:', '  web: {build: {context: .}}', '  app: {build: ./app}'));
    for (const s of [c.services.web!, c.services.app!]) {
      if (s.kind !== 'container') throw new Error('expected a container');
      expect(s).not.toHaveProperty('entrypoint');
      expect(s.build).not.toHaveProperty('target');
      expect(s.keep).toBe(false);
    }
  });

  it('reports bad values, empty entrypoints and misspelt keys at file:line:col', async () => {
    expect(
      await problems(
        y(
          'services:',
          '  a: {image: x, keep: yes}',
          '  b: {image: x, entrypoint: []}',
          '  c: {image: x, entrypoint: " "}',
          '  d: {image: x, entrypont: sh}',
          '  e: {build: {context: ., targt: dev}}',
          '  f: {build: {target: [dev]}}',
          '  g: {image: x, keep: true, kep: false}',
        ),
      ),
    ).toEqual([
      'services.yaml:2:23: services.a.keep: expected true or false, got "yes"',
      'services.yaml:3:29: services.b.entrypoint: entrypoint is an empty list',
      'services.yaml:4:29: services.c.entrypoint: entrypoint is empty',
      'services.yaml:5:17: services.d: unknown key "entrypont" (did you mean "entrypoint"?)',
      'services.yaml:6:27: services.e.build: unknown key "targt" (did you mean "target"?)',
      'services.yaml:7:23: services.f.build.target: expected a string, got a list',
      'services.yaml:8:29: services.g: unknown key "kep" (did you mean "keep"?)',
    ]);
  });
});

describe('container-only keys on a process service', () => {
  it('reports each at its key', async () => {
    expect(
      await problems(
        y('services:', '  api:', '    command: node server.js', '    keep: false', '    entrypoint: sh', '    volumes: ["./data:/data"]', '    ports: ["8080:80"]', '    user: "1000"', '    working_dir: /app', '    labels: {a: b}'),
      ),
    ).toEqual([
      'services.yaml:4:5: services.api.keep: "keep" keeps a container when the run ends and only works for services with "image" or "build"; a process ends with the run',
      `services.yaml:5:5: services.api.entrypoint: "entrypoint" overrides an image's entrypoint and only works for services with "image" or "build"; a process runs its "command"`,
      `services.yaml:6:5: services.api.volumes: "volumes" mounts folders into a container and only works for services with "image" or "build"; a process sees the host's files as they are`,
      'services.yaml:7:5: services.api.ports: "ports" publishes container ports and only works for services with "image" or "build"; a process uses "port"',
      `services.yaml:8:5: services.api.user: "user" sets the user a container runs as and only works for services with "image" or "build"; a process runs as msdev's user`,
      'services.yaml:9:5: services.api.working_dir: "working_dir" sets the working folder inside a container and only works for services with "image" or "build"; a process uses "cwd"',
      'services.yaml:10:5: services.api.labels: "labels" labels a container and only works for services with "image" or "build"; a process has no labels',
    ]);
  });

  it('says only what is wrong when a key is invalid anyway, or when nothing runs at all', async () => {
    expect(await problems(y('services:', '  api: {command: x, keep: 1}', '  b: {volumes: [a]}'))).toEqual([
      'services.yaml:2:27: services.api.keep: expected true or false, got 1',
      'services.yaml:3:3: services.b: service has nothing to run: add "command" (a process) or "image"/"build" (a container)',
    ]);
  });
});

describe('the registry inside containers', () => {
  const yaml = y(
    'name: shop',
    'services:',
    '  web: {image: nginx, ports: ["8080:80", "8443:443"], env: {API: "${services.api.port}", DB: "${services.db.ports.5432}"}}',
    '  db: {image: pg, ports: ["5432"]}',
    '  cache: {image: redis, port: 6000, ports: ["16379:6379"]}',
    '  dns: {image: coredns, ports: ["53/udp"]}',
    '  api: {command: a, port: 3000}',
    '  worker: {command: w}',
    '  off: {image: x, ports: ["9000:90"], profiles: [later]}',
    '  own: {image: x, ports: ["9100:91"], env: {PORT: "7", DB_HOST: mine}}',
  );

  it('gives a container its peers by service name and container port, processes on host.docker.internal', async () => {
    const c = await load(yaml);
    const web = c.services.web!.env;
    expect(web).toMatchObject({
      MSDEV_PROJECT: 'shop',
      MSDEV_SERVICE: 'web',
      PORT: '80',
      WEB_HOST: 'web',
      WEB_PORT: '80',
      WEB_URL: 'http://web:80',
      DB_HOST: 'db',
      DB_PORT: '5432',
      DB_URL: 'http://db:5432',
      CACHE_HOST: 'cache',
      CACHE_PORT: '6000',
      API_HOST: 'host.docker.internal',
      API_PORT: '3000',
      API_URL: 'http://host.docker.internal:3000',
      // ${services.…} references stay the host's view.
      API: '3000',
      DB: '41001',
    });
    // No TCP port, no port at all, or not active: not in the registry.
    for (const k of ['DNS_HOST', 'WORKER_HOST', 'OFF_HOST']) expect(web).not.toHaveProperty(k);
    // A container's `port:` is its own PORT, and what its peers reach.
    expect(c.services.cache!.env.PORT).toBe('6000');
    // The service's own env still wins over the registry.
    expect(c.services.own!.env).toMatchObject({ PORT: '7', DB_HOST: 'mine', WEB_HOST: 'web' });
  });

  it("keeps 127.0.0.1 and host ports for processes and msdev run's command", async () => {
    const c = await load(yaml);
    const host = { WEB_HOST: '127.0.0.1', WEB_PORT: '8080', DB_PORT: '41001', CACHE_PORT: '6000', API_HOST: '127.0.0.1', API_URL: 'http://127.0.0.1:3000' };
    expect(c.services.api!.env).toMatchObject({ ...host, PORT: '3000' });
    expect(c.services.worker!.env).toMatchObject(host);
    expect(c.services.worker!.env).not.toHaveProperty('PORT');
    expect(registryEnv(c)).toMatchObject({ MSDEV_PROJECT: 'shop', ...host });
  });

  it('computes each view once per project, the containers view only when asked', () => {
    const ports = { a: { port: 3000, ports: [] }, b: { ports: [{ ip: '127.0.0.1', host: 8080, container: 80, protocol: 'tcp' as const }] } };
    const shared = sharedRegistries(['a', 'b'], ports, new Set(['b']));
    expect(shared.host).toEqual({ A_HOST: '127.0.0.1', A_PORT: '3000', A_URL: 'http://127.0.0.1:3000', B_HOST: '127.0.0.1', B_PORT: '8080', B_URL: 'http://127.0.0.1:8080' });
    expect(shared.container()).toBe(shared.container());
    expect(shared.container()).toEqual({ A_HOST: 'host.docker.internal', A_PORT: '3000', A_URL: 'http://host.docker.internal:3000', B_HOST: 'b', B_PORT: '80', B_URL: 'http://b:80' });
  });
});

describe('healthy without a health check', () => {
  it('is allowed on a container: its image may have a HEALTHCHECK', async () => {
    const c = await load(y('services:', '  db: {image: pg}', '  built: {build: .}', '  api: {command: a, depends_on: {db: healthy, built: service_healthy}}'));
    expect(c.services.api!.dependsOn).toEqual({ db: 'healthy', built: 'healthy' });
  });

  it('is still an error on a process with no check and no port', async () => {
    expect(await problems(y('services:', '  worker: {command: w}', '  api: {command: a, depends_on: {worker: healthy}}'))).toEqual([
      'services.yaml:3:34: services.api.depends_on.worker: "healthy" needs a way to tell: worker has no healthcheck and no port; add a healthcheck or a port, or use "started"',
    ]);
  });
});
