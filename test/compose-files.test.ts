// Compose files read as they are (issue 13): a stack of two busybox containers, one gated on the other's
// compose healthcheck, run to ready by `msdev smoke -f compose.yaml` against the real engine; `msdev config -f`
// showing what the keys turned into; and every compose file of a collection no one here wrote (test/fixtures/
// compose-samples) read by `msdev validate -f` without a crash or a stack trace.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSYBOX, dockerOrSkip, tearDown } from './helpers/docker-kit.js';
import { ROOT, makeProject, runCli, type TempProject } from './helpers/cli.js';

const SAMPLES = join(ROOT, 'test', 'fixtures', 'compose-samples');

/** The samples rejected with legitimate positioned errors (SOURCES.md says why), and a part of each error. */
const REJECTED: Readonly<Record<string, readonly string[]>> = {
  'ac-react-express-mongodb': ['compose.yaml:9:10: services.frontend.depends_on: unknown service "backend"'],
  'ds-laravel-docker-examples': ['compose.yaml:37:9: services.php-fpm.env_file[0]: env file ".env" not found'],
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

let project: TempProject | null = null;
afterEach(async () => {
  await tearDown(project);
  project = null;
});

const stack = (): string => `# A compose file: db turns healthy once its file exists; web waits for that.
x-busybox: &busybox
  image: ${BUSYBOX}
  init: true
services:
  db:
    <<: *busybox
    command: sh -c 'sleep 1; touch /tmp/ready; exec sleep 3600'
    container_name: fixed-name
    healthcheck:
      test: ["CMD-SHELL", "test -f /tmp/ready"]
      interval: 1s
      start_interval: 200ms
      retries: 3
  web:
    <<: *busybox
    command: ["httpd", "-f", "-p", "8080", "-h", "/"]
    ports: ["127.0.0.1:\${HTTP_PORT}:8080"]
    environment:
      GREETING: $GREETING
      LITERAL: $$HOME
    depends_on:
      db:
        condition: service_healthy
    restart: unless-stopped
`;

describe('a compose file', () => {
  it('runs to ready under msdev smoke -f, web gated on db\'s compose healthcheck', { timeout: 120_000 }, async () => {
    if (!(await dockerOrSkip())) return;
    const port = await freePort();
    project = makeProject('');
    rmSync(project.path('services.yaml'));
    writeFileSync(project.path('compose.yaml'), stack());
    writeFileSync(project.path('.env'), `HTTP_PORT=${port}\nGREETING=hi\n`);
    const r = await runCli(['smoke', '-f', 'compose.yaml'], { cwd: project.dir, timeoutMs: 100_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^db\s+healthy/m);
    expect(r.stdout).toMatch(/^web\s+healthy/m);
    expect(r.stdout + r.stderr).toContain('compose.yaml:9:5: services.db.container_name: ignored: msdev names the container PROJECT-SERVICE');
  });

  it('turns into msdev services as msdev config -f shows them', { timeout: 30_000 }, async () => {
    project = makeProject('');
    rmSync(project.path('services.yaml'));
    writeFileSync(project.path('compose.yaml'), stack());
    writeFileSync(project.path('.env'), 'HTTP_PORT=47391\nGREETING=hi\n');
    const r = await runCli(['config', '-f', 'compose.yaml'], { cwd: project.dir, env: { GREETING: undefined } });
    expect(r.code, r.stderr).toBe(0);
    // compose splits a string command into words; it runs no shell of its own.
    expect(r.stdout).toMatch(/db:\n {4}kind: container\n {4}command:\n {6}- sh\n {6}- -c\n {6}- sleep 1; touch \/tmp\/ready; exec sleep 3600\n/);
    expect(r.stdout).toMatch(/healthcheck:\n {6}exec: test -f \/tmp\/ready\n {6}interval: 1s\n/);
    expect(r.stdout).toContain('- 127.0.0.1:47391:8080/tcp');
    // .env interpolates (also the unbraced $GREETING) and is not given to the containers itself; $$ is a literal $.
    expect(r.stdout).toContain('GREETING: hi');
    expect(r.stdout).toContain('LITERAL: $HOME');
    expect(r.stdout).not.toContain('HTTP_PORT:');
    expect(r.stdout).toMatch(/depends_on:\n {6}db: healthy/);
    expect(r.stdout).toMatch(/web:[\s\S]*restart: always/);
  });

  it('takes compose.override.yaml beside it: mappings merged, lists appended, command replaced', { timeout: 30_000 }, async () => {
    project = makeProject('');
    rmSync(project.path('services.yaml'));
    writeFileSync(project.path('compose.yaml'), `services:\n  web:\n    image: ${BUSYBOX}\n    command: httpd -f\n    ports: ["127.0.0.1:47392:80"]\n    environment: { A: "1", B: "2" }\n`);
    writeFileSync(project.path('compose.override.yaml'), 'services:\n  web:\n    command: ["httpd", "-f", "-v"]\n    ports: ["127.0.0.1:47393:81"]\n    environment: { B: "3" }\n    privileged: true\n');
    const r = await runCli(['config', '-f', 'compose.yaml'], { cwd: project.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/command:\n {6}- httpd\n {6}- -f\n {6}- -v\n/);
    expect(r.stdout).toContain('- 127.0.0.1:47392:80/tcp\n      - 127.0.0.1:47393:81/tcp');
    expect(r.stdout).toMatch(/A: "1"\n {6}B: "3"/);
    // A key of the override is pointed at in the override.
    expect(r.stderr).toContain('compose.override.yaml:6:5: services.web.privileged: ignored');
  });
});

describe('compose files no one here wrote', () => {
  const samples = readdirSync(SAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  it('are at least 40', () => {
    expect(samples.length).toBeGreaterThanOrEqual(40);
  });

  it.each(samples)('%s: accepted (warnings positioned) or rejected with positioned errors, never a crash', { timeout: 30_000 }, async (name) => {
    const r = await runCli(['validate', '-f', 'compose.yaml'], { cwd: join(SAMPLES, name), env: { MSDEV_NO_COLOR: '1' } });
    const out = r.stdout + r.stderr;
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
    expect(out).not.toMatch(/TypeError|ReferenceError|RangeError|internal error/i);
    for (const line of r.stderr.split('\n').filter((l) => l.startsWith('msdev: compose.yaml'))) {
      expect(line).toMatch(/^msdev: compose\.yaml:\d+:\d+: [\w.-]+(\.[\w.-]+)*: /);
    }
    const expected = REJECTED[name];
    if (expected) {
      expect(r.code, out).toBe(2);
      for (const e of expected) expect(out).toContain(e);
      for (const line of r.stderr.split('\n').filter((l) => l.startsWith('compose.yaml'))) expect(line).toMatch(/^compose\.yaml:\d+:\d+: /);
    } else expect(r.code, out).toBe(0);
  });
});
