// ensureImage against the real Docker engine: a build from a local context (and no rebuild while the
// context is unchanged), a failed build naming its Dockerfile line, a local image used as is, and a
// missing image with no registry. Skipped with a message when no engine answers, unless CI=true.
import Docker from 'dockerode';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerServiceSpec } from '../src/config/model.js';
import { ensureImage } from '../src/runtimes/docker/ensure-image.js';
import { StartError } from '../src/runtimes/runtime.js';
import { testContainer } from './helpers/specs.js';

const inCi = process.env.CI === 'true';
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const engineUp = await docker.ping().then(
  () => true,
  () => false,
);
if (!engineUp && !inCi) console.warn('SKIPPED test/docker-images.test.ts: no Docker engine answers at /var/run/docker.sock');

const BASE = 'msdev-test/busybox';
const PROJECT = `msdev-images-${process.pid}`;
/** Every image a test builds, removed in afterAll. */
const created = new Set<string>();
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'msdev-images-'));
});
afterAll(async () => {
  for (const name of created) await docker.getImage(name).remove({ force: true }).catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A temp build context holding these files. */
function context(name: string, files: Record<string, string>): string {
  const ctx = mkdtempSync(join(dir, `${name}-`));
  for (const [rel, content] of Object.entries(files)) writeFileSync(join(ctx, rel), content);
  return ctx;
}

// The classic builder adds the three labels as three LABEL steps after the Dockerfile's own: `Step N/5`.

/** Runs ensureImage, collecting the lines it logs. */
async function ensure(spec: ContainerServiceSpec): Promise<{ ref: string; lines: string[] }> {
  const lines: string[] = [];
  const ref = await ensureImage(docker, spec, PROJECT, (l) => lines.push(l));
  created.add(ref);
  return { ref, lines };
}

/** The reason ensureImage rejects with (it must reject with a StartError). */
async function reason(spec: ContainerServiceSpec, log: (line: string) => void = () => undefined): Promise<string> {
  const err: unknown = await ensureImage(docker, spec, PROJECT, log).then(
    (ref) => {
      created.add(ref);
      return new Error(`resolved with ${ref}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StartError);
  return (err as Error).message;
}

/** Resolves once `inspect` rejects with a 404; fails after 30 s. */
async function gone(inspect: () => Promise<unknown>, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const status = await inspect().then(
      () => 200,
      (e: { statusCode?: number }) => e.statusCode ?? 0,
    );
    if (status === 404) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function imageId(ref: string): Promise<string> {
  return (await docker.getImage(ref).inspect()).Id;
}

describe.skipIf(!engineUp && !inCi)('ensureImage against the Docker engine', () => {
  it('builds from a context once, then only when a file that is sent changes', async () => {
    const ctx = context('web', {
      Dockerfile: `FROM ${BASE}\nCOPY hello.txt /hello.txt\n`,
      'hello.txt': 'hello\n',
      '.dockerignore': 'ignored.txt\n',
      'ignored.txt': 'one',
    });
    const spec = testContainer('web', { image: undefined, build: { context: ctx, args: {} } });
    const expectedName = `${PROJECT}-web:latest`;
    created.add(expectedName);

    const first = await ensure(spec);
    expect(first.ref).toBe(expectedName);
    expect(first.lines).toEqual(expect.arrayContaining([`Step 1/5 : FROM ${BASE}`, 'Step 2/5 : COPY hello.txt /hello.txt']));
    expect(first.lines.at(-1)).toBe(`Successfully tagged ${expectedName}`);
    const info = await docker.getImage(first.ref).inspect();
    expect(info.Config.Labels).toMatchObject({ 'dev.msdev.project': PROJECT, 'dev.msdev.service': 'web' });
    expect(info.Config.Labels?.['dev.msdev.context-hash']).toMatch(/^[0-9a-f]{64}$/);
    const builtId = info.Id;
    created.add(builtId);

    const second = await ensure(spec);
    expect(second).toEqual({ ref: expectedName, lines: [`image ${expectedName} is up to date (context unchanged)`] });
    expect(await imageId(expectedName)).toBe(builtId);

    writeFileSync(join(ctx, 'ignored.txt'), 'two');
    expect((await ensure(spec)).lines).toEqual([`image ${expectedName} is up to date (context unchanged)`]);
    expect(await imageId(expectedName)).toBe(builtId);

    writeFileSync(join(ctx, 'hello.txt'), 'hello again\n');
    const rebuilt = await ensure(spec);
    expect(rebuilt.lines).toContain('Step 2/5 : COPY hello.txt /hello.txt');
    expect(await imageId(expectedName)).not.toBe(builtId);
    // The image the rebuild replaced is removed, not left untagged.
    expect(await docker.getImage(builtId).inspect().then(() => 'still there', (e: { statusCode?: number }) => e.statusCode)).toBe(404);
  }, 120_000);

  it('names the image after spec.image when the service has both, and builds only the target stage', async () => {
    const name = `msdev-images-named-${process.pid}:dev`;
    const ctx = context('named', { Dockerfile: `FROM ${BASE} AS base\nARG WHO\nENV WHO=$WHO\nFROM base AS broken\nRUN exit 7\n` });
    const built = await ensure(testContainer('named', { image: name, build: { context: ctx, args: { WHO: 'msdev' }, target: 'base' } }));
    expect(built.ref).toBe(name);
    expect((await docker.getImage(name).inspect()).Config.Env).toContain('WHO=msdev');
    expect((await docker.getImage(name).inspect()).Config.Labels).toMatchObject({ 'dev.msdev.service': 'named' });
  }, 120_000);

  it('a failed RUN names its Dockerfile line', async () => {
    const name = `msdev-images-fail-${process.pid}`;
    created.add(`${name}:latest`);
    const ctx = context('fail', { Dockerfile: `FROM ${BASE}\n# the next line fails\nRUN exit 3\n` });
    const lines: string[] = [];
    expect(await reason(testContainer('fail', { image: name, build: { context: ctx, args: {} } }), (l) => lines.push(l))).toBe(
      "build failed at Dockerfile:3 (RUN exit 3): The command '/bin/sh -c exit 3' returned a non-zero code: 3",
    );
    // The failed step's container is not left behind (the build asks for forcerm).
    const container = lines.map((l) => / ---> Running in ([0-9a-f]+)$/.exec(l)?.[1]).find(Boolean);
    expect(container).toBeDefined();
    await gone(() => docker.getContainer(container ?? '').inspect(), `failed step container ${container} removed`);
  }, 120_000);

  it('an abort mid-build stops it: StartError(aborted), and the engine removes the step container', async () => {
    const name = `msdev-images-abort-${process.pid}`;
    created.add(`${name}:latest`);
    const ctx = context('abort', { Dockerfile: `FROM ${BASE}\nRUN sleep 30\n` });
    const abort = new AbortController();
    let container = '';
    const spec = testContainer('abort', { image: name, build: { context: ctx, args: {} } });
    const err: unknown = await ensureImage(
      docker,
      spec,
      PROJECT,
      (line) => {
        const running = / ---> Running in ([0-9a-f]+)$/.exec(line);
        if (running?.[1]) {
          container = running[1];
          abort.abort();
        }
      },
      abort.signal,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartError);
    expect((err as Error).message).toBe('aborted');
    expect(container).not.toBe('');
    await gone(() => docker.getContainer(container).inspect(), `step container ${container} removed`);
  }, 60_000);

  it('uses a local image as it is, without a line', async () => {
    expect(await ensureImage(docker, testContainer('local', { image: BASE }), PROJECT, (l) => expect.fail(l))).toBe(BASE);
  });

  it('a missing image with no registry fails with the pull reason', async () => {
    expect(await reason(testContainer('nope', { image: 'msdev-test/nope:1' }))).toMatch(
      /^image msdev-test\/nope:1 is not here and pulling it failed: .+; pull or build it, or check the name$/,
    );
  }, 30_000);
});
