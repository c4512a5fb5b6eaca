import { execFileSync } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { listContext } from './build-context.js';
import { contextTar } from './context-tar.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('contextTar', () => {
  it('holds exactly the listed entries, modes kept, owned by root, symlinks as links', async () => {
    dir = mkdtempSync(join(tmpdir(), 'msdev-tar-'));
    const ctx = join(dir, 'ctx');
    mkdirSync(join(ctx, 'src'), { recursive: true });
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM x');
    writeFileSync(join(ctx, '.dockerignore'), 'secret\n');
    writeFileSync(join(ctx, 'secret'), 'no');
    writeFileSync(join(ctx, 'src/run.sh'), 'echo');
    chmodSync(join(ctx, 'src/run.sh'), 0o777);
    symlinkSync('src/run.sh', join(ctx, 'link'));
    const out = join(dir, 'ctx.tar');
    await pipeline(contextTar(ctx, await listContext(ctx, 'Dockerfile')), createWriteStream(out));
    const listing = execFileSync('tar', ['-tvf', out, '--numeric-owner'], { encoding: 'utf8' }).trim().split('\n');
    expect(listing.map((l) => l.split(/\s+/).slice(5).join(' '))).toEqual([
      '.dockerignore',
      'Dockerfile',
      'link -> src/run.sh',
      'src/run.sh',
    ]);
    expect(listing[3]).toMatch(/^-rwxrwxrwx 0\/0 /);
  });
});
