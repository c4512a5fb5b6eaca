// A streaming client that falls behind: its log lines are skipped without being rendered, and every
// skipped line is counted in a note, before the next line once it catches up or before the exit line.
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../core/events.js';
import { renderJsonEvent } from '../json/json-frontend.js';
import { ClientStream, logLineCount } from './client-stream.js';

/** A response that takes nothing until `flow()`: what is written stays in its buffer, as with a client that stops reading. */
class HeldSink extends Writable {
  out = '';
  private flowing = false;
  private readonly waiting: (() => void)[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.out += chunk.toString('utf8');
    if (this.flowing) done();
    else this.waiting.push(done);
  }

  /** The client reads again: everything buffered goes, and what comes after at once. */
  async flow(): Promise<void> {
    this.flowing = true;
    for (const done of this.waiting.splice(0)) done();
    while (this.writableLength > 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

const logEvent = (lines: string[]): LogEvent => ({ type: 'log', ts: 0, service: 'api', stream: 'stdout', text: lines.join('\n'), lines });

/** The log lines and the skip notes' total in what a client got, and where its exit line is. */
function tally(out: string): { got: number; skipped: number; notes: number; types: string[] } {
  const objects = out
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; text?: string });
  const notes = objects.filter((o) => o.type === 'message' && /log lines skipped/.test(o.text ?? ''));
  return {
    got: objects.filter((o) => o.type === 'log').length,
    skipped: notes.reduce((sum, o) => sum + Number(/(\d+) log lines skipped/.exec(o.text!)![1]), 0),
    notes: notes.length,
    types: objects.map((o) => o.type),
  };
}

/** A stream on a held sink, 1,000 bytes of slack before log lines are skipped. */
function setup(): { sink: HeldSink; stream: ClientStream; renders: () => number; send: (lines: string[]) => void; dropped: string[] } {
  const sink = new HeldSink();
  const dropped: string[] = [];
  const stream = new ClientStream(sink as unknown as ServerResponse, 'the event stream', { skipBytes: 1000, dropBytes: 1_000_000, stallMs: 60_000 }, (_s, why) => dropped.push(why));
  let renders = 0;
  const send = (lines: string[]): void =>
    stream.sendEvent(logEvent(lines), () => {
      renders++;
      return renderJsonEvent(logEvent(lines));
    });
  return { sink, stream, renders: () => renders, send, dropped };
}

const threeLines = (i: number): string[] => [0, 1, 2].map((k) => `line ${i}-${k} `.padEnd(100, 'x'));

describe('ClientStream, a client behind', () => {
  it('gets no log lines (not even rendered) while behind, and a note of how many before the next line once it caught up', async () => {
    const { sink, send, renders, dropped } = setup();
    let i = 0;
    while (sink.writableLength <= 1000) send(threeLines(i++));
    const rendered = renders();
    for (let k = 0; k < 50; k++) send(threeLines(i++));
    expect(renders()).toBe(rendered);
    await sink.flow();
    send(threeLines(i++));
    const t = tally(sink.out);
    expect(t).toMatchObject({ skipped: 150, notes: 1 });
    expect(t.got + t.skipped).toBe(i * 3);
    expect(t.types.slice(-4)).toEqual(['message', 'log', 'log', 'log']);
    expect(dropped).toEqual([]);
  });

  it('still behind when the stream ends: the note of what it missed comes before the exit line', async () => {
    const { sink, stream, send } = setup();
    let i = 0;
    while (sink.writableLength <= 1000) send(threeLines(i++));
    for (let k = 0; k < 20; k++) send(threeLines(i++));
    stream.end('{"type":"exit","code":0}\n');
    await sink.flow();
    const t = tally(sink.out);
    expect(t).toMatchObject({ skipped: 60, notes: 1 });
    expect(t.got + t.skipped).toBe(i * 3);
    expect(t.types.slice(-2)).toEqual(['message', 'exit']);
  });

  it('a client that caught up before the end gets no note with its exit line', async () => {
    const { sink, stream, send } = setup();
    send(threeLines(0));
    stream.end('{"type":"exit","code":0}\n');
    await sink.flow();
    expect(tally(sink.out).types).toEqual(['log', 'log', 'log', 'exit']);
  });
});

describe('logLineCount', () => {
  it('counts the objects the NDJSON rendering of a log event has', () => {
    for (const lines of [['one'], ['a', 'b', 'c'], [''], ['', ''], ['with "quotes"', 'back\\slash']]) {
      const event = logEvent(lines);
      expect(logLineCount(event)).toBe(renderJsonEvent(event)!.trimEnd().split('\n').length);
    }
  });
});
