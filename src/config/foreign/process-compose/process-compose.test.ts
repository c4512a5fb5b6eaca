import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { problemLines } from '../../../../test/helpers/config-load.js';
import { formatProblem } from '../../errors.js';
import { loadConfigText } from '../../load.js';

const dir = mkdtempSync(join(tmpdir(), 'msdev-pc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  rmSync(join(dir, 'process-compose.override.yaml'), { force: true });
  rmSync(join(dir, '.env'), { force: true });
});

const load = (text: string, env: NodeJS.ProcessEnv = {}) =>
  loadConfigText(text, { path: join(dir, 'process-compose.yaml'), shown: 'process-compose.yaml', cwd: dir, profiles: [], env, pickPort: () => Promise.resolve(40123) });

async function warnings(text: string): Promise<string[]> {
  const { source } = await load(text);
  return source.warnings.map(formatProblem);
}

function problems(text: string): Promise<string[]> {
  return problemLines(load(text));
}

describe('a process-compose file read as it is', () => {
  it('runs command through bash -c (or shell:), with working_dir, environment lists and the top-level environment', async () => {
    const { config, source } = await load('version: "0.5"\nlog_level: debug\nenvironment:\n  - "G=1"\nprocesses:\n  api:\n    command: "echo $HOME ${USER_X}"\n    working_dir: sub\n    environment:\n      - "A=1"\n      - "B=x=y"\n');
    expect(source.format).toBe('process-compose');
    const api = config.services.api!;
    expect(api).toMatchObject({ kind: 'process', command: ['bash', '-c', 'echo $HOME '], cwd: join(dir, 'sub') });
    expect(api.env).toMatchObject({ G: '1', A: '1', B: 'x=y' });
    const sh = await load('shell:\n  shell_command: sh\n  shell_argument: -c\nprocesses:\n  a:\n    command: "true"\n');
    expect(sh.config.services.a).toMatchObject({ command: ['sh', '-c', 'true'] });
  });

  it('takes entrypoint as argv when there is no command', async () => {
    const { config } = await load('processes:\n  a:\n    entrypoint: [node, server.js]\n');
    expect(config.services.a).toMatchObject({ command: ['node', 'server.js'] });
  });

  it('maps every depends_on condition', async () => {
    const { config, source } = await load(
      'processes:\n  a:\n    command: x\n    ready_log_line: "up: ready (1)"\n  b:\n    command: x\n    readiness_probe:\n      exec:\n        command: "true"\n  c:\n    command: x\n  d:\n    command: x\n  e:\n    command: x\n    depends_on:\n      a:\n        condition: process_log_ready\n      b:\n        condition: process_healthy\n      c:\n        condition: process_completed_successfully\n      d: process_started\n',
    );
    expect(config.services.e?.dependsOn).toEqual({ a: 'healthy', b: 'healthy', c: 'completed', d: 'started' });
    expect(config.services.a?.healthcheck).toMatchObject({ kind: 'log', target: 'up: ready \\(1\\)' });
    expect(config.services.c?.oneShot).toBe(true);
    expect(source.warnings).toEqual([]);
    expect(await warnings('processes:\n  a:\n    command: x\n  b:\n    command: x\n    depends_on:\n      a:\n        condition: process_completed\n')).toEqual([
      'process-compose.yaml:8:20: processes.b.depends_on.a.condition: msdev starts this process once "a" exits 0, and fails it when "a" fails (process-compose starts it on any exit code)',
    ]);
  });

  it('refuses what process-compose refuses, pointing at it', async () => {
    expect(await problems('is_strict: true\nprocesses:\n  a:\n    command: x\n  b:\n    command: x\n    depends_on:\n      a:\n        condition: process_log_ready\n      zz:\n        condition: process_started\n      a2: {}\n')).toEqual([
      'process-compose.yaml:9:20: processes.b.depends_on.a.condition: process_log_ready needs a ready_log_line in process "a"',
      'process-compose.yaml:10:7: processes.b.depends_on.zz: no process "zz" in this file',
      'process-compose.yaml:12:7: processes.b.depends_on.a2: no process "a2" in this file',
    ]);
    expect(await problems('processes:\n  a:\n    command: x\n    ready_log_line: up\n    readiness_probe:\n      exec:\n        command: "true"\n')).toEqual([
      'process-compose.yaml:4:5: processes.a.ready_log_line: ready_log_line and readiness_probe cannot both be set (process-compose refuses them too)',
    ]);
    expect(await problems('processes:\n  a:\n    working_dir: /tmp\n')).toEqual(['process-compose.yaml:2:3: processes.a: no command to run (command, or entrypoint as a list)']);
    expect(await problems('processes: []\n')).toEqual(['process-compose.yaml:1:12: processes: expected a mapping of process name → { command, … }']);
    expect(await problems('- a\n')).toEqual(['process-compose.yaml:1:1: expected a mapping at the top with processes:']);
    expect(await problems('version: "0.5"\n')).toEqual(['process-compose.yaml:1:1: no processes: add a "processes:" mapping']);
  });

  it('reads a readiness probe (exec, http_get) with its timing; a lone liveness probe becomes the health check, with a warning', async () => {
    const { config } = await load(
      'processes:\n  a:\n    command: x\n    readiness_probe:\n      http_get:\n        host: localhost\n        port: 8080\n        path: health\n        scheme: HTTP\n      initial_delay_seconds: 2\n      period_seconds: 3\n      timeout_seconds: 4\n      failure_threshold: 5\n  b:\n    command: x\n    readiness_probe:\n      exec:\n        command: "test -f ready"\n',
    );
    expect(config.services.a?.healthcheck).toMatchObject({ kind: 'http', target: 'http://localhost:8080/health', intervalMs: 3000, timeoutMs: 4000, retries: 5, startPeriodMs: 2000 });
    expect(config.services.b?.healthcheck).toMatchObject({ kind: 'exec', target: 'test -f ready', intervalMs: 10_000, timeoutMs: 1000, retries: 3 });
    const lone = 'processes:\n  a:\n    command: x\n    liveness_probe:\n      exec:\n        command: "true"\n';
    expect((await load(lone)).config.services.a?.healthcheck).toMatchObject({ kind: 'exec', target: 'true' });
    expect(await warnings(lone)).toEqual([
      'process-compose.yaml:4:5: processes.a.liveness_probe: msdev uses it as the health check (it gates dependents and readiness), and restarts a process when it exits, not when this probe fails',
    ]);
    const both = 'processes:\n  a:\n    command: x\n    readiness_probe:\n      exec:\n        command: "true"\n    liveness_probe:\n      exec:\n        command: "false"\n';
    expect((await load(both)).config.services.a?.healthcheck).toMatchObject({ target: 'true' });
    expect((await warnings(both))[0]).toMatch(/^process-compose.yaml:7:5: processes.a.liveness_probe: msdev has one health check/);
  });

  it('maps availability and says what msdev does not do', async () => {
    const text =
      'processes:\n  a:\n    command: x\n    availability:\n      restart: always\n      backoff_seconds: 2\n  b:\n    command: x\n    availability:\n      restart: on_failure\n      max_restarts: 3\n  c:\n    command: x\n    availability:\n      restart: exit_on_failure\n  d:\n    command: x\n    availability:\n      restart: "no"\n      exit_on_end: true\n  e:\n    command: x\n';
    const { config } = await load(text);
    expect(config.services.a).toMatchObject({ restart: 'always', maxRestarts: 0 });
    expect(config.services.b).toMatchObject({ restart: 'on-failure', maxRestarts: 3 });
    expect(config.services.c).toMatchObject({ restart: 'no', oneShot: true, stopAllOn: 'failure' });
    expect(config.services.d).toMatchObject({ restart: 'no', oneShot: true, stopAllOn: 'exit' });
    expect(config.services.e).toMatchObject({ restart: 'on-failure', oneShot: false });
    expect((await warnings(text)).map((w) => w.split(': ').slice(0, 2).join(': '))).toEqual([
      'process-compose.yaml:6:7: processes.a.availability.backoff_seconds',
    ]);
    expect(await problems('processes:\n  a:\n    command: x\n    availability:\n      restart: sometimes\n')).toEqual([
      'process-compose.yaml:5:16: processes.a.availability.restart: "sometimes" is not a restart policy; use no, on_failure, always or exit_on_failure',
    ]);
  });

  it('keeps a process it waits to be healthy restartable even under restart: no, and says so', async () => {
    const text = 'processes:\n  a:\n    command: x\n    ready_log_line: up\n    availability:\n      restart: "no"\n';
    expect((await load(text)).config.services.a).toMatchObject({ restart: 'on-failure', oneShot: false });
    expect((await warnings(text))[0]).toMatch(/^process-compose.yaml:6:16: processes.a.availability.restart: msdev restarts/);
  });

  it('maps shutdown: the signal number to its name, timeout_seconds; a command is not run', async () => {
    const text = 'processes:\n  a:\n    command: x\n    shutdown:\n      signal: 2\n      timeout_seconds: 3\n      command: "stop it"\n  b:\n    command: x\n    shutdown:\n      signal: 28\n';
    const { config } = await load(text);
    expect(config.services.a).toMatchObject({ stopSignal: 'SIGINT', stopTimeoutMs: 3000 });
    expect(config.services.b).toMatchObject({ stopSignal: 'SIGTERM' });
    expect((await warnings(text)).map((w) => w.split(': ').slice(0, 2).join(': '))).toEqual([
      'process-compose.yaml:7:7: processes.a.shutdown.command',
      'process-compose.yaml:11:15: processes.b.shutdown.signal',
    ]);
  });

  it('puts a disabled process in the profile "disabled", and warns on keys msdev cannot honour', async () => {
    const text =
      'log_location: pc.log\nenv_cmds:\n  X: date\nprocesses:\n  a:\n    command: x\n    disabled: true\n    is_daemon: true\n    namespace: ns\n    log_location: a.log\n    replicas: 2\n    commnad: typo\n    x-mine: ok\n    description: fine\n';
    const { config } = await load(text);
    expect(config.services.a?.profiles).toEqual(['disabled']);
    expect(config.active).toEqual([]);
    expect((await warnings(text)).map((w) => w.split(': ').slice(0, 2).join(': '))).toEqual([
      'process-compose.yaml:1:1: log_location',
      'process-compose.yaml:2:1: env_cmds',
      'process-compose.yaml:7:5: processes.a.disabled',
      'process-compose.yaml:8:5: processes.a.is_daemon',
      'process-compose.yaml:9:5: processes.a.namespace',
      'process-compose.yaml:10:5: processes.a.log_location',
      'process-compose.yaml:11:5: processes.a.replicas',
      'process-compose.yaml:12:5: processes.a.commnad',
    ]);
  });

  it('substitutes {{.VAR}} from vars (the process over the top), and refuses any other template', async () => {
    const { config } = await load('vars:\n  PORT: 8080\n  HOST: top\nprocesses:\n  a:\n    vars:\n      HOST: mine\n    command: "serve --host {{.HOST}} --port {{ .PORT }} -n {{.PC_REPLICA_NUM}}"\n    readiness_probe:\n      http_get:\n        port: "{{.PORT}}"\n');
    expect(config.services.a).toMatchObject({ command: ['bash', '-c', 'serve --host mine --port 8080 -n 0'] });
    expect(config.services.a?.healthcheck?.target).toBe('http://127.0.0.1:8080/');
    expect(await problems('processes:\n  a:\n    command: "run {{ if .X }}x{{ end }}"\n  b:\n    command: "run {{.NOPE}}"\n')).toEqual([
      'process-compose.yaml:3:14: processes.a.command: the Go template {{if .X}} is more than msdev runs; only {{.NAME}} substitution of vars is read',
      'process-compose.yaml:5:14: processes.b.command: {{.NOPE}}: no var "NOPE" (define it under vars, of the process or at the top)',
    ]);
  });

  it('interpolates ${VAR} from the shell and .env, as process-compose expands its file', async () => {
    writeFileSync(join(dir, '.env'), 'FROM_FILE=f\n');
    const { config } = await load('processes:\n  a:\n    command: "echo ${FROM_SHELL} ${FROM_FILE}"\n', { FROM_SHELL: 's' });
    expect(config.services.a).toMatchObject({ command: ['bash', '-c', 'echo s f'] });
    expect(config.services.a?.env.FROM_FILE).toBe('f');
  });

  it('merges process-compose.override.yaml: keys replaced, environment by name, new processes added; its problems point into it', async () => {
    writeFileSync(join(dir, 'process-compose.override.yaml'), 'processes:\n  a:\n    command: [1]\n');
    expect(await problems('processes:\n  a:\n    command: "run a"\n    environment:\n      - "A=1"\n      - "B=1"\n    disabled: true\n')).toEqual([
      'process-compose.override.yaml:3:14: processes.a.command: expected a string',
    ]);
    writeFileSync(join(dir, 'process-compose.override.yaml'), 'processes:\n  a:\n    command: "run b"\n    disabled: false\n    environment:\n      - "A=2"\n      - "C=3"\n  extra:\n    command: more\n');
    const { config, source } = await load('processes:\n  a:\n    command: "run a"\n    environment:\n      - "A=1"\n      - "B=1"\n    disabled: true\n');
    expect(config.services.a).toMatchObject({ command: ['bash', '-c', 'run b'], profiles: ['disabled'] });
    expect(config.services.a?.env).toMatchObject({ A: '2', B: '1', C: '3' });
    expect(Object.keys(config.services)).toEqual(['a', 'extra']);
    expect(source.warnings.map(formatProblem)).toContain('process-compose.override.yaml: merged into process-compose.yaml, as process-compose does');
  });

  it('survives hostile input without a crash', async () => {
    for (const text of ['processes:\n  a: 1\n', 'processes:\n  a:\n    command: [1, 2]\n', 'processes:\n  a:\n    command: x\n    depends_on: 3\n    availability: []\n    shutdown: x\n    readiness_probe: 1\n    environment: {A: [1]}\n', 'processes:\n  a: &x\n    command: x\n  b:\n    <<: *x\n    depends_on:\n      a: {condition: [1]}\n', 'vars: 1\nshell: 2\nprocesses:\n  a:\n    command: "{{"\n    readiness_probe:\n      http_get: 1\n      exec: {}\n']) {
      const r = await problems(text);
      expect(Array.isArray(r)).toBe(true);
    }
  });
});
