import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logFileFailure } from './log-file.js';
import { RotatingFile } from './rotating-file.js';
import { fsReason } from '../core/fs-reason.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msdev-rotating-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('RotatingFile on a full disk', () => {
  it.skipIf(!existsSync('/dev/full'))('calls onError once with ENOSPC and then takes nothing more', () => {
    const path = join(dir, 'api.log');
    symlinkSync('/dev/full', path);
    const errors: Error[] = [];
    const file = new RotatingFile(path, { maxBytes: 1024, keep: 1, onError: (err) => errors.push(err) });
    file.append('one\n');
    file.append(Buffer.from('two\n'));
    file.append('x'.repeat(5000) + '\n');
    file.close();
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(fsReason(errors[0]!)).toBe('no space left on device (ENOSPC)');
    expect(logFileFailure('.msdev/logs/api.log', errors[0]!)).toBe(
      'cannot write .msdev/logs/api.log: no space left on device (ENOSPC); its log file stops here, the service keeps running',
    );
  });

  it('writes normally otherwise', () => {
    const path = join(dir, 'api.log');
    const errors: Error[] = [];
    const file = new RotatingFile(path, { maxBytes: 1024, keep: 1, onError: (err) => errors.push(err) });
    file.append('one\n');
    file.close();
    expect(readFileSync(path, 'utf8')).toBe('one\n');
    expect(errors).toEqual([]);
  });
});
