import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../core/events.js';
import { createStdoutWriter } from '../../output/stdout-writer.js';
import { createJsonFrontend, jsonDropNote, jsonExitLine, jsonMessageLine, renderJsonEvent } from './json-frontend.js';

/** A log event of these lines at TS. */
function logEvent(service: string, stream: 'stdout' | 'stderr', lines: string[]): EngineEvent {
  return { type: 'log', ts: TS, service, stream, text: lines.join('\n'), lines };
}

function run(events: EngineEvent[]): { writes: string[]; objects: Record<string, unknown>[]; lines: string[] } {
  const writes: string[] = [];
  const { listener } = createJsonFrontend({ write: (s) => writes.push(s) });
  for (const e of events) listener(e);
  const lines = writes.join('').split('\n').filter((l) => l !== '');
  return { writes, lines, objects: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const TS = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const ISO = '2024-01-02T03:04:05.678Z';

describe('createJsonFrontend', () => {
  it('writes one object per log line, in one write per batch, keys ts, type first', () => {
    const { writes, lines, objects } = run([
      logEvent('api', 'stderr', ['a "quoted" \\ line', '', 'ü\t😀']),
    ]);
    expect(writes).toHaveLength(1);
    expect(objects).toEqual([
      { ts: ISO, type: 'log', service: 'api', stream: 'stderr', line: 'a "quoted" \\ line' },
      { ts: ISO, type: 'log', service: 'api', stream: 'stderr', line: '' },
      { ts: ISO, type: 'log', service: 'api', stream: 'stderr', line: 'ü\t😀' },
    ]);
    expect(Object.keys(objects[0]!)).toEqual(['ts', 'type', 'service', 'stream', 'line']);
    expect(lines[0]!.startsWith(`{"ts":"${ISO}","type":"log"`)).toBe(true);
  });

  it('writes state, ready and message events', () => {
    const { objects } = run([
      { type: 'state', ts: TS, service: 'api', state: 'healthy', prev: 'running', reason: null, pid: 1234, restarts: 0, ready: false, userStopped: false, startedAt: null },
      { type: 'state', ts: TS, service: 'w', state: 'crashed', prev: 'running', reason: 'restart 1 in 1s', pid: null, exitCode: 1, restarts: 1, ready: false, userStopped: false, startedAt: null },
      { type: 'state', ts: TS, service: 'db', state: 'running', prev: 'starting', reason: null, pid: null, container: 'abc', restarts: 0, ready: false, userStopped: false, startedAt: null },
      { type: 'ready', ts: TS, services: ['api', 'db'], ms: 812 },
      { type: 'message', ts: TS, level: 'warn', text: 'careful' },
      { type: 'settled', ts: TS, code: 0, userStopped: false },
    ]);
    expect(objects).toEqual([
      { ts: ISO, type: 'state', service: 'api', state: 'healthy', prev: 'running', reason: null, pid: 1234, restarts: 0, ready: false, user_stopped: false, started_at: null },
      { ts: ISO, type: 'state', service: 'w', state: 'crashed', prev: 'running', reason: 'restart 1 in 1s', pid: null, exit_code: 1, restarts: 1, ready: false, user_stopped: false, started_at: null },
      { ts: ISO, type: 'state', service: 'db', state: 'running', prev: 'starting', reason: null, pid: null, container: 'abc', restarts: 0, ready: false, user_stopped: false, started_at: null },
      { ts: ISO, type: 'ready', services: ['api', 'db'], ms: 812 },
      { ts: ISO, type: 'message', level: 'warn', text: 'careful' },
    ]);
    for (const o of objects) expect(Object.keys(o).slice(0, 2)).toEqual(['ts', 'type']);
  });

  it('has helpers for the exit line and msdev messages', () => {
    expect(jsonExitLine(3, TS)).toBe(`{"ts":"${ISO}","type":"exit","code":3}\n`);
    expect(JSON.parse(jsonMessageLine('info', 'a\nb', TS))).toEqual({ ts: ISO, type: 'message', level: 'info', text: 'a\nb' });
    expect(JSON.parse(jsonDropNote(42))).toMatchObject({ type: 'message', level: 'warn', text: '… 42 lines dropped (screen too slow; the log files have every line)' });
    expect(JSON.parse(jsonExitLine(0))).toMatchObject({ type: 'exit', code: 0 });
  });
});

describe('log lines that need escaping', () => {
  it('escapes exactly like JSON.stringify, in batches with and without such lines', () => {
    const tricky = ['plain', 'quote "', 'back\\slash', 'tab\t', 'ctl \u0001', 'lone \ud800 surrogate', 'emoji 😀', '\\n literal', ''];
    for (const batch of [['a', 'b', 'c'], tricky, ...tricky.map((t) => [t]), ['x', tricky[1]!]]) {
      const { objects } = run([logEvent('svc', 'stdout', batch)]);
      expect(objects.map((o) => o.line)).toEqual(batch.map((l) => JSON.parse(JSON.stringify(l)) as string));
    }
  });
});

describe('a batch that needs no escaping', () => {
  it('is rendered from its text, without splitting it into lines', () => {
    const text = ['one', 'two 😀', 'three'].join('\n');
    const event: EngineEvent = {
      type: 'log',
      ts: TS,
      service: 'svc',
      stream: 'stdout',
      text,
      get lines(): string[] {
        throw new Error('split');
      },
    };
    const out = renderJsonEvent(event)!;
    expect(out.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { line: string }).line)).toEqual(['one', 'two 😀', 'three']);
  });
});

describe('the JSON stream through a StdoutWriter that falls behind', () => {
  it('under --drop-lines, stays one JSON object a line: the note of dropped lines is a warn message with the count', async () => {
    const chunks: string[] = [];
    const stream = new Writable({
      highWaterMark: 64,
      decodeStrings: false,
      write(chunk: string, _enc, cb) {
        chunks.push(chunk);
        setTimeout(cb, 2);
      },
    });
    const writer = createStdoutWriter(stream, { maxBufferChars: 2000, flushThresholdChars: 100, overflow: 'drop', dropNote: jsonDropNote });
    const { listener } = createJsonFrontend({ write: (s) => writer.write(s) });
    for (let i = 0; i < 500; i++) listener(logEvent('api', 'stdout', [`line ${i}`]));
    await writer.flush();
    expect(writer.droppedLines).toBeGreaterThan(0);
    const objects = chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const notes = objects.filter((o) => o.type === 'message');
    expect(notes.map((n) => n.level)).toEqual(notes.map(() => 'warn'));
    const counted = notes.reduce((sum, n) => sum + Number(/(\d+) lines dropped/.exec(String(n.text))![1]), 0);
    expect(counted).toBe(writer.droppedLines);
    expect(objects.filter((o) => o.type === 'log').length + counted).toBe(500);
  });
});
