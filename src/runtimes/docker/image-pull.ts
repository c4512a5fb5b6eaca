// Pulling an image, its progress (layers, megabytes) logged at most once a second.
import type Docker from 'dockerode';
import { StartError } from '../runtime.js';
import { engineMessage } from './engine-message.js';
import { followEngineStream, throwIfAborted, ABORTED } from './engine-stream.js';
import { PullProgress, pullProgressLine, pulledLine, throttle, type PullEvent } from './pull-progress.js';

/** How often a progress line may be logged. */
const PROGRESS_INTERVAL_MS = 1000;

/** The reason when an image is neither here nor pullable. */
export function pullFailedReason(image: string, message: string): string {
  return `image ${image} is not here and pulling it failed: ${message}; pull or build it, or check the name`;
}

/**
 * Pulls `image` (a bare name as `:latest`), logging `pulling …: 3/7 layers, 12.1/40.2 MB` at most once
 * a second and `pulled … in 4.2s` at the end. Any failure (no registry, unknown image, auth, an error
 * event mid-stream) rejects with StartError(pullFailedReason); the signal with StartError('aborted').
 */
export async function pullImage(docker: Docker, image: string, ref: string, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  const started = Date.now();
  const progress = new PullProgress();
  const due = throttle(PROGRESS_INTERVAL_MS);
  let failure: string | null = null;
  try {
    const stream = (await docker.pull(ref, signal ? { abortSignal: signal } : {}));
    throwIfAborted(signal);
    await followEngineStream<PullEvent>(docker, stream, 'pull', (event) => {
      if (event.error !== undefined || event.errorDetail?.message !== undefined) {
        failure ??= (event.errorDetail?.message ?? event.error ?? '').replace(/\s+/g, ' ').trim();
        return;
      }
      if (progress.apply(event) && due()) log(pullProgressLine(ref, progress.snapshot()));
    }, signal);
  } catch (err) {
    if (signal?.aborted || (err instanceof StartError && err.message === ABORTED)) throw new StartError(ABORTED);
    const message = err instanceof StartError ? err.message.replace(/^pull: /, '') : engineMessage(err);
    throw new StartError(pullFailedReason(image, message));
  }
  if (failure !== null) throw new StartError(pullFailedReason(image, failure || 'the engine reported an error'));
  log(pulledLine(ref, Date.now() - started));
}
