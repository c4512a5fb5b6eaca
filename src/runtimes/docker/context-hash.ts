// The hash of a build's inputs: the context's files (path, mode, size, content) and the build options.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContextEntry } from './build-context.js';

/** The build options that change the image as much as the files do. */
export interface BuildInputs {
  /** The Dockerfile's path relative to the context. */
  readonly dockerfile: string;
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
}

/** How many files are read at once while hashing. */
const PARALLEL_READS = 16;

/** The hashed record of one entry: its path, kind, mode, size, and the digest of its content (a symlink's: its target text). */
export function entryRecord(entry: ContextEntry, contentDigest: string): string {
  return `${JSON.stringify(entry.rel)} ${entry.kind} ${entry.mode.toString(8)} ${entry.size} ${contentDigest}\n`;
}

/** The hashed record of the build options: Dockerfile name, target, and the args sorted by name. */
export function inputsRecord(inputs: BuildInputs): string {
  const args = Object.keys(inputs.args)
    .sort()
    .map((k) => [k, inputs.args[k]]);
  return `${JSON.stringify({ dockerfile: inputs.dockerfile, target: inputs.target ?? null, args })}\n`;
}

/** The sha256 (hex) of text or bytes. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The digest of one entry's content: a file's bytes, a symlink's target text, nothing for a folder. */
async function contentDigest(context: string, entry: ContextEntry): Promise<string> {
  const abs = join(context, entry.rel);
  if (entry.kind === 'symlink') return sha256(await readlink(abs));
  if (entry.kind === 'dir') return '-';
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(abs)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The hex sha256 of a build: a versioned header, the build options, then one record per entry
 * in the given (sorted) order. Reads the files PARALLEL_READS at a time.
 */
export async function hashBuild(context: string, entries: readonly ContextEntry[], inputs: BuildInputs): Promise<string> {
  const digests = new Array<string>(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      digests[i] = await contentDigest(context, entries[i] as ContextEntry);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, entries.length) }, worker));
  const total = createHash('sha256').update('msdev-build-v1\n').update(inputsRecord(inputs));
  entries.forEach((entry, i) => total.update(entryRecord(entry, digests[i] ?? '')));
  return total.digest('hex');
}
