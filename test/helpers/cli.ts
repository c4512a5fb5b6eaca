// Spawns the real built CLI against temp projects, and reads what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The launcher of the built CLI. */
export const MSDEV = join(ROOT, 'bin', 'msdev.js');
/** Folder of the fixture scripts. */
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'bin');

/** A temp folder holding a services.yaml. */
export interface TempProject {
  readonly dir: string;
  /** Path of a file inside the project. */
  path(name: string): string;
  /** Lines of a pid file the fixtures append to, as numbers. */
  pids(name: string): number[];
  cleanup(): void;
}

/** Makes a temp project with this services.yaml (FIXTURES is replaced by the fixture folder) and extra files. */
export function makeProject(yaml: string, files: Record<string, string> = {}): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'msdev-test-'));
  writeFileSync(join(dir, 'services.yaml'), yaml.replaceAll('FIXTURES', FIXTURES));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return {
    dir,
    path: (name) => join(dir, name),
    pids(name) {
      const file = join(dir, name);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once `check` holds, polling every 20 ms; fails after timeoutMs. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether a process is alive (zombies count as dead). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Kills leftover pids a failed test may leave (only pids the test's own services wrote). */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** A JSON event as `up --json` prints it. */
export interface JsonEvent {
  readonly ts: string;
  readonly type: string;
  readonly service?: string;
  readonly state?: string;
  readonly prev?: string;
  readonly reason?: string | null;
  readonly pid?: number | null;
  readonly line?: string;
  readonly code?: number;
  readonly [key: string]: unknown;
}

/** Every CLI run started and not yet exited, so that cleanUp can end those a failed test left. */
const liveRuns = new Set<CliRun>();

/** One run of the CLI. */
export class CliRun {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: (() => void)[] = [];

  constructor(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
    this.child = spawn(process.execPath, [MSDEV, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      this.stdout += s;
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      this.stderr += s;
      this.notify();
    });
    liveRuns.add(this);
    this.exited = new Promise((res) => this.child.once('close', (code, signal) => {
      liveRuns.delete(this);
      this.notify();
      res({ code, signal });
    }));
  }

  /** Every complete JSON line printed so far. */
  events(): JsonEvent[] {
    return this.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as JsonEvent);
  }

  /** `service:state` for each state event, in order. */
  states(): string[] {
    return this.events()
      .filter((e) => e.type === 'state')
      .map((e) => `${e.service}:${e.state}`);
  }

  /** Every pid a state event reported. */
  pids(): number[] {
    return [...new Set(this.events().map((e) => e.pid).filter((p): p is number => typeof p === 'number'))];
  }

  /** Resolves when check() is true on the output so far; rejects after timeoutMs with the output. */
  async waitFor(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}\n--- stdout ---\n${this.stdout.slice(-4000)}\n--- stderr ---\n${this.stderr.slice(-2000)}`);
      }
      await new Promise<void>((res) => {
        const t = setTimeout(res, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  /** Waits for a state event of a service. */
  waitState(service: string, state: string, timeoutMs = 20_000): Promise<void> {
    return this.waitFor(() => this.states().includes(`${service}:${state}`), timeoutMs, `${service}:${state}`);
  }

  /** Sends a signal to msdev. */
  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/**
 * After a test: stops every msdev run still going (SIGTERM, so it stops its services; SIGKILL after
 * 5 s), kills the pids their services reported or wrote to `pids` and every process group msdev
 * recorded in the project's state.json, then removes the project.
 */
export async function cleanUp(project: TempProject | null): Promise<void> {
  const runs = [...liveRuns];
  for (const run of runs) run.signal('SIGTERM');
  const timer = setTimeout(() => runs.forEach((run) => run.signal('SIGKILL')), 5_000);
  await Promise.all(runs.map((run) => run.exited));
  clearTimeout(timer);
  if (!project) return;
  killAll([...project.pids('pids'), ...runs.flatMap((r) => r.pids())]);
  for (const pgid of recordedGroups(project)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  project.cleanup();
}

/** The process groups msdev recorded in the project's .msdev/state.json (SPEC §5), if any. */
function recordedGroups(project: TempProject): number[] {
  try {
    const state = JSON.parse(readFileSync(project.path('.msdev/state.json'), 'utf8')) as { services: Record<string, { pgid: number | null }> };
    return Object.values(state.services).map((s) => s.pgid).filter((p): p is number => typeof p === 'number' && p > 1);
  } catch {
    return [];
  }
}

/** Runs the CLI to completion. */
export async function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = new CliRun(args, options);
  const timer = setTimeout(() => run.signal('SIGKILL'), options.timeoutMs ?? 30_000);
  const { code } = await run.exited;
  clearTimeout(timer);
  return { code, stdout: run.stdout, stderr: run.stderr };
}

/** SIGKILLs whole process groups a test started (a shell pipeline spawned detached); what is gone is fine. */
export function killGroups(pgids: readonly number[]): void {
  killAll(pgids.map((pgid) => -pgid));
}
