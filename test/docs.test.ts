// docs/: the generated references match their sources (the schema and the commander program), the
// schema's examples pass the validator, and no link of README.md or docs/ leaves the repository.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildProgram, COMMAND_EXITS, EXIT_CODES } from '../src/cli/main.js';
import { parseDuration } from '../src/config/duration.js';
import { expand } from '../src/config/interpolate.js';
import { loadConfigText } from '../src/config/load.js';
import { ProblemList } from '../src/config/problem-list.js';
import { projectSchema } from '../src/config/schema.js';
import { describe as describeNode, type SchemaNode } from '../src/config/schema-dsl.js';
import { validateTree, type WalkContext } from '../src/config/validate-tree.js';
import { parseYaml } from '../src/config/yaml-source.js';
import { generatedDocs } from '../scripts/lib/docs.mjs';
import { anchors, linkTargets } from '../scripts/lib/markdown.mjs';

const ROOT = resolve(import.meta.dirname, '..');

/** The problems the validator finds in a value (given as data) against one schema node. */
function problemsOf(node: SchemaNode, value: unknown, name: string): string[] {
  const source = parseYaml(stringify(value, { version: '1.1' }), name);
  const problems = new ProblemList(source);
  // Widened: Infer<SchemaNode> of the generic signature is too deep for the type checker.
  const validate = validateTree as unknown as (schema: SchemaNode, node: unknown, path: readonly [], ctx: WalkContext) => unknown;
  validate(node, source.doc.contents, [], { doc: source.doc, problems, interpolate: (text) => expand(text, () => undefined, true) });
  return problems.items.map((p) => `${p.path}: ${p.message}`);
}

/** The generated files as the sources in src/ make them now. */
const generated = (): Record<string, string> => generatedDocs({ projectSchema, describe: describeNode, buildProgram, EXIT_CODES, COMMAND_EXITS });

/** The default a key's description states (its last sentence, `Default: ….`), first word or phrase before a comma. */
function documentedDefault(node: SchemaNode): string {
  const m = /(?:^|\s)Default: ([^,.]*)/.exec(node.description ?? '');
  if (!m) throw new Error(`no "Default: …" in ${JSON.stringify(node.description)}`);
  return m[1]!.trim();
}

describe('generated docs', () => {
  it.each(Object.keys(generated()))('%s matches its sources (regenerate with `npm run docs`)', (path) => {
    let current = '';
    try {
      current = readFileSync(join(ROOT, path), 'utf8');
    } catch {
      // a missing file is stale too
    }
    expect(current === generated()[path], `${path} is stale: run \`npm run docs\` and commit the result`).toBe(true);
  });

  it('names every key of the schema and every command with its options', () => {
    const docs = generated();
    const keys: string[] = [];
    const walk = (node: SchemaNode): void => {
      if (node.kind === 'obj')
        for (const [k, v] of Object.entries(node.props)) {
          keys.push(k);
          walk(v);
        }
      if (node.kind === 'map') walk(node.values);
      if (node.kind === 'list') walk(node.items);
      if (node.kind === 'union') node.anyOf.forEach(walk);
    };
    walk(projectSchema);
    for (const key of keys) expect(docs['docs/services-yaml.md'], key).toContain(`### \`${key}\``);
    for (const cmd of buildProgram(null).commands) {
      expect(docs['docs/cli.md'], cmd.name()).toContain(`## \`msdev ${cmd.name()}\``);
      for (const o of cmd.options.filter((x) => !(x as { hidden?: boolean }).hidden)) expect(docs['docs/cli.md'], `${cmd.name()} ${o.flags}`).toContain(`\`${o.flags}\``);
    }
  });

  it('gives every key a description, and states a default as the last sentence', () => {
    const walk = (node: SchemaNode, path: string): void => {
      if (node.kind === 'obj')
        for (const [k, v] of Object.entries(node.props)) {
          expect(v.description, `${path}${k}`).toBeTruthy();
          expect(/Default: /.test(v.description!) ? /(^|\s)Default: [^]*$/.test(v.description!) && !/Default: [^]*\. [A-Z]/.test(v.description!) : true, `${path}${k}: "Default: …" must end the description`).toBe(true);
          walk(v, `${path}${k}.`);
        }
      if (node.kind === 'map') walk(node.values, `${path}NAME.`);
      if (node.kind === 'list') walk(node.items, path);
      if (node.kind === 'union') for (const b of node.anyOf) walk(b, path);
    };
    walk(projectSchema, '');
  });

  it('shows only examples the validator accepts', () => {
    const checked: string[] = [];
    const walk = (node: SchemaNode, path: string): void => {
      if (node.example !== undefined) {
        expect(problemsOf(node, node.example, `${path || 'top level'} example`), `example of ${path || 'the top level'}`).toEqual([]);
        checked.push(path);
      }
      if (node.kind === 'obj') for (const [k, v] of Object.entries(node.props)) walk(v, path ? `${path}.${k}` : k);
      if (node.kind === 'map') walk(node.values, `${path}.NAME`);
      if (node.kind === 'list') walk(node.items, `${path}[]`);
      if (node.kind === 'union') for (const b of node.anyOf) walk(b, path);
    };
    walk(projectSchema, '');
    expect(checked.length).toBeGreaterThan(30);
  });

  it('states the defaults msdev applies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msdev-docs-'));
    try {
      const text = 'services:\n  api:\n    command: node server.js\n    port: 3000\n    healthcheck: { http: /health }\n    watch: {}\n  web:\n    image: nginx\n';
      const { config } = await loadConfigText(text, { cwd: dir, profiles: [], env: {}, path: join(dir, 'services.yaml'), shown: 'services.yaml' });
      const service = projectSchema.props.services.values.props;
      const health = service.healthcheck.props;
      const watch = service.watch.props;
      const api = config.services.api!;
      const web = config.services.web!;
      const ms = (node: SchemaNode): number | null => parseDuration(documentedDefault(node));
      expect(documentedDefault(projectSchema.props.name)).toBe('the config folder name');
      expect(config.name).toBe(basename(dir));
      expect(documentedDefault(service.cwd)).toBe('the config folder');
      expect(api.cwd).toBe(dir);
      expect(documentedDefault(service.restart)).toBe(api.restart);
      expect(Number(documentedDefault(service.max_restarts))).toBe(api.maxRestarts);
      expect(documentedDefault(service.stop_signal)).toBe(api.stopSignal);
      expect(ms(service.stop_timeout)).toBe(api.stopTimeoutMs);
      expect(documentedDefault(service.keep)).toBe(String(web.kind === 'container' && web.keep));
      expect(ms(health.interval)).toBe(api.healthcheck?.intervalMs);
      expect(ms(health.timeout)).toBe(api.healthcheck?.timeoutMs);
      expect(Number(documentedDefault(health.retries))).toBe(api.healthcheck?.retries);
      expect(ms(health.start_period)).toBe(api.healthcheck?.startPeriodMs);
      expect(ms(health.start_interval)).toBe(api.healthcheck?.startIntervalMs);
      expect(documentedDefault(watch.action)).toBe(api.watch?.action);
      expect(ms(watch.debounce)).toBe(api.watch?.debounceMs);
      expect(documentedDefault(watch.restart_dependents)).toBe(String(api.watch?.restartDependents));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on a bad example (the check above would catch one)', () => {
    const healthcheck = projectSchema.props.services.values.props.healthcheck;
    expect(problemsOf(healthcheck, { http: '/health', interval: 'soon' }, 'bad example').join('\n')).toMatch(/interval/);
    expect(problemsOf(healthcheck, { http: '/health', interval: '1s' }, 'good example')).toEqual([]);
  });
});

/** The Markdown files whose links must stay inside the repository: README.md and everything in docs/. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(ROOT, 'docs', f));
  return [join(ROOT, 'README.md'), ...docs];
}

/** What is wrong with a link of a file, or null when it resolves inside the repository. */
function linkProblem(file: string, target: string): string | null {
  if (/^(https?:|mailto:)/i.test(target)) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return 'a scheme other than http(s) or mailto (file:, …) points off the repository';
  if (target.startsWith('/') || target.startsWith('~')) return 'an absolute path points outside the repository';
  const [pathPart = '', anchor] = target.split('#', 2) as [string, string | undefined];
  const path = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
  const inside = relative(ROOT, path);
  if (inside.startsWith('..') || inside.split(sep).includes('..')) return 'it leaves the repository';
  if (!existsSync(path)) return 'no such file in the repository';
  if (anchor !== undefined && anchor !== '' && path.endsWith('.md') && statSync(path).isFile() && !anchors(readFileSync(path, 'utf8')).has(anchor)) return `no heading #${anchor} there`;
  return null;
}

describe('links in README.md and docs/', () => {
  it.each(markdownFiles().map((f) => relative(ROOT, f)))('%s links only to files in the repository', (name) => {
    const file = join(ROOT, name);
    const bad = linkTargets(readFileSync(file, 'utf8'))
      .map((t) => ({ t, why: linkProblem(file, t) }))
      .filter((x) => x.why !== null)
      .map((x) => `${x.t}: ${x.why}`);
    expect(bad, `${name} has links that do not resolve to a file in the repository`).toEqual([]);
  });

  it('the check catches links out of the repository, to missing files and to missing headings', () => {
    const readme = join(ROOT, 'README.md');
    expect(linkProblem(readme, '../shared/SPEC.md')).toMatch(/leaves the repository/);
    expect(linkProblem(readme, '/work/shared/SPEC.md')).toMatch(/absolute/);
    expect(linkProblem(readme, 'file:///etc/passwd')).toMatch(/scheme/);
    expect(linkProblem(readme, 'docs/nothing-here.md')).toMatch(/no such file/);
    expect(linkProblem(readme, 'docs/services-yaml.md#no-such-heading')).toMatch(/no heading/);
    expect(linkProblem(readme, 'docs/services-yaml.md#servicesnamehealthcheck')).toBeNull();
    expect(linkProblem(readme, 'https://example.com/x')).toBeNull();
    expect(linkTargets('see [a](x.md) and `[b](y.md)` and ![c](d.svg)\n```\n[e](f.md)\n```')).toEqual(['x.md', 'd.svg']);
  });

  it('README.md links the reference docs where it points at keys and commands', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.includes('(docs/services-yaml.md)'), 'README.md should link docs/services-yaml.md').toBe(true);
    expect(readme.includes('(docs/cli.md)'), 'README.md should link docs/cli.md').toBe(true);
  });
});
