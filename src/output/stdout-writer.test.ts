import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StdoutWriter, createStdoutWriter } from './stdout-writer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msdev-out-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A stream that takes chunks slowly (one per `delayMs`) and records them. */
function slowStream(highWaterMark: number, delayMs: number): { stream: Writable; chunks: string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _enc, cb) {
      chunks.push(chunk);
      setTimeout(cb, delayMs);
    },
  });
  return { stream, chunks };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('StdoutWriter', () => {
  it('writes to a file synchronously through its fd and loses nothing', async () => {
    const path = join(dir, 'out.txt');
    const fd = openSync(path, 'w');
    const writer = new StdoutWriter({ fd, write: () => true, once: () => undefined, on: () => undefined });
    expect(writer.synchronous).toBe(true);
    let expected = '';
    for (let i = 0; i < 100_000; i++) {
      const line = `line ${i}\n`;
      expected += line;
      writer.write(line);
      if (i % 10_000 === 0) await tick();
    }
    await writer.flush();
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });

  it('batches the writes of one tick into one stream write', async () => {
    const { stream, chunks } = slowStream(1 << 20, 0);
    const writer = createStdoutWriter(stream);
    expect(writer.synchronous).toBe(false);
    writer.write('a\n');
    writer.write('b\n');
    writer.write('c\n');
    expect(chunks).toEqual([]);
    await tick();
    writer.write('d\n');
    await writer.flush();
    expect(chunks).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes at once when a tick has buffered past the threshold', () => {
    const { stream, chunks } = slowStream(1 << 20, 0);
    const writer = createStdoutWriter(stream, { flushThresholdChars: 10 });
    writer.write('12345\n');
    writer.write('67890\n');
    expect(chunks).toEqual(['12345\n67890\n']);
  });

  it('by default keeps every line of a slow reader and says when it is behind and when it caught up', async () => {
    const { stream, chunks } = slowStream(16, 2);
    const changes: boolean[] = [];
    const writer = createStdoutWriter(stream, { maxBufferChars: 100, flushThresholdChars: 10, onBehind: (b) => changes.push(b) });
    const sent: string[] = [];
    for (let i = 0; i < 300; i++) {
      const line = `line ${String(i).padStart(3, '0')}`;
      sent.push(line);
      writer.write(`${line}\n`);
      // A producer that honours the pause: it waits while the writer is behind.
      while (writer.isBehind) await new Promise((r) => setTimeout(r, 1));
    }
    await writer.flush();
    expect(chunks.join('').split('\n').filter(Boolean)).toEqual(sent);
    expect(writer.droppedLines).toBe(0);
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes.filter((_, i) => i % 2 === 0).every(Boolean)).toBe(true);
    expect(changes.at(-1)).toBe(false);
  });

  it('is no longer behind once the stream failed (nothing waits for a reader that went away)', () => {
    const changes: boolean[] = [];
    let fail: (err: Error) => void = () => undefined;
    const stream = {
      write: () => false,
      once: () => undefined,
      on: (_e: 'error', l: (err: Error) => void) => (fail = l),
      writableLength: 1000,
    };
    const writer = createStdoutWriter(stream, { maxBufferChars: 100, flushThresholdChars: 1, onBehind: (b) => changes.push(b) });
    writer.write('x'.repeat(50) + '\n');
    writer.write('y'.repeat(50) + '\n');
    expect(changes).toEqual([true]);
    fail(new Error('EPIPE'));
    expect(changes).toEqual([true, false]);
  });

  it('buffers while the stream is blocked, then drops whole writes and notes how many lines', async () => {
    const { stream, chunks } = slowStream(16, 5);
    const writer = createStdoutWriter(stream, { maxBufferChars: 100, flushThresholdChars: 10, overflow: 'drop' });
    let total = 0;
    for (let i = 0; i < 200; i++) {
      writer.write(`line ${String(i).padStart(3, '0')}\n`);
      total++;
    }
    await writer.flush();
    const out = chunks.join('');
    const kept = out.split('\n').filter((l) => l.startsWith('line '));
    const notes = out.split('\n').filter((l) => l.includes('lines dropped'));
    expect(writer.droppedLines).toBeGreaterThan(0);
    expect(kept.length + writer.droppedLines).toBe(total);
    expect(notes).toEqual([`msdev | … ${writer.droppedLines} lines dropped (screen too slow; the log files have every line)`]);
    // What is kept is in order, and the note sits where the gap is.
    expect(kept).toEqual([...kept].sort());
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.includes('lines dropped'));
    expect(lines.slice(0, at)).toEqual(kept);
  });

  it('never drops a kept write, and puts the note of what was dropped before it', async () => {
    const { stream, chunks } = slowStream(16, 5);
    const writer = createStdoutWriter(stream, { maxBufferChars: 100, flushThresholdChars: 10, overflow: 'drop', dropNote: (n) => `dropped ${n}\n` });
    for (let i = 0; i < 200; i++) writer.write(`line ${String(i).padStart(3, '0')}\n`);
    writer.writeKept('the end\n');
    await writer.flush();
    const lines = chunks.join('').split('\n').filter((l) => l !== '');
    expect(writer.droppedLines).toBeGreaterThan(0);
    expect(lines.at(-1)).toBe('the end');
    expect(lines.at(-2)).toBe(`dropped ${writer.droppedLines}`);
  });

  it('after catching up, writes normally again', async () => {
    const { stream, chunks } = slowStream(4, 2);
    const writer = createStdoutWriter(stream, { maxBufferChars: 10, flushThresholdChars: 1, overflow: 'drop', dropNote: (n) => `dropped ${n}\n` });
    for (let i = 0; i < 20; i++) writer.write(`x${i}\n`);
    await writer.flush();
    writer.write('after\n');
    await writer.flush();
    const out = chunks.join('');
    expect(out).toContain(`dropped ${writer.droppedLines}\n`);
    expect(out.endsWith('after\n')).toBe(true);
  });

  it('stops quietly when the stream fails (EPIPE)', async () => {
    const errors: Error[] = [];
    const stream = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const writer = createStdoutWriter(stream, { onError: (err) => errors.push(err) });
    writer.write('a\n');
    await writer.flush();
    await writer.flush();
    writer.write('b\n');
    await writer.flush();
    expect(errors.map((e) => e.message)).toEqual(['write EPIPE']);
  });

  it('writes through a real file stream', async () => {
    const path = join(dir, 'stream.txt');
    const stream = createWriteStream(path);
    const writer = createStdoutWriter(stream);
    for (let i = 0; i < 1000; i++) writer.write(`${i}\n`);
    await writer.flush();
    await new Promise<void>((r) => stream.end(r));
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(1001);
  });
});
