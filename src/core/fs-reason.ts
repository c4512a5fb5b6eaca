// File-system errors in words for the user: one phrase and the error code, whoever failed to write.

const PHRASES: Readonly<Record<string, string>> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'the folder does not exist',
};

/** A short reason for a file-system error, e.g. `no space left on device (ENOSPC)`; Node's own words for a code not listed. */
export function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = e instanceof Error ? e.message : String(err);
  if (code === undefined) return message;
  // Node says `ENOSPC: no space left on device, write`: keep the words between the code and the call.
  const words = PHRASES[code] ?? new RegExp(`^${code}: (.*?)(?:, \\w+(?: '.*')?)?$`).exec(message)?.[1] ?? message;
  return `${words} (${code})`;
}
