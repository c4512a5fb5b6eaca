// ensureImage's decisions without an engine: a dockerode whose socket does not exist, with pull and
// inspect stubbed where a case needs them (anything else it asks the engine fails loudly).
import Docker from 'dockerode';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testContainer } from '../../../test/helpers/specs.js';
import type { ContainerServiceSpec } from '../../config/model.js';
import { StartError } from '../runtime.js';
import { ensureImage } from './ensure-image.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msdev-ensure-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A dockerode that reaches no engine; `over` replaces some of its methods. */
function offlineDocker(over: Partial<Record<'pull' | 'getImage', unknown>> = {}): Docker {
  return Object.assign(new Docker({ socketPath: join(dir, 'no-engine.sock') }), over);
}

/** getImage whose inspect says 404, as the engine does for an image it does not have. */
const noImage = (): unknown => ({
  inspect: () => Promise.reject(Object.assign(new Error('(HTTP code 404) no such image - '), { statusCode: 404, json: { message: 'No such image' } })),
});

/** A pull stream of these JSON events. */
function pullStream(events: object[]): Readable {
  return Readable.from(events.map((e) => `${JSON.stringify(e)}\r\n`));
}

async function run(docker: Docker, spec: ContainerServiceSpec, signal?: AbortSignal): Promise<{ result: string; lines: string[] }> {
  const lines: string[] = [];
  const result = await ensureImage(docker, spec, 'proj', (l) => lines.push(l), signal).catch((e: unknown) => {
    expect(e).toBeInstanceOf(StartError);
    return `StartError: ${(e as Error).message}`;
  });
  return { result, lines };
}

describe('ensureImage before any engine call', () => {
  it('a missing context folder is named', async () => {
    const context = join(dir, 'nope');
    const { result } = await run(offlineDocker(), testContainer('web', { build: { context, args: {} } }));
    expect(result).toBe(`StartError: the build context ${context} does not exist`);
    writeFileSync(context, 'a file');
    expect((await run(offlineDocker(), testContainer('web', { build: { context, args: {} } }))).result).toBe(
      `StartError: the build context ${context} is not a folder`,
    );
  });

  it('a missing Dockerfile is named', async () => {
    mkdirSync(join(dir, 'ctx'));
    const { result } = await run(offlineDocker(), testContainer('web', { build: { context: join(dir, 'ctx'), dockerfile: 'Dockerfile.dev', args: {} } }));
    expect(result).toBe(`StartError: the Dockerfile ${join(dir, 'ctx', 'Dockerfile.dev')} is missing`);
  });

  it('a Dockerfile outside the context is refused', async () => {
    mkdirSync(join(dir, 'ctx'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM x');
    const { result } = await run(offlineDocker(), testContainer('web', { build: { context: join(dir, 'ctx'), dockerfile: '../Dockerfile', args: {} } }));
    expect(result).toMatch(/is outside the build context/);
  });

  it('an aborted signal stops it', async () => {
    const abort = new AbortController();
    abort.abort();
    expect((await run(offlineDocker(), testContainer('db', { image: 'postgres:16' }), abort.signal)).result).toBe('StartError: aborted');
  });
});

describe('ensureImage pulls a missing image', () => {
  it('as NAME:latest for a bare name, with a first progress line and the pulled line', async () => {
    const pulled: string[] = [];
    const docker = offlineDocker({
      getImage: noImage,
      pull: (ref: string) => {
        pulled.push(ref);
        return Promise.resolve(
          pullStream([
            { status: 'Pulling from library/redis', id: 'latest' },
            { status: 'Pulling fs layer', id: 'a' },
            { status: 'Pulling fs layer', id: 'b' },
            { status: 'Downloading', id: 'a', progressDetail: { current: 100, total: 2_000_000 } },
            { status: 'Pull complete', id: 'a' },
            { status: 'Already exists', id: 'b' },
            { status: 'Status: Downloaded newer image for redis:latest' },
          ]),
        );
      },
    });
    const { result, lines } = await run(docker, testContainer('cache', { image: 'redis' }));
    expect(result).toBe('redis:latest');
    expect(pulled).toEqual(['redis:latest']);
    // The events come faster than one a second: one progress line (the first), then the end.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('pulling redis:latest: 0/1 layers');
    expect(lines[1]).toMatch(/^pulled redis:latest in \d+\.\ds$/);
  });

  it('an error event mid-pull is the reason', async () => {
    const docker = offlineDocker({
      getImage: noImage,
      pull: () => Promise.resolve(pullStream([{ status: 'Pulling from x/y', id: '1' }, { errorDetail: { message: 'manifest for x/y:1 not found' }, error: 'manifest for x/y:1 not found' }])),
    });
    expect((await run(docker, testContainer('y', { image: 'x/y:1' }))).result).toBe(
      'StartError: image x/y:1 is not here and pulling it failed: manifest for x/y:1 not found; pull or build it, or check the name',
    );
  });

  it('a refused pull request is the reason, in the engine words', async () => {
    const docker = offlineDocker({
      getImage: noImage,
      pull: () => Promise.reject(Object.assign(new Error('(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: no such host'), { statusCode: 500, json: null })),
    });
    expect((await run(docker, testContainer('y', { image: 'postgres:16' }))).result).toBe(
      'StartError: image postgres:16 is not here and pulling it failed: Get "https://registry-1.docker.io/v2/": dial tcp: no such host; pull or build it, or check the name',
    );
  });

  it('an engine that cannot be reached mid-way is a StartError too', async () => {
    expect((await run(offlineDocker(), testContainer('y', { image: 'postgres:16' }))).result).toMatch(/^StartError: cannot inspect image postgres:16: .*ENOENT/);
  });
});
