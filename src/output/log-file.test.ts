import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEvent, StateEvent } from '../core/events.js';
import { createLogFiles } from './log-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msdev-logs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const log = (service: string, lines: string[]): LogEvent => ({ type: 'log', ts: 0, service, stream: 'stdout', text: lines.join('\n'), lines });

function readLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

describe('createLogFiles', () => {
  it('writes 200,000 lines in order and close() flushes them', async () => {
    const files = createLogFiles(join(dir, 'logs'), ['api', 'db']);
    const expected: string[] = [];
    for (let batch = 0; batch < 2000; batch++) {
      const lines: string[] = [];
      for (let i = 0; i < 100; i++) lines.push(`line ${batch * 100 + i} ${'x'.repeat(batch % 50)}`);
      expected.push(...lines);
      files.listener(log('api', lines));
      if (batch % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    files.listener(log('db', ['only one']));
    await files.close();
    expect(readLines(files.path('api'))).toEqual(expected);
    expect(readLines(files.path('db'))).toEqual(['only one']);
  });

  it('rotates at the threshold, on line boundaries, keeping 3 files', async () => {
    const files = createLogFiles(dir, ['api'], { maxBytes: 1000, stateLines: false });
    const all: string[] = [];
    for (let i = 0; i < 600; i++) {
      const line = `l${String(i).padStart(4, '0')}`; // 6 bytes with newline
      all.push(line);
      files.listener(log('api', [line]));
      if (i % 37 === 0) await new Promise((r) => setImmediate(r));
    }
    await files.close();
    const base = files.path('api');
    const parts = [`${base}.3`, `${base}.2`, `${base}.1`, base].map(readLines);
    for (const p of [`${base}.3`, `${base}.2`, `${base}.1`]) expect(readFileSync(p).length).toBeLessThanOrEqual(1000);
    expect(existsSync(`${base}.4`)).toBe(false);
    const kept = parts.flat();
    // What is kept is the tail of the run, complete and in order.
    expect(kept).toEqual(all.slice(all.length - kept.length));
    expect(kept.length).toBeGreaterThan(3 * 160);
  });

  it('deletes the oldest rotation in the background and cleans what an earlier run left half deleted', async () => {
    writeFileSync(join(dir, 'api.log.3.deleting-999999'), 'left behind\n');
    const files = createLogFiles(dir, ['api'], { maxBytes: 100, stateLines: false });
    expect(readdirSync(dir).filter((n) => n.includes('.deleting-'))).toEqual([]);
    for (let i = 0; i < 200; i++) files.listener(log('api', [`line ${String(i).padStart(4, '0')}`]));
    await files.close();
    for (let i = 0; i < 100 && readdirSync(dir).some((n) => n.includes('.deleting-')); i++) await new Promise((r) => setTimeout(r, 10));
    expect(readdirSync(dir).sort()).toEqual(['api.log', 'api.log.1', 'api.log.2', 'api.log.3']);
  });

  it('writes a line longer than the threshold whole', async () => {
    const files = createLogFiles(dir, ['api'], { maxBytes: 100 });
    const long = 'y'.repeat(300);
    files.listener(log('api', ['a', long, 'b']));
    await files.close();
    const base = files.path('api');
    expect([...readLines(`${base}.2`), ...readLines(`${base}.1`), ...readLines(base)]).toEqual(['a', long, 'b']);
  });

  it('starts fresh: truncates the old file and removes old rotations', async () => {
    writeFileSync(join(dir, 'api.log'), 'old\n');
    writeFileSync(join(dir, 'api.log.1'), 'older\n');
    const files = createLogFiles(dir, ['api']);
    expect(readFileSync(join(dir, 'api.log'), 'utf8')).toBe('');
    expect(existsSync(join(dir, 'api.log.1'))).toBe(false);
    files.listener(log('api', ['new']));
    await files.close();
    expect(readLines(join(dir, 'api.log'))).toEqual(['new']);
  });

  it('writes state changes as [msdev] lines, and ignores events after close', async () => {
    const files = createLogFiles(dir, []);
    const crashed: StateEvent = {
      type: 'state', ts: 0, service: 'worker', state: 'crashed', prev: 'running',
      reason: 'restart 2 in 2s', pid: 12, exitCode: 1, restarts: 1, ready: false, userStopped: false, startedAt: null,
    };
    files.listener(log('worker', ['boom']));
    files.listener(crashed);
    await files.flush();
    expect(readLines(files.path('worker'))).toEqual(['boom', '[msdev] worker: crashed (exit code 1); restart 2 in 2s']);
    await files.close();
    files.listener(log('worker', ['late']));
    expect(readLines(files.path('worker'))).toHaveLength(2);
  });
});
