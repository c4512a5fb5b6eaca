// For end-to-end tests against a real Docker engine: whether one answers (a skip says why; under CI=true it
// must), and the project's own containers and networks by label, removed after each test.
import { request } from 'node:http';
import Docker from 'dockerode';
import { cleanUp, runCli, type TempProject } from './cli.js';

/** The socket the tests talk to. */
export const DOCKER_SOCKET = '/var/run/docker.sock';

/** The local image `scripts/busybox-image.sh` makes (and CI's engine set-up imports): busybox with sh, httpd, nc, wget. */
export const BUSYBOX = 'msdev-test/busybox:latest';

/** Resolves true when the engine answers a ping on the socket within 3 s. */
export function engineAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: DOCKER_SOCKET, path: '/_ping', timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** Whether to run the container tests: yes with an engine that has the image; else skip with the reason, unless CI=true (then fail loudly). */
export async function dockerOrSkip(): Promise<boolean> {
  const missing = !(await engineAnswers())
    ? `no Docker engine answers on ${DOCKER_SOCKET} (start one)`
    : (await imageId(BUSYBOX)) === null
      ? `the engine has no ${BUSYBOX} (make it with scripts/busybox-image.sh)`
      : null;
  if (missing === null) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${missing}: .ci/run sets both up`);
  console.warn(`skipping the container tests: ${missing}; set CI=true to make this a failure`);
  return false;
}

/** A client for the test's own queries. */
export const docker = new Docker({ socketPath: DOCKER_SOCKET });

const labelFilter = (dir: string): string => JSON.stringify({ label: [`dev.msdev.dir=${dir}`] });

/** The containers (running or not) msdev labelled with this project folder: service name → state. */
export async function projectContainers(dir: string): Promise<Map<string, string>> {
  const list = await docker.listContainers({ all: true, filters: labelFilter(dir) });
  return new Map(list.map((c) => [c.Labels['dev.msdev.service'] ?? c.Id, c.State]));
}

/** Names of the networks msdev labelled with this project folder. */
export async function projectNetworks(dir: string): Promise<string[]> {
  return (await docker.listNetworks({ filters: labelFilter(dir) })).map((n) => n.Name);
}

/** Removes whatever of this project folder is left (a failed test), and the named images. */
export async function removeProjectLeftovers(dir: string, images: readonly string[] = []): Promise<void> {
  for (const c of await docker.listContainers({ all: true, filters: labelFilter(dir) })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters: labelFilter(dir) })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  for (const image of images) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
}

/** The id of an image, or null when there is none by that name. */
export async function imageId(name: string): Promise<string | null> {
  try {
    return (await docker.getImage(name).inspect()).Id;
  } catch {
    return null;
  }
}

/** After a container test: `msdev down` (a detached run), whatever of the folder is left on the engine and the named images, then the CLI runs and the folder. */
export async function tearDown(project: TempProject | null, images: readonly string[] = []): Promise<void> {
  if (project) {
    await runCli(['down'], { cwd: project.dir, timeoutMs: 30_000 }).catch(() => undefined);
    await removeProjectLeftovers(project.dir, images);
  }
  await cleanUp(project);
}
