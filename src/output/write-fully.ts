// Synchronous complete writes to a file descriptor, looping over short writes.
import { writeSync } from 'node:fs';

/** Writes all of data to fd: one write, and only after a short write the rest as bytes. Returns the bytes written. */
export function writeFully(fd: number, data: string | Buffer): number {
  const written = typeof data === 'string' ? writeSync(fd, data) : writeSync(fd, data, 0, data.length);
  const total = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (written === total) return total;
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let pos = written;
  while (pos < buf.length) pos += writeSync(fd, buf, pos, buf.length - pos);
  return total;
}
