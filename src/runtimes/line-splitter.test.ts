import { describe, expect, it } from 'vitest';
import type { LineBatch } from '../core/line-batch.js';
import { LineSplitter } from './line-splitter.js';

function collect(maxLineBytes?: number): { splitter: LineSplitter; batches: string[][]; lines: () => string[] } {
  const batches: string[][] = [];
  const splitter = new LineSplitter((batch) => batches.push(batch.lines), maxLineBytes === undefined ? {} : { maxLineBytes });
  return { splitter, batches, lines: () => batches.flat() };
}

describe('LineSplitter', () => {
  it('hands over the bytes of the complete lines, joined across chunks, for files to copy', () => {
    const batches: LineBatch[] = [];
    const splitter = new LineSplitter((batch) => batches.push(batch));
    splitter.push(Buffer.from('one\ntw'));
    splitter.push(Buffer.from('o\nthree\nfo'));
    expect(batches.map((b) => b.bytes?.toString())).toEqual(['one\n', 'two\nthree\n']);
    expect(batches.map((b) => b.text)).toEqual(['one', 'two\nthree']);
    splitter.push(Buffer.from('ur\r\nfi\rve\r\n'));
    expect(batches[2]!.bytes?.toString()).toBe('four\nfi\rve\n');
    expect(batches[2]!.lines).toEqual(['four', 'fi\rve']);
  });

  /** Every byte the batches carry, in order. */
  const allBytes = (batches: LineBatch[]): Buffer => Buffer.concat(batches.map((b) => b.bytes ?? Buffer.from('<no bytes>')));

  it('hands over the bytes of a last line without newline, invalid UTF-8 kept, with the newline it lacked', () => {
    const batches: LineBatch[] = [];
    const splitter = new LineSplitter((batch) => batches.push(batch));
    const raw = Buffer.from([0x6f, 0x6b, 0x0a, 0xff, 0xfe, 0x62, 0x61, 0x64, 0xc3]);
    splitter.push(raw);
    splitter.end();
    expect(batches.map((b) => b.text)).toEqual(['ok', '\ufffd\ufffdbad\ufffd']);
    expect(allBytes(batches)).toEqual(Buffer.concat([raw, Buffer.from('\n')]));
  });

  it('hands over the bytes of the pieces of an over-long line, on every path', () => {
    const raw = Buffer.concat([Buffer.alloc(230, 0xff), Buffer.from('\r\nshort\n'), Buffer.alloc(50, 0x61), Buffer.from([0xe2, 0x82]), Buffer.alloc(160, 0xfe)]);
    const expected = Buffer.concat([
      Buffer.alloc(100, 0xff), Buffer.from('\n'), Buffer.alloc(100, 0xff), Buffer.from('\n'), Buffer.alloc(30, 0xff), Buffer.from('\nshort\n'),
      raw.subarray(raw.indexOf('short\n') + 6), Buffer.from('\n'),
    ]);
    for (const step of [raw.length, 64, 7, 1]) {
      const batches: LineBatch[] = [];
      const splitter = new LineSplitter((batch) => batches.push(batch), { maxLineBytes: 100 });
      for (let i = 0; i < raw.length; i += step) splitter.push(raw.subarray(i, i + step));
      splitter.end();
      const bytes = allBytes(batches);
      // The pieces of the unterminated rest are cut where the splitter chose: compare without the newlines it added there.
      const headLength = expected.length - (raw.length - raw.indexOf('short\n') - 6) - 1;
      expect(bytes.subarray(0, headLength)).toEqual(expected.subarray(0, headLength));
      const tail = bytes.subarray(headLength);
      expect(Buffer.from([...tail].filter((b) => b !== 0x0a))).toEqual(raw.subarray(raw.indexOf('short\n') + 6));
      expect(tail[tail.length - 1]).toBe(0x0a);
      expect(batches.every((b) => b.bytes !== null && b.bytes.toString('utf8') === b.text + '\n')).toBe(true);
    }
  });

  it('emits the complete lines of a chunk in one batch', () => {
    const { splitter, batches } = collect();
    splitter.push(Buffer.from('a\nb\nc\n'));
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('joins a line split across chunks', () => {
    const { splitter, batches, lines } = collect();
    splitter.push(Buffer.from('hel'));
    expect(batches).toEqual([]);
    splitter.push(Buffer.from('lo\nwor'));
    splitter.push(Buffer.from('ld'));
    splitter.push(Buffer.from('\n'));
    expect(lines()).toEqual(['hello', 'world']);
    expect(batches).toHaveLength(2);
  });

  it('strips CR of CRLF, also when CR and LF arrive in different chunks', () => {
    const { splitter, lines } = collect();
    splitter.push(Buffer.from('one\r\ntwo\r'));
    splitter.push(Buffer.from('\nthree\r\n'));
    expect(lines()).toEqual(['one', 'two', 'three']);
  });

  it('keeps a CR that is not at the end of a line', () => {
    const { splitter, lines } = collect();
    splitter.push(Buffer.from('a\rb\n'));
    expect(lines()).toEqual(['a\rb']);
  });

  it('decodes a multi-byte character split between chunks', () => {
    const bytes = Buffer.from('größe €😀 ok\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      const { splitter, lines } = collect();
      splitter.push(bytes.subarray(0, cut));
      splitter.push(bytes.subarray(cut));
      expect(lines()).toEqual(['größe €😀 ok']);
    }
  });

  it('decodes byte by byte', () => {
    const { splitter, lines } = collect();
    for (const b of Buffer.from('ä€😀\nx\n')) splitter.push(Buffer.from([b]));
    expect(lines()).toEqual(['ä€😀', 'x']);
  });

  it('keeps a 200 KB line whole', () => {
    const { splitter, lines } = collect();
    const long = 'x'.repeat(200_000);
    const bytes = Buffer.from(`a\n${long}\nb\n`);
    for (let i = 0; i < bytes.length; i += 65_536) splitter.push(bytes.subarray(i, i + 65_536));
    expect(lines()).toEqual(['a', long, 'b']);
  });

  it('keeps a 200 KB line pushed as one chunk', () => {
    const { splitter, lines } = collect();
    const long = 'y'.repeat(200_000);
    splitter.push(Buffer.from(`${long}\n`));
    expect(lines()).toEqual([long]);
  });

  it('cuts a line longer than maxLineBytes into pieces, arriving in small chunks', () => {
    const { splitter, lines } = collect(100);
    const long = 'z'.repeat(250);
    const bytes = Buffer.from(`${long}\nend\n`);
    for (let i = 0; i < bytes.length; i += 7) splitter.push(bytes.subarray(i, i + 7));
    expect(lines()).toEqual(['z'.repeat(100), 'z'.repeat(100), 'z'.repeat(50), 'end']);
  });

  it('cuts a long line inside one big chunk, and a long unterminated rest', () => {
    const { splitter, lines } = collect(100);
    splitter.push(Buffer.from(`${'a'.repeat(230)}\r\nshort\n${'b'.repeat(210)}`));
    expect(lines()).toEqual(['a'.repeat(100), 'a'.repeat(100), 'a'.repeat(30), 'short', 'b'.repeat(100), 'b'.repeat(100)]);
    splitter.end();
    expect(lines().at(-1)).toBe('b'.repeat(10));
  });

  it('does not split a multi-byte character when cutting a long line', () => {
    const { splitter, lines } = collect(10);
    const text = '€'.repeat(10); // 30 bytes
    splitter.push(Buffer.from(`${text}\n`));
    const out = lines();
    expect(out.join('')).toBe(text);
    for (const piece of out) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(10);
    expect(out.some((p) => p.includes('\ufffd'))).toBe(false);
  });

  it('holds memory bounded for an endless line without newline', () => {
    const { splitter, lines } = collect(1024);
    const chunk = Buffer.alloc(4096, 0x61);
    for (let i = 0; i < 1000; i++) splitter.push(chunk);
    expect(lines().length).toBe(3999); // the last 1024 bytes wait: they might still end the line
    splitter.end();
    const out = lines();
    expect(out.length).toBe(4000);
    expect(out.every((l) => l.length === 1024)).toBe(true);
  });

  it('flushes a last line without final newline on end()', () => {
    const { splitter, lines } = collect();
    splitter.push(Buffer.from('a\nlast'));
    expect(lines()).toEqual(['a']);
    splitter.end();
    expect(lines()).toEqual(['a', 'last']);
    splitter.end();
    expect(lines()).toEqual(['a', 'last']);
  });

  it('keeps empty lines', () => {
    const { splitter, lines } = collect();
    splitter.push(Buffer.from('\n\na\n\r\n'));
    splitter.push(Buffer.from('\n'));
    expect(lines()).toEqual(['', '', 'a', '', '']);
  });

  it('is not fooled by a caller reusing its buffer', () => {
    const { splitter, lines } = collect();
    const buf = Buffer.from('abc');
    splitter.push(buf);
    buf.write('XYZ');
    splitter.push(Buffer.from('\n'));
    expect(lines()).toEqual(['abc']);
  });

  it('keeps many lines in order across random chunk sizes', () => {
    const { splitter, lines } = collect();
    const expected = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`);
    const bytes = Buffer.from(expected.join('\n') + '\n');
    let seed = 7;
    for (let i = 0; i < bytes.length; ) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const n = 1 + (seed % 3000);
      splitter.push(bytes.subarray(i, i + n));
      i += n;
    }
    splitter.end();
    expect(lines()).toEqual(expected);
  });
});
