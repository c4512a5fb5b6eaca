// Makes a container service's image present: used if here, pulled if not, or built when its context changed.
import type Docker from 'dockerode';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ContainerServiceSpec } from '../../config/model.js';
import { StartError } from '../runtime.js';
import { listContext, type ContextEntry } from './build-context.js';
import { hashBuild, type BuildInputs } from './context-hash.js';
import { dockerfileInstructions } from './dockerfile-steps.js';
import { CONTEXT_HASH_LABEL, buildImage } from './image-build.js';
import { pullImage } from './image-pull.js';
import { builtImageName, withDefaultTag } from './image-ref.js';
import { engineMessage, statusOf } from './engine-message.js';
import { ABORTED, throwIfAborted } from './engine-stream.js';

/** A local image's id and labels. */
interface LocalImage {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The local image of that name, or null when the engine has none. */
async function localImage(docker: Docker, ref: string): Promise<LocalImage | null> {
  try {
    const info = await docker.getImage(ref).inspect();
    return { id: info.Id, labels: info.Config?.Labels ?? {} };
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw new StartError(`cannot inspect image ${ref}: ${engineMessage(err)}`);
  }
}

/**
 * Makes the service's image present locally and returns the reference to create the container from.
 * Throws StartError (../runtime.js) with a clear one-line reason; StartError('aborted') when the signal aborts.
 */
export async function ensureImage(
  docker: Docker,
  spec: ContainerServiceSpec,
  project: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<string> {
  try {
    throwIfAborted(signal);
    if (spec.build) return await ensureBuilt(docker, spec, spec.build, project, log, signal);
    if (!spec.image) throw new StartError(`${spec.name} has neither image nor build`);
    if ((await localImage(docker, spec.image)) !== null) return spec.image;
    const ref = withDefaultTag(spec.image);
    await pullImage(docker, spec.image, ref, log, signal);
    return ref;
  } catch (err) {
    if (signal?.aborted) throw new StartError(ABORTED);
    if (err instanceof StartError) throw err;
    throw new StartError(`image for ${spec.name}: ${engineMessage(err)}`);
  }
}

/** Builds the service's image unless an image of that name carries the hash of this very context. */
async function ensureBuilt(
  docker: Docker,
  spec: ContainerServiceSpec,
  build: NonNullable<ContainerServiceSpec['build']>,
  project: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<string> {
  const name = withDefaultTag(spec.image ?? builtImageName(project, spec.name));
  const context = build.context;
  const contextStat = await stat(context).catch(() => null);
  if (!contextStat) throw new StartError(`the build context ${context} does not exist`);
  if (!contextStat.isDirectory()) throw new StartError(`the build context ${context} is not a folder`);
  const dockerfileAbs = resolve(context, build.dockerfile ?? 'Dockerfile');
  const dockerfile = relative(context, dockerfileAbs);
  if (dockerfile === '..' || dockerfile.startsWith(`..${sep}`) || isAbsolute(dockerfile)) {
    throw new StartError(`the Dockerfile ${dockerfileAbs} is outside the build context ${context}; move it into the context`);
  }
  const text = await readFile(dockerfileAbs, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new StartError(err.code === 'ENOENT' ? `the Dockerfile ${dockerfileAbs} is missing` : `cannot read the Dockerfile ${dockerfileAbs}: ${err.message}`);
  });

  const dockerfilePosix = dockerfile.split(sep).join('/');
  const inputs: BuildInputs = { dockerfile: dockerfilePosix, args: build.args, ...(build.target ? { target: build.target } : {}) };
  const { entries, hash } = await readContext(context, inputs);
  throwIfAborted(signal);
  const previous = await localImage(docker, name);
  if (previous?.labels[CONTEXT_HASH_LABEL] === hash) {
    log(`image ${name} is up to date (context unchanged)`);
    return name;
  }
  await buildImage(
    docker,
    {
      context,
      dockerfile: dockerfilePosix,
      instructions: dockerfileInstructions(text),
      entries,
      name,
      hash,
      args: build.args,
      ...(build.target ? { target: build.target } : {}),
    },
    log,
    signal,
  );
  if (previous && previous.labels[CONTEXT_HASH_LABEL] !== undefined) await dropReplaced(docker, previous.id, name);
  return name;
}

/** The entries a build sends and their hash; a file that cannot be read is a StartError naming the context. */
async function readContext(context: string, inputs: BuildInputs): Promise<{ entries: ContextEntry[]; hash: string }> {
  try {
    const entries = await listContext(context, inputs.dockerfile);
    return { entries, hash: await hashBuild(context, entries, inputs) };
  } catch (err) {
    throw new StartError(`cannot read the build context ${context}: ${(err as Error).message}`);
  }
}

/**
 * Removes the image a rebuild replaced (msdev built it: it has the hash label), so rebuilds do not
 * pile up untagged images. Not forced: an image a container still uses, or that has another tag, stays.
 */
async function dropReplaced(docker: Docker, oldId: string, name: string): Promise<void> {
  const now = await localImage(docker, name).catch(() => null);
  if (now === null || now.id === oldId) return;
  await docker
    .getImage(oldId)
    .remove()
    .catch(() => undefined);
}
