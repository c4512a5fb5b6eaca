// `msdev up --json` into a pipe whose reader starts late: every stdout line must still be one JSON object.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { MSDEV, cleanUp, killGroups, makeProject, type TempProject } from './helpers/cli.js';

/** Lines the service prints (~100 bytes each: ~200 MB, ~330 MB as JSON, well over msdev's 64 MiB hold). */
const LINES = 2_000_000;

let project: TempProject | null = null;
let groups: number[] = [];

afterEach(async () => {
  killGroups(groups);
  groups = [];
  await cleanUp(project);
  project = null;
});

/** What the test reads from the pipeline's stdout, line by line (the text is too big to keep). */
interface Seen {
  lines: number;
  logs: number;
  bad: string[];
  notes: { level: unknown; text: string }[];
  last: Record<string, unknown> | null;
  code: number | null;
}

describe('msdev up --json into a slow pipe', () => {
  it.each([
    ['by default every line arrives (the service is paused while the reader is behind)', ''],
    ['under --drop-lines the note of dropped lines is a JSON warning', '--drop-lines'],
  ])('writes only JSON lines and ends with the exit event: %s', async (_name, flag) => {
    project = makeProject(`
services:
  flood:
    command: node FIXTURES/wide-lines.mjs ${LINES}
    restart: "no"
`);
    // The reader sleeps 5 s before it reads: msdev's stdout pipe fills and msdev falls behind.
    const child = spawn('sh', ['-c', `"${process.execPath}" "${MSDEV}" up --json ${flag} | (sleep 5; cat)`], {
      cwd: project.dir,
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    groups.push(child.pid!);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const seen: Seen = { lines: 0, logs: 0, bad: [], notes: [], last: null, code: null };
    const reader = createInterface({ input: child.stdout, crlfDelay: Infinity });
    reader.on('line', (line) => {
      seen.lines++;
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
        if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new Error('not an object');
      } catch {
        if (seen.bad.length < 5) seen.bad.push(line.slice(0, 200));
        seen.last = null;
        return;
      }
      seen.last = event;
      if (event.type === 'log') seen.logs++;
      else if (event.type === 'message' && typeof event.text === 'string' && event.text.includes('dropped')) seen.notes.push({ level: event.level, text: event.text });
    });
    const closed = new Promise<void>((resolve) => reader.once('close', resolve));
    seen.code = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    await closed;

    expect(seen.bad, `non-JSON stdout lines; stderr:\n${stderr.slice(-2000)}`).toEqual([]);
    expect(seen.code).toBe(0);
    expect(seen.last).toMatchObject({ type: 'exit', code: 0 });
    // Whatever was left out is accounted for by the notes, each a JSON warning naming the count.
    const dropped = seen.notes.reduce((sum, note) => {
      expect(note.level).toBe('warn');
      const m = /(\d+) lines dropped/.exec(note.text);
      expect(m, note.text).not.toBeNull();
      return sum + Number(m![1]);
    }, 0);
    // A dropped line may also be a state event, so the count can pass LINES by those few.
    expect(seen.logs).toBeLessThanOrEqual(LINES);
    expect(seen.logs + dropped).toBeGreaterThanOrEqual(LINES);
    expect(seen.logs + dropped).toBeLessThanOrEqual(LINES + 10);
    if (flag === '') {
      expect(seen.notes).toEqual([]);
      expect(seen.logs).toBe(LINES);
    } else expect(dropped).toBeGreaterThan(0);
  }, 90_000);
});
