import { describe, expect, it } from 'vitest';
import { FrameDemuxer } from './frame-demuxer.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function collect(chunks: Buffer[]): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  const d = new FrameDemuxer((stream, chunk) => (out[stream] += chunk.toString()));
  for (const c of chunks) d.push(c);
  return out;
}

describe('FrameDemuxer', () => {
  const whole = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err one\n'), frame(1, 'out two\n')]);

  it('routes each frame to its stream', () => {
    expect(collect([whole])).toEqual({ stdout: 'out one\nout two\n', stderr: 'err one\n' });
  });

  it('gives the same result for every split of the input, headers split included', () => {
    for (let at = 1; at < whole.length; at++) {
      expect(collect([whole.subarray(0, at), whole.subarray(at)])).toEqual({ stdout: 'out one\nout two\n', stderr: 'err one\n' });
    }
    expect(collect([...whole].map((b) => Buffer.from([b])))).toEqual({ stdout: 'out one\nout two\n', stderr: 'err one\n' });
  });

  it('passes an empty frame and a multi-byte character split across chunks through unchanged', () => {
    const f = Buffer.concat([frame(1, ''), frame(2, 'é✓\n')]);
    expect(collect([f.subarray(0, 18), f.subarray(18)])).toEqual({ stdout: '', stderr: 'é✓\n' });
  });
});
