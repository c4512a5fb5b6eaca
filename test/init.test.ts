// `msdev init` end to end: on copies of the examples (their services.yaml moved away) it writes a file
// that `msdev validate` accepts and `msdev smoke` gets ready; it never overwrites without --force.
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'msdev-init-'));
  temps.push(d);
  return d;
}

/** A copy of an example with its services.yaml moved away (to services.yaml.orig). */
function exampleCopy(name: string): string {
  const dir = join(tempDir(), name);
  cpSync(join(ROOT, 'examples', name), dir, { recursive: true, filter: (src) => !src.includes('.msdev') && !src.endsWith('/data') });
  renameSync(join(dir, 'services.yaml'), join(dir, 'services.yaml.orig'));
  return dir;
}

describe('msdev init', () => {
  it.each([
    ['quickstart', ['api', 'gateway', 'migrate', 'worker']],
    ['python-shop', ['catalog', 'gateway', 'notifier', 'orders', 'queue', 'seed']],
  ])('on examples/%s without its services.yaml: writes one that validates and gets ready under smoke', { timeout: 120_000 }, async (name, services) => {
    const dir = exampleCopy(name);
    const init = await runCli(['init'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote services.yaml');
    expect(init.stdout).toContain('msdev up');
    const text = readFileSync(join(dir, 'services.yaml'), 'utf8');
    for (const s of services) expect(text).toMatch(new RegExp(`^  ${s}:$`, 'm'));
    expect(text).toMatch(/^ {2}# /m);
    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const smoke = await runCli(['smoke', '--timeout', '60s'], { cwd: dir, timeoutMs: 90_000 });
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
    expect(smoke.stdout).toMatch(/^gateway\s+healthy/m);
  });

  it('refuses to overwrite services.yaml or msdev.yaml without --force (exit 1, naming the file); --force replaces it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'worker.js'), 'setInterval(() => {}, 1000);\n');
    writeFileSync(join(dir, 'services.yaml'), 'services:\n  x: { command: "true" }\n');
    const refused = await runCli(['init'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^msdev: services\.yaml already exists here.*--force/);
    expect(readFileSync(join(dir, 'services.yaml'), 'utf8')).toBe('services:\n  x: { command: "true" }\n');

    const forced = await runCli(['init', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'services.yaml'), 'utf8')).toContain('command: node worker.js');

    rmSync(join(dir, 'services.yaml'));
    writeFileSync(join(dir, 'msdev.yaml'), 'services:\n  x: { command: "true" }\n');
    const refusedOwn = await runCli(['init'], { cwd: dir });
    expect(refusedOwn.code).toBe(1);
    expect(refusedOwn.stderr).toContain('msdev.yaml already exists');
    expect((await runCli(['init', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'msdev.yaml'), 'utf8')).toContain('command: node worker.js');
    expect(existsSync(join(dir, 'services.yaml'))).toBe(false);
  });

  it('in an empty folder writes the commented skeleton, which validates and gets ready', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const init = await runCli(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('nothing found here');
    const text = readFileSync(join(dir, 'services.yaml'), 'utf8');
    expect(text).toContain('# msdev found nothing here');
    expect(text).toContain('#   image: postgres:16');
    expect((await runCli(['validate'], { cwd: dir })).code).toBe(0);
    const smoke = await runCli(['smoke', '--timeout', '30s'], { cwd: dir, timeoutMs: 45_000 });
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
    expect(smoke.stdout).toMatch(/^web\s+healthy/m);
  });

  it('--from a services.yaml converts it: the same services, ready under smoke', { timeout: 120_000 }, async () => {
    const dir = exampleCopy('quickstart');
    const init = await runCli(['init', '--from', 'services.yaml.orig'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('from services.yaml.orig: 4 services (migrate, api, gateway, worker)');
    const text = readFileSync(join(dir, 'services.yaml'), 'utf8');
    expect(text).toContain('ITEMS_URL: http://127.0.0.1:${services.api.port}/items');
    expect(text).not.toContain('MSDEV_');
    const smoke = await runCli(['smoke', '--timeout', '60s'], { cwd: dir, timeoutMs: 90_000 });
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
  });

  it('in a folder with only a Procfile: converts it (ports auto), and the result validates and gets ready', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'Procfile'), '# web and a worker\nweb: python3 -m http.server $PORT --bind 127.0.0.1\nworker: sh -c "while true; do sleep 1; done"\n');
    const init = await runCli(['init'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('from Procfile: 2 services (web, worker)');
    const text = readFileSync(join(dir, 'services.yaml'), 'utf8');
    expect(text).toContain('command: python3 -m http.server $$PORT --bind 127.0.0.1');
    expect(text).toMatch(/^ {4}port: auto$/m);
    expect((await runCli(['validate'], { cwd: dir })).code).toBe(0);
    const smoke = await runCli(['smoke', '--timeout', '30s'], { cwd: dir, timeoutMs: 45_000 });
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
    expect(smoke.stdout).toMatch(/^web\s+healthy/m);
  });

  it('--from a compose file and from a process-compose file: the result validates, warnings kept in its header', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  web:\n    image: msdev-test/busybox\n    ports: ["8080"]\n    user: "1000"\n    deploy: { replicas: 2 }\n    healthcheck: { test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/"], interval: 1s }\n  job:\n    image: msdev-test/busybox\n    command: echo hi\n    depends_on: { web: { condition: service_healthy } }\n',
    );
    writeFileSync(join(dir, 'process-compose.yaml'), 'processes:\n  api:\n    command: "sleep 600"\n    availability: { exit_on_end: true }\n');
    for (const [from, expected] of [
      ['compose.yaml', ['image: msdev-test/busybox', 'user: "1000"', 'exec: wget -q -O /dev/null http://127.0.0.1:8080/', 'web: healthy', 'deploy']],
      ['process-compose.yaml', ['stop_all_on: exit', 'bash']],
    ] as const) {
      const init = await runCli(['init', '--from', from, '--force'], { cwd: dir });
      expect(init.code, init.stdout + init.stderr).toBe(0);
      const text = readFileSync(join(dir, 'services.yaml'), 'utf8');
      for (const e of expected) expect(text).toContain(e);
      const validate = await runCli(['validate'], { cwd: dir });
      expect(validate.code, validate.stderr).toBe(0);
    }
  });

  it('--from a file that does not load: exit 2 with the loader\'s positioned error, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.yaml'), 'services:\n  api:\n    comand: node a.js\n');
    const init = await runCli(['init', '--from', 'broken.yaml'], { cwd: dir });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('cannot convert broken.yaml');
    expect(init.stderr).toMatch(/broken\.yaml:3:5: services\.api/);
    expect(existsSync(join(dir, 'services.yaml'))).toBe(false);
    const missing = await runCli(['init', '--from', 'nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml');
  });

  it('-f is a usage error (init writes here; --from names a file to convert)', async () => {
    const dir = tempDir();
    const r = await runCli(['-f', 'x.yaml', 'init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from');
  });
});
