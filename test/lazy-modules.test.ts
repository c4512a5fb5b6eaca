// The heavy packages are loaded only when needed (ARCHITECTURE: speed): chokidar only when a service
// watches, blessed only when the TUI opens, dockerode (and the tar-fs it requires) only when a
// container service starts; `validate`, `--help`, plain `up` and `down` load none of them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, FIXTURES, cleanUp, makeProject, runCli, type TempProject } from './helpers/cli.js';
import { dockerOrSkip } from './helpers/docker-kit.js';

const hasDocker = await dockerOrSkip();

let project: TempProject | null = null;
afterEach(async () => {
  await cleanUp(project);
  project = null;
});

/** The env that makes msdev record the heavy packages it loads into `file`. */
function traced(file: string): NodeJS.ProcessEnv {
  return { NODE_OPTIONS: `--require ${join(FIXTURES, 'trace-requires.cjs')}`, TRACE_REQUIRES: file };
}

/** The packages recorded. */
function loaded(file: string): string[] {
  return existsSync(file) ? [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))].sort() : [];
}

const PLAIN = 'services:\n  a:\n    command: "echo up; while true; do sleep 1; done"\n';
const WATCHED = `${PLAIN}    watch: { paths: ["."] }\n`;

describe('heavy packages load lazily', () => {
  it('validate, --help, up without watch and down load none of chokidar, blessed, pino-pretty, dockerode', async () => {
    const p = (project = makeProject(PLAIN));
    const trace = p.path('trace.txt');
    expect((await runCli(['validate'], { cwd: p.dir, env: traced(trace) })).code).toBe(0);
    expect((await runCli(['--help'], { cwd: p.dir, env: traced(trace) })).code).toBe(0);
    const up = new CliRun(['up', '--no-tui'], { cwd: p.dir, env: traced(trace) });
    await up.waitFor(() => /ready in/.test(up.stdout), 20_000, 'ready');
    up.signal('SIGINT');
    expect((await up.exited).code).toBe(0);
    expect((await runCli(['down'], { cwd: p.dir, env: traced(trace) })).code).toBe(0);
    expect(loaded(trace)).toEqual([]);
  }, 60_000);

  it('up with a watching service loads chokidar (and still not blessed); --no-watch does not', async () => {
    const p = (project = makeProject(WATCHED));
    const trace = p.path('trace.txt');
    const up = new CliRun(['up', '--no-tui'], { cwd: p.dir, env: traced(trace) });
    await up.waitFor(() => /watching for changes: a/.test(up.stdout), 20_000, 'watching');
    up.signal('SIGINT');
    expect((await up.exited).code).toBe(0);
    expect(loaded(trace)).toEqual(['chokidar']);
    const noWatch = p.path('trace-no-watch.txt');
    const up2 = new CliRun(['up', '--no-tui', '--no-watch'], { cwd: p.dir, env: traced(noWatch) });
    await up2.waitFor(() => /ready in/.test(up2.stdout), 20_000, 'ready');
    up2.signal('SIGINT');
    expect((await up2.exited).code).toBe(0);
    expect(loaded(noWatch)).toEqual([]);
  }, 60_000);

  it.skipIf(!hasDocker)('up with a container service loads dockerode (which requires tar-fs itself), and neither chokidar nor blessed', async () => {
    const p = (project = makeProject(`${PLAIN}  box:\n    image: msdev-test/busybox\n    command: "sleep 600"\n`));
    const trace = p.path('trace.txt');
    const up = new CliRun(['up', '--no-tui'], { cwd: p.dir, env: traced(trace) });
    await up.waitFor(() => /ready in/.test(up.stdout), 30_000, 'ready');
    up.signal('SIGINT');
    expect((await up.exited).code).toBe(0);
    expect(loaded(trace)).toEqual(['dockerode', 'tar-fs']);
  }, 60_000);
});
