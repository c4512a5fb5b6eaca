// The validator's problems, exactly as `msdev validate` prints them, for small snippets.
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from './errors.js';
import { loadConfigText, type LoadOptions } from './load.js';

function ports(): () => Promise<number> {
  let next = 40000;
  return () => Promise.resolve(++next);
}

async function problems(yaml: string, opts: Partial<LoadOptions> = {}): Promise<string[]> {
  try {
    await loadConfigText(yaml, { path: '/proj/services.yaml', shown: 'services.yaml', cwd: '/proj', profiles: [], env: {}, pickPort: ports(), ...opts });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem);
    throw err;
  }
}

const y = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('validate: file-level problems', () => {
  it.each([
    ['', ['services.yaml:1:1: the file is empty; it needs a "services:" mapping (see the README)']],
    ['# nothing\n', ['services.yaml:1:1: the file is empty; it needs a "services:" mapping (see the README)']],
    ['- a\n- b\n', ['services.yaml:1:1: expected a mapping at the top (name, env_file, env, services), got something else']],
    ['name: x\n', ['services.yaml:1:1: missing required key "services"']],
    ['services: {}\n', ['services.yaml:1:11: services: no services: add at least one (a "command" to run, or an "image")']],
    ['services:\n', ['services.yaml:1:1: services: expected a mapping, got nothing']],
    ['a: 1\n---\nb: 2\n', ['services.yaml:2:1: YAML syntax: Source contains multiple documents; please use YAML.parseAllDocuments()']],
  ])('%j', async (yaml, lines) => {
    expect(await problems(yaml)).toEqual(lines);
  });
});

describe('validate: keys and types', () => {
  it.each([
    [y('services:', '  api:', '    comand: x'), ['services.yaml:2:3: services.api: service has nothing to run: add "command" (a process) or "image"/"build" (a container)', 'services.yaml:3:5: services.api: unknown key "comand" (did you mean "command"?)']],
    [y('servics: {}'), ['services.yaml:1:1: unknown key "servics" (did you mean "services"?)', 'services.yaml:1:1: missing required key "services"']],
    [y('services:', '  api: {command: x, bogus: 1}'), ['services.yaml:2:21: services.api: unknown key "bogus"']],
    [y('x-common: &c {restart: always}', 'services:', '  api: {command: x, x-note: hi}'), []],
    [y('services:', '  api: {command: x, port: 0}'), ['services.yaml:2:27: services.api.port: expected a port from 1 to 65535 or "auto", got 0']],
    [y('services:', '  api: {command: x, port: abc}'), ['services.yaml:2:27: services.api.port: expected a port from 1 to 65535 or "auto", got "abc"']],
    [y('services:', '  api: {command: x, restart: sometimes}'), ['services.yaml:2:30: services.api.restart: expected one of "no", "on-failure", "always", got "sometimes"']],
    [y('services:', '  api: {command: x, restart: on_failure}'), ['services.yaml:2:30: services.api.restart: expected one of "no", "on-failure", "always", got "on_failure" (did you mean "on-failure"?)']],
    [y('services:', '  api: {command: x, stop_signal: SIGTRM}'), ['services.yaml:2:34: services.api.stop_signal: expected a signal name (SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGKILL, SIGUSR1, SIGUSR2; the SIG prefix may be left out), got "SIGTRM" (did you mean "SIGTERM"?)']],
    [y('services:', '  api: {command: x, stop_timeout: 5 sec}'), ['services.yaml:2:35: services.api.stop_timeout: "5 sec" is not a duration: use 250ms, 2s, 1m, 1m30s, 1h, or a number of seconds']],
    [y('services:', '  api: {command: 42}'), ['services.yaml:2:18: services.api.command: expected a string or a list of strings, got 42']],
    [y('services:', '  api: {command: x, max_restarts: -1}'), ['services.yaml:2:35: services.api.max_restarts: expected a whole number (0 or more), got -1']],
    [y('services:', '  api: {command: x, env: [A=1]}'), ['services.yaml:2:26: services.api.env: expected a mapping, got a list']],
    [y('services:', '  api: {command: x, ports: ["8080:80", "70000:1"]}'), ['services.yaml:2:40: services.api.ports[1]: host port 70000 is out of range (1-65535)']],
    [y('services:', '  my.api: {command: x}'), ['services.yaml:2:3: services: "my.api" is not a valid name: use letters, digits, "-" and "_", starting with a letter or digit']],
    [y('services:', '  api: {command: x}', '  api: {command: y}'), ['services.yaml:3:3: services: duplicate key "api" (first at line 2)']],
    [y('services:', '  api: {command: x, healthcheck: {interval: 1s}}'), ['services.yaml:2:34: services.api.healthcheck: needs one of http, tcp, exec, log']],
    [y('services:', '  api: {command: x, healthcheck: {http: /h, tcp: 1}}'), ['services.yaml:2:45: services.api.healthcheck: "http" and "tcp" both given: use only one of http, tcp, exec, log']],
    [y('services:', '  api: {command: x, depends_on: {db: healthyy}}', '  db: {command: y, port: 5}'), ['services.yaml:2:38: services.api.depends_on.db: expected one of "started", "healthy", "completed", got "healthyy" (did you mean "healthy"?)']],
    [y('services:', '  api: {command: x, depends_on: 3}'), ['services.yaml:2:33: services.api.depends_on: expected a list of service names or a mapping of name → condition, got 3']],
    [y('services:', '  api: {command: x, healthcheck: {log: "("}}'), ['services.yaml:2:40: services.api.healthcheck.log: not a valid regular expression: Invalid regular expression: /(/: Unterminated group']],
  ])('%j', async (yaml, lines) => {
    expect(await problems(yaml)).toEqual(lines);
  });

  it('accepts restart: false and signals without SIG', async () => {
    expect(await problems(y('services:', '  api: {command: x, restart: false, stop_signal: INT}'))).toEqual([]);
  });

  it('applies << merge keys', async () => {
    const yaml = y('x-base: &base', '  restart: always', '  command: x', 'services:', '  api:', '    <<: *base', '    port: 3000');
    expect(await problems(yaml)).toEqual([]);
  });
});

describe('validate: across keys', () => {
  it.each([
    [y('services:', '  api: {command: x, depends_on: [dbb]}', '  db: {command: y}'), ['services.yaml:2:34: services.api.depends_on: unknown service "dbb" (did you mean "db"?)']],
    [y('services:', '  api: {command: x, depends_on: {dbb: started}}', '  db: {command: y}'), ['services.yaml:2:34: services.api.depends_on: unknown service "dbb" (did you mean "db"?)']],
    [y('services:', '  api: {command: x, depends_on: [worker]}', '  worker: {command: y, depends_on: [api]}'), ['services.yaml:2:34: services.api.depends_on: cycle: api -> worker -> api']],
    [y('services:', '  api: {command: x, depends_on: [api]}'), ['services.yaml:2:34: services.api.depends_on: cycle: api -> api']],
    [y('services:', '  api: {command: x, depends_on: {db: healthy}}', '  db: {command: y}'), ['services.yaml:2:34: services.api.depends_on.db: "healthy" needs a way to tell: db has no healthcheck and no port; add a healthcheck or a port, or use "started"']],
    [y('services:', '  api: {command: x, depends_on: {db: completed}}', '  db: {command: y, restart: always}'), ['services.yaml:2:34: services.api.depends_on.db: "completed" can never happen: db has restart: always; use "started" or "healthy", or change its restart']],
    [y('services:', '  api: {command: x, watch: {action: rebuild}}'), ['services.yaml:2:37: services.api.watch.action: "rebuild" needs a "build" to rebuild the image from; use "restart" for a process or an image']],
    [y('services:', '  api: {command: x, watch: {action: sync}}'), ['services.yaml:2:37: services.api.watch.action: "sync" copies files into a container and only works for services with "image" or "build"; use "restart"']],
    [y('services:', '  a: {command: x, port: 3000}', '  b: {image: y, ports: ["3000:80"]}'), ['services.yaml:3:25: services.b.ports[0]: port 3000 is also used by service "a" (services.a.port); two services cannot both bind it']],
    [y('services:', '  a: {command: x, port: 3000}', '  b: {command: y, port: 3000, profiles: [extra]}'), []],
  ])('%j', async (yaml, lines) => {
    expect(await problems(yaml)).toEqual(lines);
  });

  it('does not pile a "healthy" problem on top of an invalid port', async () => {
    const yaml = y('services:', '  api: {command: x, depends_on: {db: healthy}}', '  db: {command: y, port: nope}');
    expect(await problems(yaml)).toEqual(['services.yaml:3:26: services.db.port: expected a port from 1 to 65535 or "auto", got "nope"']);
  });

  it('names unknown services and profiles given on the command line', async () => {
    const yaml = y('services:', '  api: {command: x}', '  web: {command: y, profiles: [full]}');
    expect(await problems(yaml, { services: ['apii'], profiles: ['ful'] })).toEqual([
      'services.yaml: unknown profile "ful" named with --profile (did you mean "full"?)',
      'services.yaml: unknown service "apii" named on the command line (did you mean "api"?)',
    ]);
  });

  it('lists every problem at once, in file order', async () => {
    const yaml = y('services:', '  api:', '    command: x', '    restart: never', '    depends_on: [dbb]', '  db:', '    image: pg', '    helthcheck: {exec: x}');
    expect(await problems(yaml)).toEqual([
      'services.yaml:4:14: services.api.restart: expected one of "no", "on-failure", "always", got "never"',
      'services.yaml:5:18: services.api.depends_on: unknown service "dbb" (did you mean "db"?)',
      'services.yaml:8:5: services.db: unknown key "helthcheck" (did you mean "healthcheck"?)',
    ]);
  });
});

describe('validate: interpolation', () => {
  it.each([
    [y('services:', '  api: {command: "run ${services.nope.port}"}'), ['services.yaml:2:18: services.api.command: unknown service "nope" in ${services.nope.port}']],
    [y('services:', '  api: {command: "run ${services.dbb.port}"}', '  db: {command: y, port: 1}'), ['services.yaml:2:18: services.api.command: unknown service "dbb" in ${services.dbb.port} (did you mean "db"?)']],
    [y('services:', '  api: {command: "run ${services.db.port}"}', '  db: {command: y}'), ['services.yaml:2:18: services.api.command: ${services.db.port}: service "db" has no port (give it "port" or "ports")']],
    [y('services:', '  api: {command: "run ${services.db.ports.80}"}', '  db: {image: y, ports: ["5432"]}'), ['services.yaml:2:18: services.api.command: ${services.db.ports.80}: service "db" publishes no container port 80 (its ports: 5432)']],
    [y('services:', '  api: {command: "run ${services.db.foo}"}', '  db: {image: y, ports: ["5432"]}'), ['services.yaml:2:18: services.api.command: unknown reference ${services.db.foo}: use services.db.port, .host, .url or .ports.CONTAINER_PORT']],
    [y('services:', '  api: {command: "run ${port}"}'), ['services.yaml:2:18: services.api.command: ${port}: service "api" has no port; add "port: auto" (or a number)']],
    [y('services:', '  api: {command: "run ${DB_URL:?set DB_URL in .env}"}'), ['services.yaml:2:18: services.api.command: required variable DB_URL is not set: set DB_URL in .env']],
    [y('services:', '  api: {command: "run ${OOPS"}'), ['services.yaml:2:18: services.api.command: unterminated "${" in "run ${OOPS": add the closing "}" (write "$$" for a literal "$")']],
    [y('services:', '  api: {command: x, ports: ["${port}:80"]}'), ['services.yaml:2:29: services.api.ports[0]: ${port} cannot be used here: ${port} and ${services.…} work in command, entrypoint, image, build, cwd, env, volumes, healthcheck and watch values']],
    [y('services:', '  api: {command: x, port: "${P:-nope}"}'), ['services.yaml:2:27: services.api.port: expected a port from 1 to 65535 or "auto", got "${P:-nope}"']],
  ])('%j', async (yaml, lines) => {
    expect(await problems(yaml)).toEqual(lines);
  });

  it('takes typed values from the environment', async () => {
    const yaml = y('services:', '  api: {command: x, port: "${P}", stop_timeout: "${T:-3s}", restart: "${R}"}');
    expect(await problems(yaml, { env: { P: '3000', R: 'always' } })).toEqual([]);
  });
});
