// Hostile input to the config pipeline (issue 6): prototype names (item 12), aliases and merges
// (items 11, 13, 14, 16), NUL bytes (item 10), durations (item 5), quoting in messages (items 15, 16).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testLoader, y } from '../../test/helpers/config-load.js';
import { closest } from './did-you-mean.js';
import { parseEnvFile } from './env-file.js';
import { formatProblem } from './errors.js';
import { expand, MAX_NESTING } from './interpolate.js';
import { quote } from './quote.js';
import { parseYaml } from './yaml-source.js';

const loader = testLoader('msdev-hostile-', 41000);
const { dir, load, problems } = loader;
afterAll(() => loader.remove());
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

function expectNoPollution(): void {
  const probe: Record<string, unknown> = {};
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(probe.polluted).toBeUndefined();
  expect(typeof probe.toString).toBe('function');
}

describe('prototype names are plain names (item 12)', () => {
  it.each(PROTO_NAMES)('${%s} is an unset variable, or its value when set', async (name) => {
    const c = await load(y('services:', '  api:', `    command: echo "[\${${name}}] [\${${name}:-dflt}]"`));
    expect(c.services.api!.command).toBe('echo "[] [dflt]"');
    const set = await load(y('services:', '  api:', `    command: echo \${${name}}`), { env: { [name]: 'shell' } });
    expect(set.services.api!.command).toBe('echo shell');
    expectNoPollution();
  });

  it.each(PROTO_NAMES)('%s works as an env name (top level, service, env file) and as a profile name', async (name) => {
    writeFileSync(join(dir, `${name}.env`), `${name}=from-file\nOTHER=1\n`);
    const c = await load(
      y(
        'env:',
        `  ${name}: top`,
        'services:',
        '  api:',
        `    command: echo \${${name}}`,
        `    env_file: ${name}.env`,
        `    profiles: [${name}]`,
        '  web:',
        '    command: echo hi',
        '    env:',
        `      ${name}: mine`,
      ),
      { profiles: [name] },
    );
    expect(c.active).toEqual(['api', 'web']);
    expect(c.services.api!.command).toBe('echo top');
    expect(Object.hasOwn(c.services.api!.env, name)).toBe(true);
    expect(c.services.api!.env[name]).toBe('from-file');
    expect(c.services.web!.env[name]).toBe('mine');
    expect(Object.keys(c.services.web!.env)).toContain(name);
    expectNoPollution();
  });

  it.each(PROTO_NAMES.filter((n) => n !== '__proto__'))('%s works as a service name, in depends_on and ${services.%s.port}', async (name) => {
    const c = await load(y('services:', `  ${name}:`, '    command: echo hi', '    port: 8080', '  web:', '    command: echo ${services.' + name + '.port}', `    depends_on: [${name}]`));
    expect(Object.keys(c.services)).toEqual([name, 'web']);
    expect(c.services.web!.command).toBe('echo 8080');
    expect(c.services.web!.dependsOn).toEqual({ [name]: 'started' });
    expectNoPollution();
  });

  it('refuses __proto__ as a service name, and prototype names as unknown keys or services', async () => {
    expect(await problems(y('services:', '  __proto__:', '    command: x', '  api:', '    command: x', '    toString: 1', '    depends_on: [constructor]'))).toEqual([
      'services.yaml:2:3: services: "__proto__" is not a valid name: use letters, digits, "-" and "_", starting with a letter or digit',
      'services.yaml:6:5: services.api: unknown key "toString"',
      'services.yaml:7:18: services.api.depends_on: unknown service "constructor"',
    ]);
    expect(await problems(y('constructor: 1', 'services:', '  api:', '    command: x'))).toEqual(['services.yaml:1:1: unknown key "constructor" (allowed: name, env_file, env, services)']);
    expect(await problems(y('services:', '  api:', '    command: x'), { services: ['toString'], profiles: ['constructor'] })).toEqual([
      'services.yaml: unknown profile "constructor" named with --profile (no service in this file has profiles)',
      'services.yaml: unknown service "toString" named on the command line',
    ]);
    expectNoPollution();
  });

  it('an anchor named __proto__ works', async () => {
    const c = await load(y('x-base: &__proto__', '  command: echo hi', 'services:', '  api:', '    <<: *__proto__', '  web: *__proto__'));
    expect(c.services.api!.command).toBe('echo hi');
    expect(c.services.web!.command).toBe('echo hi');
    expectNoPollution();
  });

  it('an env file line __proto__=x is a variable', () => {
    const parsed = parseEnvFile('__proto__=x\nconstructor=y\n');
    expect(Object.keys(parsed.vars)).toEqual(['__proto__', 'constructor']);
    expect(parsed.vars['__proto__']).toBe('x');
    expectNoPollution();
  });
});

describe('aliases and merges (items 11, 13, 14, 16)', () => {
  it('a merge of an unknown anchor is an error with a did-you-mean, at the alias', async () => {
    expect(await problems(y('x-base: &base', '  command: x', 'services:', '  api:', '    <<: *bsae'))).toEqual([
      'services.yaml:5:9: services.api["<<"]: unknown alias "*bsae": no anchor "&bsae" is defined before it (did you mean "*base"?)',
    ]);
  });

  it('an alias before its anchor says so', async () => {
    expect(await problems(y('services:', '  api:', '    command: x', '    env: *e', 'x-env: &e {A: 1}'))).toEqual([
      'services.yaml:4:10: services.api.env: alias "*e" comes before its anchor "&e"; define the anchor first',
    ]);
  });

  it('merges that loop through each other are errors', async () => {
    const c = await load(y('x-a: &a {command: x, restart: "no"}', 'x-b: &b {<<: *a, restart: always}', 'x-c: &c {<<: [*b, *a]}', 'services:', '  api: *c'));
    expect(c.services.api).toMatchObject({ command: 'x', restart: 'always' });
    const loop = await problems(y('x-a: &a', '  b: &b', '    <<: *a', '  <<: *b', 'services:', '  api:', '    command: x'));
    expect(loop).toEqual([expect.stringMatching(/^services\.yaml:3:9: x-a\.b\["<<"\]: "\*a" merges the mapping this "<<" is in: a merge cannot include itself/)]);
  });

  it('a bad aliased value is reported where the alias is used', async () => {
    expect(await problems(y('x-p: &p 99999', 'x-s: &s "x"', 'services:', '  api:', '    command: x', '    port: *p', '    restart: *s'))).toEqual([
      'services.yaml:6:11: services.api.port: expected a port from 1 to 65535 or "auto", got 99999',
      'services.yaml:7:14: services.api.restart: expected one of "no", "on-failure", "always", got "x"',
    ]);
  });

  it('an item of an !!omap is reported at its key, not at 1:1', async () => {
    expect(await problems(y('services:', '  api:', '    command: x', '    profiles: !!omap [a: 1]'))).toEqual([
      'services.yaml:4:23: services.api.profiles[0]: expected a string, got something else',
    ]);
  });

  it('"<<" of something else than mappings is an error', async () => {
    expect(await problems(y('services:', '  api:', '    <<: [1, 2]', '    command: x'))).toEqual([
      'services.yaml:3:9: services.api["<<"]: "<<" merges mappings: write "<<: *anchor" or "<<: [*a, *b]" with anchors of mappings',
    ]);
  });

  it('a merge bomb is refused quickly, wherever it sits', () => {
    let text = 'x-m0: &m0 {a: 1, b: 2}\n';
    for (let i = 1; i <= 30; i++) text += `x-m${i}: &m${i} {<<: [*m${i - 1}, *m${i - 1}, *m${i - 1}]}\n`;
    const source = parseYaml(`${text}services: {}\n`, 'f.yaml');
    expect(source.problems.map(formatProblem)).toEqual([expect.stringMatching(/^f\.yaml:\d+:\d+: aliases expand the file to more than 1,000,000 values/)]);
  });

  it('nesting deeper than 100 levels is refused at the node where it gets too deep', () => {
    const source = parseYaml(`x: ${'['.repeat(120)}${']'.repeat(120)}\n`, 'f.yaml');
    expect(source.problems.map(formatProblem)).toEqual(['f.yaml:1:103: x[0][0][0][0][0][0][0]…: nesting deeper than 100 levels; a config file needs only a few']);
  });
});

describe('NUL bytes (item 10) and durations (item 5)', () => {
  it('a NUL byte anywhere a process would get it is refused', async () => {
    const out = await problems(y('services:', '  api:', '    command: ["echo", "a\\0b"]', '    env:', '      "K\\0": v'));
    expect(out).toEqual([
      'services.yaml:3:23: services.api.command[1]: contains a NUL character (\\0), which no command, path or environment variable can hold; remove it',
      'services.yaml:5:7: services.api.env: the key "K\\u0000" contains a NUL character (\\0), which no command, path or environment variable can hold; remove it',
    ]);
  });

  it('an env name with "=" or an empty one is refused', async () => {
    expect(await problems(y('services:', '  api:', '    command: x', '    env:', '      "A=B": v', '      "": w'))).toEqual([
      'services.yaml:5:7: services.api.env: "A=B" is not a valid name: an environment variable name cannot be empty or contain "="',
      'services.yaml:6:7: services.api.env: "" is not a valid name: an environment variable name cannot be empty or contain "="',
    ]);
  });

  it('durations up to 24h pass, longer ones are refused', async () => {
    const c = await load(y('services:', '  api:', '    command: x', '    stop_timeout: 24h'));
    expect(c.services.api!.stopTimeoutMs).toBe(86_400_000);
    expect(await problems(y('services:', '  api:', '    command: x', '    stop_timeout: 86401'))).toEqual([
      'services.yaml:4:19: services.api.stop_timeout: 86401 is too long: a duration can be at most 24h',
    ]);
  });
});

describe('messages stay one bounded line (items 15, 16)', () => {
  it('quote() escapes control characters and cuts long values', () => {
    expect(quote('a\nb\u001b[31m\u009b')).toBe('"a\\nb\\u001b[31m\\u009b"');
    expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(60)}…"`);
  });

  it('formatProblem never prints a raw control character', () => {
    const line = formatProblem({ file: 'a\nb.yaml', line: 1, col: 2, path: 'p\rq', message: `m\n${'z'.repeat(5000)}` });
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(line.length).toBeLessThan(2100);
  });

  it('did-you-mean over a 2 MB word does no quadratic work', () => {
    const word = 'x'.repeat(2_000_000);
    expect(closest(word, ['started', 'healthy', 'completed'])).toBeUndefined();
    expect(closest(`started${word}`, ['started'])).toBe('started');
  });

  it('${…} nesting is bounded', () => {
    const deep = `${'${A:-'.repeat(MAX_NESTING + 5)}x${'}'.repeat(MAX_NESTING + 5)}`;
    expect(expand(deep, () => undefined, false).errors).toEqual([`"\${…}" nested more than ${MAX_NESTING} levels deep; simplify the defaults`]);
    const ok = `${'${A:-'.repeat(MAX_NESTING)}x${'}'.repeat(MAX_NESTING)}`;
    expect(expand(ok, () => undefined, false)).toEqual({ text: 'x', errors: [] });
  });
});
