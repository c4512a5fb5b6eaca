// msdev up output: plain lines, log files, long lines, registry env, and bad input that must not crash msdev.
import { readFileSync, readdirSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, alive, cleanUp, killAll, makeProject, runCli, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;
let run: CliRun | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
  run = null;
});

describe('msdev up output', () => {
  it('writes every line, in order, of a service that prints 200,000 lines to its log file', async () => {
    project = makeProject(`
services:
  chatty:
    command: node FIXTURES/lines.mjs 200000
    restart: "no"
`);
    run = new CliRun(['up', '--no-tui'], { cwd: project.dir });
    expect((await run.exited).code).toBe(0);
    const lines = readFileSync(project.path('.msdev/logs/chatty.log'), 'utf8').split('\n');
    const numbered = lines.filter((l) => l.startsWith('line '));
    expect(numbered).toHaveLength(200_000);
    expect(numbered.every((l, i) => l === `line ${i + 1}`)).toBe(true);
    const shown = run.stdout.split('\n').filter((l) => l.startsWith('chatty | line '));
    expect(shown).toHaveLength(200_000);
    expect(shown[199_999]).toBe('chatty | line 200000');
  });

  it('keeps lines over 64 KiB and a last line with no final newline', async () => {
    const long = 'x'.repeat(200 * 1024);
    project = makeProject(`
services:
  longline:
    command: node FIXTURES/lines.mjs 3
    restart: "no"
    env: { TAIL_BYTES: "${200 * 1024}" }
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    expect((await run.exited).code).toBe(0);
    const logged = run.events().filter((e) => e.type === 'log').map((e) => e.line);
    expect(logged).toEqual(['line 1', 'line 2', 'line 3', long]);
    const file = readFileSync(project.path('.msdev/logs/longline.log'), 'utf8');
    expect(file.includes(long)).toBe(true);
  });

  it('prints NAME | text padded to the longest name, with no colour when not a terminal', async () => {
    project = makeProject(`
services:
  a:
    command: "echo hello from a"
    restart: "no"
  longer-name:
    command: "echo hello from longer"
    restart: "no"
`);
    const { code, stdout } = await runCli(['up'], { cwd: project.dir });
    expect(code).toBe(0);
    expect(stdout).toContain('a           | hello from a\n');
    expect(stdout).toContain('longer-name | hello from longer\n');
    expect(stdout).toMatch(/^msdev {7}\| /m);
    expect(stdout).not.toContain('\u001b[');
  });

  it('pretty-prints pino JSON lines, and --raw keeps them as they are', async () => {
    const record = JSON.stringify({ level: 30, time: 1700000000000, msg: 'order placed', orderId: 7 });
    project = makeProject(
      `
services:
  api:
    command: cat record.json
    restart: "no"
`,
      { 'record.json': `${record}\n` },
    );
    const pretty = await runCli(['up'], { cwd: project.dir });
    const line = pretty.stdout.split('\n').find((l) => l.startsWith('api'))!;
    expect(line).toContain('INFO');
    expect(line).toContain('order placed');
    expect(line).toContain('orderId');
    expect(line).not.toContain('{"level"');
    const raw = await runCli(['up', '--raw'], { cwd: project.dir });
    expect(raw.stdout).toContain(`api   | ${record}`);
  });

  it('gives every service the registry env and interpolates ${services.S.url}', async () => {
    project = makeProject(`
name: shop
services:
  catalog:
    command: node FIXTURES/server.mjs
    port: auto
  orders-api:
    command: node FIXTURES/env.mjs PORT CATALOG_URL CATALOG_PORT ORDERS_API_URL MSDEV_PROJECT MSDEV_SERVICE UPSTREAM
    port: auto
    env: { UPSTREAM: "\${services.catalog.url}/products" }
    depends_on: { catalog: healthy }
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitFor(() => run!.events().filter((e) => e.service === 'orders-api' && e.type === 'log').length >= 7, 20_000, 'env lines');
    const env = Object.fromEntries(
      run.events().filter((e) => e.service === 'orders-api' && e.type === 'log').map((e) => e.line!.split('=') as [string, string]),
    );
    const catalogPort = Number(env.CATALOG_PORT);
    expect(catalogPort).toBeGreaterThan(0);
    expect(env.CATALOG_URL).toBe(`http://127.0.0.1:${catalogPort}`);
    expect(env.UPSTREAM).toBe(`http://127.0.0.1:${catalogPort}/products`);
    expect(env.ORDERS_API_URL).toBe(`http://127.0.0.1:${env.PORT}`);
    expect(env.MSDEV_PROJECT).toBe('shop');
    expect(env.MSDEV_SERVICE).toBe('orders-api');
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });
});

describe('bad input never crashes msdev', () => {
  it('a missing cwd and a command that does not exist fail with a clear reason; the rest runs', async () => {
    project = makeProject(`
services:
  lost:
    command: "echo hi"
    cwd: ./no-such-folder
  typo:
    command: definitely-not-a-command --flag
  argv-typo:
    command: [definitely-not-a-command, --flag]
  fine:
    command: node FIXTURES/env.mjs MSDEV_SERVICE
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitFor(() => ['lost', 'typo', 'argv-typo'].every((s) => run!.states().includes(`${s}:failed`)), 20_000, 'failures');
    await run.waitState('fine', 'running');
    const reason = (s: string) => run!.events().find((e) => e.type === 'state' && e.service === s && e.state === 'failed')?.reason;
    expect(reason('lost')).toBe(`working directory ${project.dir}/no-such-folder does not exist; fix "cwd" or create the folder`);
    expect(reason('typo')).toBe('command not found (exit code 127)');
    expect(reason('argv-typo')).toBe('command not found: definitely-not-a-command');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.states()).not.toContain('fine:failed');
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  });

  it('a service that closes its stdout keeps running and its stderr still shows', async () => {
    project = makeProject(`
services:
  quiet:
    command: "exec 1>&-; sleep 0.3; echo still here >&2; echo $$$$ >> pids; sleep 30"
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitFor(() => run!.events().some((e) => e.type === 'log' && e.line === 'still here'), 10_000, 'stderr line');
    const log = run.events().find((e) => e.line === 'still here');
    expect(log?.stream).toBe('stderr');
    expect(run.states().at(-1)).toBe('quiet:running');
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
    expect(project.pids('pids').filter(alive)).toEqual([]);
  });

  it('an unreadable config file gives a clear error and exit 2', async () => {
    project = makeProject('services: {}\n');
    chmodSync(project.path('services.yaml'), 0o000);
    const asRoot = process.getuid?.() === 0;
    const { code, stderr } = await runCli(['up', '-f', 'missing.yaml'], { cwd: project.dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing\.yaml/);
    expect(stderr).not.toMatch(/\n\s+at /);
    if (!asRoot) {
      const unreadable = await runCli(['up'], { cwd: project.dir });
      expect(unreadable.code).toBe(2);
      expect(unreadable.stderr).toMatch(/services\.yaml/);
    }
  });

  it('a fixed port that is taken stops the start before anything starts, naming the port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      project = makeProject(`
services:
  first:
    command: "echo $$$$ >> pids; sleep 30"
  api:
    command: node FIXTURES/server.mjs
    port: ${port}
`);
      const { code, stderr } = await runCli(['up', '--json'], { cwd: project.dir });
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${port} is already in use`);
      expect(stderr).toContain('services.api.port');
      expect(project.pids('pids')).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('cleans up after an msdev that was killed: the next up kills what it left', async () => {
    project = makeProject(`
services:
  orphan-maker:
    command: "echo $$$$ >> pids; sleep 60"
`);
    run = new CliRun(['up', '--json'], { cwd: project.dir });
    await run.waitState('orphan-maker', 'running');
    await run.waitFor(() => project!.pids('pids').length === 1, 10_000, 'pid');
    run.signal('SIGKILL');
    await run.exited;
    const [orphan] = project.pids('pids');
    expect(alive(orphan!)).toBe(true);
    expect(readdirSync(project.path('.msdev'))).toContain('state.json');
    const second = new CliRun(['up', '--no-tui'], { cwd: project.dir });
    await second.waitFor(() => second.stdout.includes('killed what an earlier msdev left running: orphan-maker'), 10_000, 'reap message');
    expect(alive(orphan!)).toBe(false);
    second.signal('SIGINT');
    expect((await second.exited).code).toBe(0);
    killAll(project.pids('pids'));
  });
});
