import { describe, expect, it } from 'vitest';
import { fsReason } from './fs-reason.js';

describe('fsReason', () => {
  const err = (code: string, message = `${code}: raw`): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

  it('names the common reasons in words, with the code', () => {
    expect(fsReason(err('EROFS'))).toBe('read-only file system (EROFS)');
    expect(fsReason(err('EACCES'))).toBe('permission denied (EACCES)');
    expect(fsReason(err('EPERM'))).toBe('permission denied (EPERM)');
    expect(fsReason(err('ENOSPC'))).toBe('no space left on device (ENOSPC)');
  });

  it("keeps Node's words for other codes, without the system call, and plain errors as they are", () => {
    expect(fsReason(err('EIO', 'EIO: i/o error, write'))).toBe('i/o error (EIO)');
    expect(fsReason(err('EIO', 'EIO: i/o error, open \'/x/y\''))).toBe('i/o error (EIO)');
    expect(fsReason(new Error('plain'))).toBe('plain');
  });
});
