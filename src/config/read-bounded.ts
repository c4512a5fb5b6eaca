// Reads a config or env file safely: only a regular file, only up to a size limit, never blocking
// (a FIFO, /dev/zero or /dev/urandom is refused before it is opened for reading).
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** The text of the file, or why it cannot be used (words that follow the file's name: "not found"). */
export type BoundedRead = { readonly text: string } | { readonly problem: string };

/** One MiB, in bytes. */
export const MIB = 1024 * 1024;

/** What a path is, in words, when it is not a regular file. */
export function describeKind(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isFIFO()) return 'a pipe or FIFO';
  if (s.isSocket()) return 'a socket';
  return 'not a file';
}

function sizeText(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

function errorProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'not found';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'EISDIR') return 'is a folder';
  return `cannot be read (${code ?? String(err)})`;
}

function kindProblem(s: Stats, maxBytes: number): string | null {
  if (s.isDirectory()) return 'is a folder';
  if (!s.isFile()) return `is not a regular file (${describeKind(s)})`;
  if (s.size > maxBytes) return `is too large (${sizeText(s.size)}; at most ${sizeText(maxBytes)})`;
  return null;
}

/** Reads a regular file of at most `maxBytes` as UTF-8 (a leading byte order mark is dropped). */
export async function readBounded(path: string, maxBytes: number): Promise<BoundedRead> {
  try {
    const before = kindProblem(await stat(path), maxBytes);
    if (before) return { problem: before };
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it must not wait.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const opened = await handle.stat();
      const now = kindProblem(opened, maxBytes);
      if (now) return { problem: now };
      const chunks: Buffer[] = [];
      let length = 0;
      const chunkSize = Math.min(maxBytes + 1, Math.max(opened.size + 1, 64 * 1024));
      for (;;) {
        const chunk = Buffer.allocUnsafe(chunkSize);
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        length += bytesRead;
        if (length > maxBytes) return { problem: `is too large (more than ${sizeText(maxBytes)})` };
      }
      const text = Buffer.concat(chunks, length).toString('utf8');
      return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { problem: errorProblem(err) };
  }
}
