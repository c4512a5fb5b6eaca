// Control from another terminal (issue 10), through the real CLI: `up -d`, then ps, restart, logs, stop,
// start and down over `.msdev/msdev.sock`; a killed supervisor cleaned up by `down`; the socket's mode,
// a malformed request, and a foreground `up` stopped by `down`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, alive, cleanUp, killAll, makeProject, runCli, until, type TempProject } from './helpers/cli.js';
import { rawRequest } from './helpers/control-kit.js';
import type { PsEntry } from '../src/frontends/control/wire.js';

let project: TempProject | null = null;
/** Every pid seen (services and supervisors), killed after the test in case something was left. */
const seen = new Set<number>();

afterEach(async () => {
  if (project !== null) {
    // A detached supervisor is nobody's child here: stop it the way users do, then make sure.
    await runCli(['down'], { cwd: project.dir, timeoutMs: 30_000 }).catch(() => undefined);
    const supervisor = supervisorPid(project);
    if (supervisor !== null) seen.add(supervisor);
  }
  killAll([...seen, ...(project?.pids('pids') ?? [])]);
  seen.clear();
  await cleanUp(project);
  project = null;
});

const STACK = `
services:
  db:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
    healthcheck: { http: "http://127.0.0.1:\${port}/health", interval: 200ms }
  api:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids }
    depends_on: { db: healthy }
    healthcheck: { http: "http://127.0.0.1:\${port}/health", interval: 200ms }
  ticker:
    command: "echo $$ >> pids; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.05; done"
    healthcheck: { exec: "true", interval: 200ms }
`;

/** `msdev ps --json` as objects by service name (every pid seen is remembered for the clean-up). */
async function ps(p: TempProject): Promise<Map<string, PsEntry>> {
  const r = await runCli(['ps', '--json'], { cwd: p.dir });
  expect(r.code, r.stderr).toBe(0);
  const entries = JSON.parse(r.stdout) as PsEntry[];
  for (const e of entries) if (e.pid !== null) seen.add(e.pid);
  return new Map(entries.map((e) => [e.name, e]));
}

/** The supervisor's pid from state.json, or null. */
function supervisorPid(p: TempProject): number | null {
  try {
    return (JSON.parse(readFileSync(p.path('.msdev/state.json'), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

/** The numbers of `ticker | tick N` lines in some output. */
function ticks(text: string): number[] {
  return [...text.matchAll(/^ticker +\| tick (\d+)$/gm)].map((m) => Number(m[1]));
}

describe('msdev up -d, then the client commands', () => {
  it('ps, restart, logs, logs -f, stop, start and down work on the detached stack; nothing is left', async () => {
    const p = (project = makeProject(STACK));
    const up = await runCli(['up', '-d'], { cwd: p.dir });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^api +healthy /m);
    expect(up.stderr).toMatch(/running in the background \(msdev pid \d+/);
    const supervisor = supervisorPid(p)!;
    seen.add(supervisor);
    expect(alive(supervisor)).toBe(true);

    // The socket is owner-only.
    expect(statSync(p.path('.msdev/msdev.sock')).mode & 0o777).toBe(0o600);

    const before = await ps(p);
    expect([...before.values()].map((e) => [e.name, e.state, e.health])).toEqual([
      ['db', 'healthy', 'healthy'],
      ['api', 'healthy', 'healthy'],
      ['ticker', 'healthy', 'healthy'],
    ]);
    expect(before.get('api')).toMatchObject({ restarts: 0, container: null, url: `http://127.0.0.1:${before.get('api')!.port}` });
    expect(before.get('api')!.uptime_ms).toBeGreaterThanOrEqual(0);
    const table = await runCli(['ps'], { cwd: p.dir });
    expect(table.stdout).toMatch(/^SERVICE +STATE +HEALTH +PID +PORT +RESTARTS +UPTIME/);
    expect(table.stdout).toMatch(new RegExp(`^api +healthy +healthy +${before.get('api')!.pid} `, 'm'));

    // restart api: returns once it is healthy again, with a new pid; the old one is gone; db untouched.
    const restart = await runCli(['restart', 'api'], { cwd: p.dir });
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toMatch(/^api: restarted, healthy \(pid \d+\)$/m);
    const after = await ps(p);
    expect(after.get('api')!.state).toBe('healthy');
    expect(after.get('api')!.pid).not.toBe(before.get('api')!.pid);
    expect(alive(before.get('api')!.pid!)).toBe(false);
    expect(after.get('db')!.pid).toBe(before.get('db')!.pid);

    // logs -n 5 ticker: exactly its last five lines.
    const five = await runCli(['logs', '-n', '5', 'ticker'], { cwd: p.dir });
    expect(five.code, five.stderr).toBe(0);
    const lines = five.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(5);
    const numbers = ticks(five.stdout);
    expect(numbers).toHaveLength(5);
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)).toBe(true);

    // logs -f follows: lines newer than the five above arrive, then Ctrl-C ends it with 0.
    const follow = new CliRun(['logs', '-f', 'ticker'], { cwd: p.dir });
    await follow.waitFor(() => ticks(follow.stdout).some((n) => n > numbers[4]! + 3), 20_000, 'new tick lines');
    follow.signal('SIGINT');
    expect((await follow.exited).code).toBe(0);

    // stop ticker: stopped, its shell gone; start: a new pid, healthy.
    const tickerPid = after.get('ticker')!.pid!;
    const stop = await runCli(['stop', 'ticker'], { cwd: p.dir });
    expect(stop.code, stop.stderr).toBe(0);
    const stopped = await ps(p);
    expect(stopped.get('ticker')).toMatchObject({ state: 'stopped', pid: null });
    expect(alive(tickerPid)).toBe(false);
    const start = await runCli(['start', 'ticker'], { cwd: p.dir });
    expect(start.code, start.stderr).toBe(0);
    const started = await ps(p);
    expect(started.get('ticker')!.state).toBe('healthy');
    expect(started.get('ticker')!.pid).not.toBe(tickerPid);

    // An unknown service: exit 1 with the reason.
    const unknown = await runCli(['restart', 'apj'], { cwd: p.dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/restart apj: .*"apj".*did you mean "api"/);

    // A second up refuses while one runs.
    const second = await runCli(['up', '-d'], { cwd: p.dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already runs/);

    // down: everything stops, the socket and state.json go, the supervisor exits.
    const servicePids = [...started.values()].map((e) => e.pid!).concat(p.pids('pids'));
    const down = await runCli(['down'], { cwd: p.dir });
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(p.path('.msdev/msdev.sock'))).toBe(false);
    expect(existsSync(p.path('.msdev/state.json'))).toBe(false);
    expect(alive(supervisor)).toBe(false);
    expect(servicePids.filter(alive)).toEqual([]);

    // With none running: ps says so (exit 1); logs reads the last run's files.
    const none = await runCli(['ps'], { cwd: p.dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no msdev is running/);
    const old = await runCli(['logs', '-n', '3', 'ticker'], { cwd: p.dir });
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toMatch(/no msdev is running; the last run's logs/);
    expect(old.stdout.split('\n').filter((l) => l !== '')).toHaveLength(3);
  }, 90_000);

  it('after kill -9 of the supervisor, down kills every leftover and the stale socket; up -d then starts normally', async () => {
    const p = (project = makeProject(STACK));
    expect((await runCli(['up', '-d'], { cwd: p.dir })).code).toBe(0);
    const services = await ps(p);
    const pids = [...services.values()].map((e) => e.pid!);
    const supervisor = supervisorPid(p)!;
    seen.add(supervisor);
    process.kill(supervisor, 'SIGKILL');
    await until(() => !alive(supervisor), 'the supervisor gone');
    expect([services.get('db')!.pid!, services.get('api')!.pid!].every(alive)).toBe(true);
    expect(existsSync(p.path('.msdev/msdev.sock'))).toBe(true);

    const ps2 = await runCli(['ps'], { cwd: p.dir });
    expect(ps2.code).toBe(1);
    expect(ps2.stderr).toMatch(/no msdev is running .*killed msdev left its files behind: msdev down cleans up/);

    const down = await runCli(['down'], { cwd: p.dir });
    expect(down.code, down.stderr).toBe(0);
    // The servers outlive their supervisor; the ticker may die of a broken pipe on its own first.
    expect(down.stderr).toMatch(/killed what a killed msdev left running: api, db/);
    expect(pids.filter(alive)).toEqual([]);
    expect(p.pids('pids').filter(alive)).toEqual([]);
    expect(existsSync(p.path('.msdev/msdev.sock'))).toBe(false);

    const again = await runCli(['up', '-d'], { cwd: p.dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/killed what/);
    const fresh = await ps(p);
    expect([...fresh.values()].every((e) => e.state === 'healthy')).toBe(true);
  }, 90_000);

  it('answers a malformed request with 400 and an unknown service with 404, and keeps serving', async () => {
    const p = (project = makeProject(STACK));
    expect((await runCli(['up', '-d'], { cwd: p.dir })).code).toBe(0);
    const badJson = await rawRequest(p.path('.msdev'), 'POST', '/services/api/restart', '{"dependents": tru');
    expect(badJson.status).toBe(400);
    expect(badJson.json).toMatchObject({ error: expect.stringMatching(/bad JSON/) as unknown });
    const badRoute = await rawRequest(p.path('.msdev'), 'GET', '/nothing/here');
    expect(badRoute.status).toBe(400);
    const badValue = await rawRequest(p.path('.msdev'), 'POST', '/services/api/restart', '{"dependents": "yes"}');
    expect(badValue.status).toBe(400);
    const unknown = await rawRequest(p.path('.msdev'), 'GET', '/services/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: expect.stringMatching(/nope/) as unknown });
    // Garbage that is not HTTP at all on a raw connection.
    await new Promise<void>((resolve) => {
      const req = request({ socketPath: p.path('.msdev/msdev.sock'), method: 'GET', path: '/info', headers: { 'content-length': 'x' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', () => resolve());
      req.end();
    });
    const still = await rawRequest(p.path('.msdev'), 'GET', '/services');
    expect(still.status).toBe(200);
    expect((still.json as unknown[]).length).toBe(3);
  }, 60_000);
});

describe('up -d that cannot get ready', () => {
  it('a bad config: exit 2 with the position, nothing left running', async () => {
    const p = (project = makeProject('services:\n  api:\n    command: node x.js\n    port: nope\n'));
    const up = await runCli(['up', '-d'], { cwd: p.dir });
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(/services\.yaml:4:\d+: .*port/);
    expect(existsSync(p.path('.msdev/msdev.sock'))).toBe(false);
    expect(supervisorPid(p)).toBeNull();
  }, 30_000);

  it('a service that fails: exit 1 with its report, the rest keeps running for logs and down', async () => {
    const p = (project = makeProject(`${STACK}
  broken:
    command: "echo about to fail; exit 3"
    restart: "no"
`));
    const up = await runCli(['up', '-d'], { cwd: p.dir });
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/✗ broken: failed: exit code 3/);
    expect(up.stderr).toMatch(/│ about to fail/);
    expect(up.stderr).toMatch(/still running in the background/);
    seen.add(supervisorPid(p)!);
    // The config file can still be named before the command, with -f after logs meaning --follow.
    const logs = await runCli(['-f', 'services.yaml', 'logs', '-n', '1', 'broken'], { cwd: p.dir });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/^broken +\| about to fail$/m);
    expect((await runCli(['down'], { cwd: p.dir })).code).toBe(0);
    expect(supervisorPid(p)).toBeNull();
  }, 60_000);

  it('--timeout: exit 1 naming the timeout and the service still waiting', async () => {
    const p = (project = makeProject(`
services:
  slow:
    command: node FIXTURES/server.mjs
    port: auto
    env: { PID_FILE: pids, NOT_READY_MS: "60000" }
    healthcheck: { http: "http://127.0.0.1:\${port}/health", interval: 200ms }
`));
    const up = await runCli(['up', '-d', '--timeout', '1s'], { cwd: p.dir });
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/not ready after 1s \(--timeout\)/);
    expect(up.stderr).toMatch(/✗ slow: (running|unhealthy): .*(503|health check)/);
    seen.add(supervisorPid(p)!);
  }, 30_000);
});

describe('down and a foreground up', () => {
  it('msdev down stops an `up --no-tui` in another terminal, which exits 0', async () => {
    const p = (project = makeProject(STACK));
    const up = new CliRun(['up', '--no-tui'], { cwd: p.dir });
    await up.waitFor(() => /ready in/.test(up.stdout), 20_000, 'ready');
    await until(() => existsSync(p.path('.msdev/msdev.sock')), 'the socket');
    const down = await runCli(['down'], { cwd: p.dir });
    expect(down.code, down.stderr).toBe(0);
    const { code } = await up.exited;
    expect(code).toBe(0);
    expect(up.stdout).toMatch(/msdev down: stopping everything/);
    expect(p.pids('pids').filter(alive)).toEqual([]);
  }, 60_000);
});
