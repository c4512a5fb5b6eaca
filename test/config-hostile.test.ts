// Hostile config files and inputs (issue 6, items 5, 10, 11, 14, 15, 17): the real built CLI must
// answer each with positioned problems and exit 2 (or accept it), never a stack trace, a raw
// TypeError, a hang or a blow-up. Files too big for fixtures are generated in a temp folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MSDEV } from './helpers/cli.js';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'msdev-hostile-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `msdev ARGS` in the temp folder; stdin is a pipe that stays open (so reading it would hang). */
function msdev(args: readonly string[], timeoutMs = 60_000): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MSDEV, ...args], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout, stderr });
    });
  });
}

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** Validates a generated file: exit 2, every line positioned (`file:line:col: `), no stack trace. */
async function rejects(name: string, text: string): Promise<string[]> {
  write(name, text);
  const r = await msdev(['validate', '-f', name]);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  for (const line of lines) expect(line).toMatch(new RegExp(`^${name.replace('.', '\\.')}:\\d+:\\d+: `));
  return lines;
}

const service = 'services:\n  api:\n    command: echo hi\n';

describe('deep nesting and long chains (item 11)', () => {
  it('refuses nesting deeper than 100 levels where it goes too deep', async () => {
    const lines = await rejects('deep-150.yaml', `${service}    env: ${'['.repeat(150)}${']'.repeat(150)}\n`);
    expect(lines).toEqual([expect.stringMatching(/^deep-150\.yaml:4:\d+: services\.api\.env(\[0\])+…: nesting deeper than 100 levels/)]);
  });

  it.each([
    ['block', (n: number) => `x-deep:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n${service}`],
    ['flow', (n: number) => `x-deep: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n${service}`],
    ['sequence', (n: number) => `x-deep:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}-`).join('\n')} 1\n${service}`],
  ])('refuses %s nesting 2,000 deep with a position', async (kind, make) => {
    const lines = await rejects(`deep-${kind}.yaml`, make(2000));
    expect(lines[0]).toMatch(/nesting too deep to parse|nesting deeper than 100 levels/);
  });

  it('names a 5,000-service cycle readably', async () => {
    const n = 5000;
    let text = 'services:\n';
    for (let i = 0; i < n; i++) text += `  s${i}:\n    command: sleep 1\n    depends_on: [s${(i + 1) % n}]\n`;
    const lines = await rejects('cycle-5000.yaml', text);
    expect(lines).toEqual(['cycle-5000.yaml:4:18: services.s0.depends_on: cycle: s0 -> s1 -> s2 -> s3 -> … (5000 services) … -> s4999 -> s0']);
  });

  it('bounds ${A:-${A:-…}} nested 5,000 deep', async () => {
    const deep = `${'${A:-'.repeat(5000)}x${'}'.repeat(5000)}`;
    const lines = await rejects('interp-5000.yaml', `services:\n  api:\n    command: "echo ${deep}"\n`);
    expect(lines).toEqual(['interp-5000.yaml:3:14: services.api.command: "${…}" nested more than 20 levels deep; simplify the defaults']);
  });
});

describe('alias and merge bombs (item 14)', () => {
  it('refuses aliases that multiply the file', async () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `k${i}: v`).join(', ');
    let text = `x-env: &env {${keys}}\nx-svc: &svc {command: echo hi, env: *env}\nservices:\n`;
    for (let i = 0; i < 3000; i++) text += `  s${i}: *svc\n`;
    const lines = await rejects('alias-amp.yaml', text);
    expect(lines).toEqual([expect.stringMatching(/^alias-amp\.yaml:\d+:9: aliases expand the file to more than 1,000,000 values here \("\*svc" alone adds 6,005\)/)]);
  });

  it('refuses merges that expand past the limit', async () => {
    let text = 'x-a0: &a0 {command: echo hi}\n';
    for (let i = 1; i < 1600; i++) text += `x-a${i}: &a${i} {<<: *a${i - 1}, k${i}: 1}\n`;
    const lines = await rejects('merge-chain.yaml', `${text}services:\n  api:\n    <<: *a1599\n`);
    expect(lines).toEqual([expect.stringMatching(/^merge-chain\.yaml:\d+:\d+: (x-a\d+: "<<" merges expand to more than 1,000,000 keys|aliases expand the file)/)]);
  });
});

describe('env files and the config file itself (items 10, 15)', () => {
  it.each([
    ['/dev/zero', 'is not a regular file (a character device)'],
    ['/dev/urandom', 'is not a regular file (a character device)'],
    ['fifo', 'is not a regular file (a pipe or FIFO)'],
    ['folder', 'is a folder'],
    ['big.env', 'is too large (2.0 MiB; at most 1.0 MiB)'],
  ])('top-level env_file: %s', async (file, why) => {
    mkdirSync(join(dir, 'folder'), { recursive: true });
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    write('big.env', `A=${'x'.repeat(2 * 1024 * 1024)}\n`);
    const name = `env-file-${file.replace(/\W/g, '')}.yaml`;
    const lines = await rejects(name, `env_file: ${file}\n${service}`);
    expect(lines).toEqual([`${name}:1:11: env_file: env file "${file}" ${why}`]);
  });

  it("a service's env_file: /dev/urandom", async () => {
    const lines = await rejects('svc-env-file.yaml', `${service}    env_file: [/dev/urandom]\n`);
    expect(lines).toEqual(['svc-env-file.yaml:4:16: services.api.env_file[0]: env file "/dev/urandom" is not a regular file (a character device)']);
  });

  it('an env file with a NUL byte', async () => {
    write('nul.env', 'A=1\nB=x\0y\n');
    write('nul-env.yaml', `env_file: nul.env\n${service}`);
    const r = await msdev(['validate', '-f', 'nul-env.yaml']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'nul.env:2:4: contains a NUL character (\\0), which no environment variable can hold; remove it\n' });
  });

  it('caps what a message quotes from a 2 MB value', async () => {
    const lines = await rejects('long-value.yaml', `${service}  db:\n    command: echo hi\n    depends_on:\n      api: ${'x'.repeat(2_000_000)}\n`);
    expect(lines).toEqual([`long-value.yaml:7:12: services.db.depends_on.api: expected one of "started", "healthy", "completed", got "${'x'.repeat(60)}…"`]);
  });

  it.each([
    ['/dev/null', 'is not a regular file (a character device); name a YAML file with -f/--file'],
    // Node gives the child a socket pair for stdin; a shell pipe would be a FIFO.
    ['/dev/stdin', 'is not a regular file (a socket); name a YAML file with -f/--file'],
    ['fifo', 'is not a regular file (a pipe or FIFO); name a YAML file with -f/--file'],
  ])('-f %s says what it is (and does not wait on it)', async (file, why) => {
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    const r = await msdev(['validate', '-f', file]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${file}: ${why}\n` });
  });

  it('refuses a config file over 10 MiB', async () => {
    write('huge.yaml', `${service}x-pad: "${'x'.repeat(11 * 1024 * 1024)}"\n`);
    const r = await msdev(['validate', '-f', 'huge.yaml']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'huge.yaml: the config file is too large (11.0 MiB; at most 10.0 MiB)\n' });
  });
});

describe('durations over the timer limit (item 5)', () => {
  it('--timeout above 24h is a usage error', async () => {
    write('services.yaml', service);
    const r = await msdev(['smoke', '--timeout', '600h']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--timeout 600h: too long (at most 24h)');
  });
});

describe('scale (item 17)', () => {
  it.each([
    ['no dependencies', false, false],
    ['a depends_on chain and a few ports', true, true],
  ])('validates 10,000 services: %s', async (_label, chain, ports) => {
    let text = 'services:\n';
    for (let i = 0; i < 10_000; i++) {
      text += `  s${i}:\n    command: sleep 1000\n`;
      if (chain && i > 0) text += `    depends_on: [s${i - 1}]\n`;
      if (ports && i % 1000 === 0) text += `    port: ${20000 + i / 1000}\n`;
    }
    write('scale.yaml', text);
    const r = await msdev(['validate', '-f', 'scale.yaml'], 120_000);
    expect(r).toEqual({ code: 0, stdout: '✓ scale.yaml: 10000 services\n', stderr: '' });
  }, 130_000);
});
