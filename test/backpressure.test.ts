// A slow reader of msdev's output slows the services instead of growing msdev's memory or losing lines.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MSDEV, cleanUp, killGroups, makeProject, type TempProject } from './helpers/cli.js';

/** Lines the service prints (`line 1` … `line 2000000`). */
const LINES = 2_000_000;
/** How long the reader waits before it reads anything. */
const SLEEP_MS = 3_000;
/** A service that prints LINES numbered lines as fast as it may, then leaves a `done` file. */
const FLOOD = `
services:
  flood:
    command: node FIXTURES/lines.mjs ${LINES} && touch done
    restart: "no"
`;
/** msdev's own peak RSS target (issue 8). */
const RSS_TARGET_KIB = 120 * 1024;

let project: TempProject | null = null;
let groups: number[] = [];

afterEach(async () => {
  killGroups(groups);
  groups = [];
  await cleanUp(project);
  project = null;
});

/** msdev's pid, from the state.json it writes (SPEC §5), once it is there. */
function supervisorPid(p: TempProject): number | null {
  try {
    return (JSON.parse(readFileSync(p.path('.msdev/state.json'), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

/** VmHWM (peak resident set, KiB) of a live process, or null. */
function peakRss(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** What the reader saw. */
interface Reading {
  /** Lines of the service, each checked to be the next number. */
  serviceLines: number;
  /** The first line out of order or malformed, if any. */
  firstBad: string | null;
  /** Whether the service had finished when the reader began to read. */
  doneBeforeReading: boolean;
  /** msdev's peak RSS (KiB), sampled through the run. */
  peakKib: number;
  code: number | null;
}

/**
 * Runs `msdev up ARGS | cat` with the service flooding, reads nothing for SLEEP_MS, then reads at about
 * `bytesPerSecond`; `parse` turns a line into the service's line text, or null for msdev's own lines.
 */
async function floodThroughSlowPipe(args: string, bytesPerSecond: number, parse: (line: string) => string | null | undefined): Promise<Reading> {
  const p = project!;
  // bin/msdev.js itself, as users run it (its shebang sets msdev's V8 flags).
  const child = spawn('sh', ['-c', `"${MSDEV}" up ${args} | cat`], {
    cwd: p.dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  groups.push(child.pid!);
  const reading: Reading = { serviceLines: 0, firstBad: null, doneBeforeReading: false, peakKib: 0, code: null };
  let pid: number | null = null;
  const sampler = setInterval(() => {
    pid ??= supervisorPid(p);
    const kib = pid === null ? null : peakRss(pid);
    if (kib !== null) reading.peakKib = Math.max(reading.peakKib, kib);
  }, 50);
  const stdout = child.stdout;
  stdout.pause();
  let rest = '';
  let budget = 0;
  const onData = (chunk: Buffer): void => {
    const text = rest + chunk.toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parse(line);
      if (parsed === null) continue;
      if (parsed !== `line ${reading.serviceLines + 1}`) reading.firstBad ??= `after ${reading.serviceLines}: ${line.slice(0, 200)}`;
      else reading.serviceLines++;
    }
    budget -= chunk.length;
    if (budget <= 0) stdout.pause();
  };
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ended = new Promise((resolve) => stdout.once('end', resolve));
  await new Promise((r) => setTimeout(r, SLEEP_MS));
  reading.doneBeforeReading = existsSync(p.path('done'));
  stdout.on('data', onData);
  // Read at about bytesPerSecond: a budget every 50 ms.
  const pacer = setInterval(() => {
    budget = bytesPerSecond / 20;
    stdout.resume();
  }, 50);
  reading.code = await exited;
  clearInterval(pacer);
  clearInterval(sampler);
  stdout.resume();
  await ended;
  if (reading.firstBad === null && reading.serviceLines !== LINES) reading.firstBad = `only ${reading.serviceLines} lines; stderr: ${stderr.slice(0, 500)}`;
  return reading;
}

describe('backpressure: a slow reader of the output', () => {
  it('plain: every line arrives, in order, prefixed; the service is slowed and msdev stays small', async () => {
    project = makeProject(FLOOD);
    const r = await floodThroughSlowPipe('', 20_000_000, (line) => (line.startsWith('flood | ') ? line.slice(8) : null));
    expect(r.firstBad).toBeNull();
    expect(r.serviceLines).toBe(LINES);
    expect(r.code).toBe(0);
    expect(r.doneBeforeReading).toBe(false);
    expect(r.peakKib).toBeGreaterThan(0);
    expect(r.peakKib).toBeLessThan(RSS_TARGET_KIB);
    // The log files got every line too (24 MB: flood.log and two rotations of 10 MB).
    const logged = ['flood.log.2', 'flood.log.1', 'flood.log'].map((f) => readFileSync(project!.path(`.msdev/logs/${f}`), 'utf8'));
    const lines = logged.join('').split('\n').filter((l) => l.startsWith('line '));
    expect(lines.length).toBe(LINES);
    expect(lines.at(-1)).toBe(`line ${LINES}`);
  });

  it('--json: every line parses as JSON and none is missing', async () => {
    project = makeProject(FLOOD);
    const r = await floodThroughSlowPipe('--json', 50_000_000, (line) => {
      let event: { type?: string; service?: string; line?: string };
      try {
        event = JSON.parse(line) as typeof event;
      } catch {
        return `not JSON: ${line.slice(0, 200)}`;
      }
      return event.type === 'log' && event.service === 'flood' ? (event.line ?? '') : null;
    });
    expect(r.firstBad).toBeNull();
    expect(r.serviceLines).toBe(LINES);
    expect(r.code).toBe(0);
    expect(r.doneBeforeReading).toBe(false);
    expect(r.peakKib).toBeLessThan(RSS_TARGET_KIB);
  });
});
