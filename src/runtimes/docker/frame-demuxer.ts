// Splits the multiplexed stream of a container attached without a terminal into its stdout and stderr bytes.
import type { LogStream } from '../../core/events.js';

/** Receives the payload of one frame (or part of one), in order. */
export type FrameSink = (stream: LogStream, chunk: Buffer) => void;

const HEADER = 8;

/**
 * The Docker attach protocol: each frame is an 8-byte header (stream type 1 = stdout, 2 = stderr,
 * three zero bytes, payload size big-endian) and its payload. Payloads are passed on as they arrive,
 * without waiting for a whole frame; a header split between chunks is kept until it is whole.
 */
export class FrameDemuxer {
  private header = Buffer.alloc(HEADER);
  private headerBytes = 0;
  /** Payload bytes still to come in the current frame, and whose they are. */
  private remaining = 0;
  private stream: LogStream = 'stdout';

  constructor(private readonly sink: FrameSink) {}

  /** Feeds one chunk of the attach stream. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        this.sink(this.stream, chunk.subarray(at, at + take));
        this.remaining -= take;
        at += take;
        continue;
      }
      const take = Math.min(HEADER - this.headerBytes, chunk.length - at);
      chunk.copy(this.header, this.headerBytes, at, at + take);
      this.headerBytes += take;
      at += take;
      if (this.headerBytes < HEADER) return;
      this.headerBytes = 0;
      this.stream = this.header[0] === 2 ? 'stderr' : 'stdout';
      this.remaining = this.header.readUInt32BE(4);
    }
  }
}
