import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { problemLines } from '../../../../test/helpers/config-load.js';
import { formatProblem } from '../../errors.js';
import { loadConfigText } from '../../load.js';
import type { ContainerServiceSpec } from '../../model.js';

const root = mkdtempSync(join(tmpdir(), 'msdev-compose-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh folder holding compose.yaml with this text (and other files). */
function folder(files: Record<string, string> = {}): string {
  const dir = join(root, `p${n++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function load(text: string, opts: { env?: NodeJS.ProcessEnv; files?: Record<string, string> } = {}) {
  const dir = folder(opts.files);
  const r = await loadConfigText(text, { path: join(dir, 'compose.yaml'), shown: 'compose.yaml', cwd: dir, profiles: [], env: opts.env ?? {}, pickPort: () => Promise.resolve(40123) });
  return { ...r, dir, warnings: r.source.warnings.map(formatProblem), svc: (name: string) => r.config.services[name] as ContainerServiceSpec };
}

function problems(text: string, files: Record<string, string> = {}): Promise<string[]> {
  return problemLines(load(text, { files }));
}

const IMG = 'image: busybox';

describe('a compose file read as it is', () => {
  it('image, name, and build in both forms (args as a list, KEY alone from the shell; other build keys warned)', async () => {
    const r = await load(
      `name: shop\nservices:\n  a: { ${IMG} }\n  b:\n    build: ./b\n  c:\n    build:\n      context: c\n      dockerfile: Dockerfile.dev\n      target: dev\n      args: [X=1, FROM_SHELL, UNSET]\n      cache_from: [x]\n`,
      { env: { FROM_SHELL: 'yes' } },
    );
    expect(r.config.name).toBe('shop');
    expect(r.svc('a')).toMatchObject({ kind: 'container', image: 'busybox' });
    expect(r.svc('b').build).toMatchObject({ context: join(r.dir, 'b') });
    expect(r.svc('c').build).toEqual({ context: join(r.dir, 'c'), dockerfile: 'Dockerfile.dev', target: 'dev', args: { X: '1', FROM_SHELL: 'yes' } });
    expect(r.warnings).toEqual(['compose.yaml:12:7: services.c.build.cache_from: ignored: msdev builds with context, dockerfile, args and target only']);
  });

  it('command and entrypoint: a string is split into words as compose does (no shell), a list is kept', async () => {
    const r = await load(`services:\n  a:\n    ${IMG}\n    command: sh -c 'echo "a b" && echo $$HOME' --x=\\ y\n    entrypoint: [/bin/tini, --]\n`);
    expect(r.svc('a').command).toEqual(['sh', '-c', 'echo "a b" && echo $HOME', '--x= y']);
    expect(r.svc('a').entrypoint).toEqual(['/bin/tini', '--']);
    expect(await problems(`services:\n  a:\n    ${IMG}\n    command: echo 'oops\n`)).toEqual(['compose.yaml:4:14: services.a.command: a quote is not closed (compose splits this string into words)']);
  });

  it('environment as a mapping or a list: KEY alone passes the shell value; $VAR and ${VAR} interpolate, $$ is a literal $', async () => {
    const r = await load(`services:\n  a:\n    ${IMG}\n    environment: [A=1, FROM_SHELL, B=$HOME/x, C=$$lit, "D=\${HOME:-none}"]\n  b:\n    ${IMG}\n    environment: { N: 5, E: }\n`, { env: { FROM_SHELL: 'sh', HOME: '/h', E: 'e' } });
    expect(r.svc('a').env).toMatchObject({ A: '1', FROM_SHELL: 'sh', B: '/h/x', C: '$lit', D: '/h' });
    expect(r.svc('b').env).toMatchObject({ N: '5', E: 'e' });
  });

  it('.env beside the file is for interpolation only, below the shell', async () => {
    const r = await load(`services:\n  a:\n    image: busybox:\${TAG}\n    environment:\n      X: $FROM_DOTENV\n      Y: \${SHELL_WINS}\n`, { files: { '.env': 'TAG=1.36\nFROM_DOTENV=dot\nSHELL_WINS=dot\n' }, env: { SHELL_WINS: 'shell' } });
    expect(r.svc('a').image).toBe('busybox:1.36');
    expect(r.svc('a').env).toMatchObject({ X: 'dot', Y: 'shell' });
    expect(r.svc('a').env.TAG).toBeUndefined();
  });

  it('env_file: a path, a list, or { path, required: false } skipped when missing', async () => {
    const r = await load(`services:\n  a:\n    ${IMG}\n    env_file: [a.env, { path: missing.env, required: false }, { path: b.env }]\n`, { files: { 'a.env': 'A=1\n', 'b.env': 'B=2\n' } });
    expect(r.svc('a').env).toMatchObject({ A: '1', B: '2' });
    expect(await problems(`services:\n  a:\n    ${IMG}\n    env_file: nope.env\n`)).toEqual(['compose.yaml:4:15: services.a.env_file[0]: env file "nope.env" not found']);
  });

  it('ports: short syntax, ranges, udp, an IP, and the long syntax; IPv6 and sctp warned', async () => {
    const r = await load(
      `services:\n  a:\n    ${IMG}\n    ports:\n      - 8080:80\n      - "9000-9001:9000-9001"\n      - 5353:53/udp\n      - 127.0.0.2:7000:70\n      - "[::1]:6000:60"\n      - 132:132/sctp\n      - { target: 81, published: "8081", protocol: tcp, mode: host }\n`,
    );
    expect(r.svc('a').ports.map((p) => `${p.ip}:${p.host}:${p.container}/${p.protocol}`)).toEqual([
      '127.0.0.1:8080:80/tcp',
      '127.0.0.1:9000:9000/tcp',
      '127.0.0.1:9001:9001/tcp',
      '127.0.0.1:5353:53/udp',
      '127.0.0.2:7000:70/tcp',
      '127.0.0.1:6000:60/tcp',
      '127.0.0.1:8081:81/tcp',
    ]);
    expect(r.warnings).toEqual([
      'compose.yaml:9:9: services.a.ports.4: msdev binds IPv4 only: published on 127.0.0.1 instead of [::1]',
      'compose.yaml:10:9: services.a.ports.5: ignored: msdev publishes tcp and udp ports only',
      'compose.yaml:11:57: services.a.ports.6.mode: ignored by msdev',
    ]);
  });

  it('expose is warned: containers reach each other on the project network anyway', async () => {
    const r = await load(`services:\n  a:\n    ${IMG}\n    expose: [3000]\n`);
    expect(r.warnings[0]).toMatch(/^compose\.yaml:4:5: services\.a\.expose: ignored: containers reach each other/);
  });

  it('volumes: bind, named (declared at the top), anonymous, long syntax; an undeclared name is an error as in compose', async () => {
    const r = await load(
      `services:\n  a:\n    ${IMG}\n    volumes:\n      - ./src:/src:ro\n      - data:/data\n      - /cache\n      - { type: bind, source: conf, target: /etc/conf, read_only: true }\n      - { type: volume, source: data, target: /d2 }\n      - { type: tmpfs, target: /tmp }\nvolumes:\n  data:\n    external: true\n`,
    );
    expect(r.svc('a').volumes).toEqual([`${r.dir}/src:/src:ro`, 'data:/data', '/cache', `${r.dir}/conf:/etc/conf:ro`, 'data:/d2']);
    expect(r.warnings).toEqual([
      'compose.yaml:13:5: volumes.data.external: ignored: msdev uses the local volume PROJECT_data',
      'compose.yaml:10:9: services.a.volumes.5: ignored: msdev mounts bind and volume types only, not tmpfs',
    ]);
    expect(await problems(`services:\n  a:\n    ${IMG}\n    volumes: [nope:/x]\n`)).toEqual([
      'compose.yaml:4:15: services.a.volumes.0: named volume "nope" is not declared under the top-level "volumes:" (compose refuses it too)',
    ]);
  });

  it('secrets and configs from files become read-only mounts where compose puts them', async () => {
    const r = await load(`services:\n  a:\n    ${IMG}\n    secrets: [pw, { source: pw, target: other }]\n    configs: [conf]\nsecrets:\n  pw: { file: ./pw.txt }\n  env: { environment: PW }\nconfigs:\n  conf: { file: app.conf }\n`);
    expect(r.svc('a').volumes).toEqual([`${r.dir}/pw.txt:/run/secrets/pw:ro`, `${r.dir}/pw.txt:/run/secrets/other:ro`, `${r.dir}/app.conf:/conf:ro`]);
    expect(r.warnings).toEqual(['compose.yaml:8:3: secrets.env: ignored: msdev mounts secrets declared with "file:" only']);
  });

  it('depends_on: a list, or conditions; required: false on a missing service drops it; restart: true warned', async () => {
    const r = await load(
      `services:\n  db: { ${IMG} }\n  init: { ${IMG} }\n  a:\n    ${IMG}\n    depends_on: [db]\n  b:\n    ${IMG}\n    depends_on:\n      db: { condition: service_healthy, restart: true }\n      init: { condition: service_completed_successfully }\n      gone: { condition: service_started, required: false }\n`,
    );
    expect(r.svc('a').dependsOn).toEqual({ db: 'started' });
    expect(r.svc('b').dependsOn).toEqual({ db: 'healthy', init: 'completed' });
    expect(r.svc('init').oneShot).toBe(true);
    expect(r.warnings).toEqual(['compose.yaml:10:41: services.b.depends_on.db.restart: ignored: msdev does not restart b when db is restarted']);
    expect(await problems(`services:\n  db: { ${IMG} }\n  a:\n    ${IMG}\n    depends_on: { db: { condition: service_ready } }\n`)).toEqual([
      'compose.yaml:5:36: services.a.depends_on.db.condition: expected service_started, service_healthy or service_completed_successfully',
    ]);
  });

  it('healthcheck: CMD (words quoted for sh), CMD-SHELL, a string, timings; NONE and disable warned', async () => {
    const r = await load(
      `services:\n  a:\n    ${IMG}\n    healthcheck:\n      test: [CMD, wget, -q, "http://x/a b", "$$HOME"]\n      interval: 2s\n      timeout: 1s\n      retries: 4\n      start_period: 5s\n      start_interval: 200ms\n  b:\n    ${IMG}\n    healthcheck: { test: [CMD-SHELL, "pg_isready || exit 1"] }\n  c:\n    ${IMG}\n    healthcheck: { test: "redis-cli ping" }\n  d:\n    ${IMG}\n    healthcheck: { test: [NONE] }\n  e:\n    ${IMG}\n    healthcheck: { disable: true }\n`,
    );
    expect(r.svc('a').healthcheck).toMatchObject({ kind: 'exec', target: "wget -q 'http://x/a b' '$HOME'", intervalMs: 2000, timeoutMs: 1000, retries: 4, startPeriodMs: 5000, startIntervalMs: 200 });
    expect(r.svc('b').healthcheck).toMatchObject({ kind: 'exec', target: 'pg_isready || exit 1' });
    expect(r.svc('c').healthcheck).toMatchObject({ kind: 'exec', target: 'redis-cli ping' });
    expect(r.svc('d').healthcheck).toBeUndefined();
    expect(r.warnings).toEqual([
      "compose.yaml:19:26: services.d.healthcheck.test: msdev cannot switch off the image's own HEALTHCHECK; it still decides when the service is healthy",
      "compose.yaml:22:5: services.e.healthcheck.disable: msdev cannot switch off the image's own HEALTHCHECK; it still decides when the service is healthy",
    ]);
  });

  it('restart, stop_signal, stop_grace_period, profiles', async () => {
    const r = await load(
      `services:\n  a: { ${IMG}, restart: always, stop_signal: SIGINT, stop_grace_period: 1m30s, profiles: [dev] }\n  b: { ${IMG}, restart: "on-failure:3" }\n  c: { ${IMG}, restart: unless-stopped, stop_signal: SIGWINCH }\n  d: { ${IMG}, restart: "no" }\n`,
    );
    expect(r.svc('a')).toMatchObject({ restart: 'always', stopSignal: 'SIGINT', stopTimeoutMs: 90_000, profiles: ['dev'] });
    expect(r.svc('b')).toMatchObject({ restart: 'on-failure', maxRestarts: 3 });
    expect(r.svc('c')).toMatchObject({ restart: 'always', stopSignal: 'SIGTERM' });
    expect(r.svc('d')).toMatchObject({ restart: 'on-failure', oneShot: false });
    expect(r.warnings).toEqual([
      'compose.yaml:4:62: services.c.stop_signal: msdev cannot send SIGWINCH; it sends SIGTERM (it sends SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGKILL, SIGUSR1, SIGUSR2)',
      'compose.yaml:5:33: services.d.restart: msdev restarts a crashed container (on-failure, 5 times); its "no" would mean a one-shot task',
    ]);
  });

  it('develop.watch becomes msdev watch (paths joined, one action); target and a second action warned', async () => {
    const r = await load(`services:\n  a:\n    build: .\n    develop:\n      watch:\n        - { path: ./src, action: sync+restart, target: /app/src, ignore: [node_modules/] }\n        - { path: package.json, action: rebuild }\n`);
    expect(r.svc('a').watch).toMatchObject({ paths: [join(r.dir, 'src'), join(r.dir, 'package.json')], ignore: ['node_modules/'], action: 'sync+restart' });
    expect(r.warnings).toEqual([
      "compose.yaml:6:48: services.a.develop.watch.0.target: msdev syncs into the container's working folder (its WORKDIR), at each file's place relative to the watched path, not to target",
      'compose.yaml:7:41: services.a.develop.watch.1.action: msdev has one action per service: sync+restart (from the first rule) is used for this path too',
    ]);
  });

  it('keys msdev cannot honour get a positioned warning naming them; x-* extensions and anchors are the user\'s and silent', async () => {
    const r = await load(
      `version: "3.8"\nx-common: &common\n  ${IMG}\n  x-note: mine\nservices:\n  a:\n    <<: *common\n    user: "1000"\n    working_dir: /app\n    labels: { a: b }\n    deploy: { replicas: 2 }\n    cap_add: [NET_ADMIN]\n    networks: [default]\nnetworks:\n  back: {}\n`,
    );
    expect(r.svc('a').image).toBe('busybox');
    expect(r.svc('a')).toMatchObject({ user: '1000', workingDir: '/app', labels: { a: 'b' } });
    expect(r.warnings).toEqual([
      'compose.yaml:1:1: version: ignored: obsolete in the compose specification',
      'compose.yaml:14:1: networks: ignored: msdev puts every container on one project network (PROJECT-msdev)',
      'compose.yaml:11:5: services.a.deploy: ignored: resources, replicas and placement are not applied locally',
      'compose.yaml:12:5: services.a.cap_add: ignored: msdev does not apply it to the container',
    ]);
  });

  it('extends a service of the same file (its depends_on not inherited); a loop is an error', async () => {
    const r = await load(`services:\n  base: { ${IMG}, environment: { A: "1" }, depends_on: [db] }\n  db: { ${IMG} }\n  a:\n    extends: base\n    environment: { B: "2" }\n`);
    expect(r.svc('a')).toMatchObject({ image: 'busybox', dependsOn: {} });
    expect(r.svc('a').env).toMatchObject({ A: '1', B: '2' });
    expect(await problems(`services:\n  a: { ${IMG}, extends: b }\n  b: { ${IMG}, extends: a }\n`)).toEqual([
      'compose.yaml:3:33: services.b.extends: extends loops back to "a"',
      'compose.yaml:2:33: services.a.extends: extends loops back to "b"',
    ]);
  });

  it('merges compose.override.yaml: problems in it point into it; its values are placed at their service in the main file', async () => {
    const override = 'services:\n  a:\n    environment: [B=3]\n    ports: ["9090:90"]\n    shm_size: 1g\n  b:\n    image: busybox\n    healthcheck: { test: [CMD] }\n';
    expect(await problems(`services:\n  a:\n    ${IMG}\n    environment: { A: "1", B: "2" }\n    ports: ["8080:80"]\n`, { 'compose.override.yaml': override })).toEqual([
      'compose.override.yaml:8:26: services.b.healthcheck.test: expected a string, or a list starting with CMD, CMD-SHELL or NONE',
    ]);
    const r = await load(`services:\n  a:\n    ${IMG}\n    environment: { A: "1", B: "2" }\n    ports: ["8080:80"]\n`, { files: { 'compose.override.yaml': override.replace('[CMD]', '[CMD, "true"]') } });
    expect(r.svc('a').env).toMatchObject({ A: '1', B: '3' });
    expect(r.svc('a').ports.map((p) => p.host)).toEqual([8080, 9090]);
    expect(r.warnings).toEqual(['compose.override.yaml:5:5: services.a.shm_size: ignored: msdev does not apply it to the container']);
  });

  it('needs image or build, a services mapping; hostile shapes are positioned errors, never a crash', async () => {
    expect(await problems('services:\n  a: { command: run }\n')).toEqual(['compose.yaml:2:3: services.a: a compose service needs "image" or "build"']);
    expect(await problems('services: [a, b]\n')).toEqual(['compose.yaml:1:11: services: expected a mapping of services']);
    expect(await problems('just text\n')).toEqual(['compose.yaml:1:1: expected a mapping at the top (services, volumes, …)']);
    expect(await problems('volumes: {}\n')).toEqual(['compose.yaml:1:1: a compose file needs "services:"']);
    for (const hostile of ['services:\n  a: 5\n', 'services:\n  a: { image: [x], ports: 5, volumes: { a: 1 }, healthcheck: [1], depends_on: 7, environment: 3, develop: { watch: 1 } }\n', `services:\n  a: { ${IMG}, ports: [{}], volumes: [{}], secrets: [x], develop: { watch: [{}] } }\n`]) {
      expect((await problems(hostile)).length).toBeGreaterThan(0);
    }
  });
});
