// End to end: the real built CLI (`node bin/msdev.js validate -f FILE`) on broken and valid configs.
// Each broken file must give exactly these stderr lines, exit code 2, and no stack trace.
// Needs a build first (`npm run build`; `npm test` does it).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/msdev.js');
const fixtures = join(root, 'test/fixtures/config');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function validate(folder: string, file: string, args: string[] = []): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.MSDEV_TEST_DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'validate', '-f', file, ...args], { cwd: join(fixtures, folder), env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const broken: [file: string, lines: string[]][] = [
  ['yaml-syntax.yaml', ['yaml-syntax.yaml:5:3: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]']],
  ['empty.yaml', ['empty.yaml:1:1: the file is empty; it needs a "services:" mapping (see the README)']],
  ['unknown-top-key.yaml', ['unknown-top-key.yaml:2:1: unknown key "enviroment" (did you mean "env"?)']],
  ['unknown-service-key.yaml', ['unknown-service-key.yaml:3:5: services.api: unknown key "comand" (did you mean "command"?)']],
  ['duplicate-key.yaml', ['duplicate-key.yaml:4:3: services: duplicate key "api" (first at line 2)']],
  ['wrong-type.yaml', ['wrong-type.yaml:4:12: services.db.ports: expected a list, got 5432']],
  ['bad-port-entry.yaml', ['bad-port-entry.yaml:4:26: services.db.ports[1]: expected "HOST:CONTAINER", "IP:HOST:CONTAINER" or "CONTAINER" (optionally ending in /tcp or /udp), got "localhost:5433:5432"']],
  ['bad-duration.yaml', ['bad-duration.yaml:4:19: services.api.stop_timeout: "10 secs" is not a duration: use 250ms, 2s, 1m, 1m30s, 1h, or a number of seconds']],
  ['bad-restart.yaml', ['bad-restart.yaml:4:14: services.api.restart: expected one of "no", "on-failure", "always", got "sometimes"']],
  ['unknown-dependency.yaml', ['unknown-dependency.yaml:8:7: services.api.depends_on: unknown service "dbb" (did you mean "db"?)']],
  ['cycle.yaml', ['cycle.yaml:4:18: services.api.depends_on: cycle: api -> worker -> api']],
  ['nothing-to-run.yaml', ['nothing-to-run.yaml:2:3: services.api: service has nothing to run: add "command" (a process) or "image"/"build" (a container)']],
  [
    'healthy-no-way.yaml',
    ['healthy-no-way.yaml:7:7: services.api.depends_on.queue: "healthy" needs a way to tell: queue has no healthcheck and no port; add a healthcheck or a port, or use "started"'],
  ],
  ['bad-reference.yaml', ['bad-reference.yaml:5:15: services.api.env.DB_URL: unknown service "nope" in ${services.nope.port}']],
  ['required-variable.yaml', ['required-variable.yaml:5:21: services.api.env.DATABASE_URL: required variable MSDEV_TEST_DATABASE_URL is not set: set it in .env']],
  ['unterminated.yaml', ['unterminated.yaml:3:14: services.api.command: unterminated "${" in "echo ${GREETING": add the closing "}" (write "$$" for a literal "$")']],
  [
    'duplicate-ports.yaml',
    ['duplicate-ports.yaml:7:13: services.web.ports[0]: port 8080 is also used by service "api" (services.api.port); two services cannot both bind it'],
  ],
  ['missing-env-file.yaml', ['missing-env-file.yaml:1:11: env_file: env file "does-not-exist.env" not found']],
  [
    'two-problems.yaml',
    [
      'two-problems.yaml:4:11: services.api.port: expected a port from 1 to 65535 or "auto", got 99999',
      'two-problems.yaml:5:18: services.api.depends_on: unknown service "db"',
      'two-problems.yaml:8:5: services.web: unknown key "helthcheck" (did you mean "healthcheck"?)',
    ],
  ],
  // Hostile files (issue 6): each a positioned problem, never a stack overflow or a raw TypeError.
  ['self-merge.yaml', ['self-merge.yaml:1:20: x-base["<<"]: "*base" merges the mapping this "<<" is in: a merge cannot include itself']],
  [
    'unknown-merge-alias.yaml',
    ['unknown-merge-alias.yaml:5:9: services.api["<<"]: unknown alias "*bsae": no anchor "&bsae" is defined before it (did you mean "*base"?)'],
  ],
  ['unknown-alias.yaml', ['unknown-alias.yaml:4:10: services.api.env: unknown alias "*nope": no anchor "&nope" is defined before it (the file defines no anchors)']],
  ['merge-bomb.yaml', ['merge-bomb.yaml:12:25: aliases expand the file to more than 1,000,000 values here ("*m10" alone adds 383,817); use fewer aliases of large anchors']],
  [
    'control-names.yaml',
    [
      'control-names.yaml:2:3: services: "api\\nweb" is not a valid name: use letters, digits, "-" and "_", starting with a letter or digit',
      'control-names.yaml:6:18: services.db.depends_on: unknown service "we\\nb"',
    ],
  ],
  [
    'nul-bytes.yaml',
    [
      'nul-bytes.yaml:3:14: services.api.command: contains a NUL character (\\0), which no command, path or environment variable can hold; remove it',
      'nul-bytes.yaml:5:7: services.api.env: the key "KEY\\u0000" contains a NUL character (\\0), which no command, path or environment variable can hold; remove it',
      'nul-bytes.yaml:6:14: services.api.env.VALUE: contains a NUL character (\\0), which no command, path or environment variable can hold; remove it',
      'nul-bytes.yaml:7:10: services.api.cwd: contains a NUL character (\\0), which no command, path or environment variable can hold; remove it',
    ],
  ],
  [
    'long-duration.yaml',
    [
      'long-duration.yaml:4:19: services.api.stop_timeout: "600h" is too long: a duration can be at most 24h',
      'long-duration.yaml:7:17: services.api.healthcheck.interval: "25d" is not a duration: use 250ms, 2s, 1m, 1m30s, 1h, or a number of seconds',
      'long-duration.yaml:8:16: services.api.healthcheck.timeout: "9999999999999999999999999s" is too long: a duration can be at most 24h',
    ],
  ],
  [
    'huge-numbers.yaml',
    [
      'huge-numbers.yaml:4:11: services.api.port: expected a port from 1 to 65535 or "auto", got 1e400',
      'huge-numbers.yaml:5:19: services.api.max_restarts: expected a whole number (0 or more), got 99999999999999999999, which is too large',
      'huge-numbers.yaml:8:16: services.api.healthcheck.retries: expected an integer of at least 1, got 1e400',
    ],
  ],
  [
    'prototype-names.yaml',
    [
      'prototype-names.yaml:2:3: services: "__proto__" is not a valid name: use letters, digits, "-" and "_", starting with a letter or digit',
      'prototype-names.yaml:6:5: services.api: unknown key "constructor"',
      'prototype-names.yaml:7:18: services.api.depends_on: unknown service "toString"',
    ],
  ],
];

describe('msdev validate on broken configs', () => {
  it('has a fixture for every case', () => {
    expect(broken.length).toBeGreaterThanOrEqual(14);
  });

  it.each(broken)('%s', async (file, lines) => {
    const r = await validate('broken', file);
    expect(r.stderr).not.toContain('    at ');
    expect(r.stderr.trimEnd().split('\n')).toEqual(lines);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('finds the file given relative to cwd and shows it that way', async () => {
    const r = await validate('.', 'broken/cycle.yaml');
    expect(r.stderr).toBe('broken/cycle.yaml:4:18: services.api.depends_on: cycle: api -> worker -> api\n');
    expect(r.code).toBe(2);
  });

  it('says what to do when the file does not exist', async () => {
    const r = await validate('broken', 'nope.yaml');
    expect(r.stderr).toBe('nope.yaml: file not found; check the path given to -f/--file\n');
    expect(r.code).toBe(2);
  });
});

describe('msdev validate on valid configs', () => {
  it.each([
    ['minimal.yaml', [], '✓ minimal.yaml: 1 service\n'],
    ['compose-style.yaml', [], '✓ compose-style.yaml: 4 services (3 active; name a --profile for the others)\n'],
    ['compose-style.yaml', ['--profile', 'full'], '✓ compose-style.yaml: 4 services\n'],
    ['spec-example/services.yaml', [], '✓ spec-example/services.yaml: 4 services (3 active; name a --profile for the others)\n'],
    ['prototype-names.yaml', [], '✓ prototype-names.yaml: 3 services\n'],
    ['prototype-names.yaml', ['--profile', 'toString', '--profile', '__proto__'], '✓ prototype-names.yaml: 3 services\n'],
  ])('%s %j', async (file, args, out) => {
    const r = await validate('valid', file, args);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(out);
    expect(r.code).toBe(0);
  });

  it('prints nothing under --quiet', async () => {
    const r = await validate('valid', 'minimal.yaml', ['-q']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
