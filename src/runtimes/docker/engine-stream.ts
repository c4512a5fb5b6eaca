// Following a JSON progress stream of the engine (a pull, a build) to its end, or until aborted.
import type Docker from 'dockerode';
import { StartError } from '../runtime.js';
import { engineMessage } from './engine-message.js';

/** The reason thrown when the signal stops a pull or a build. */
export const ABORTED = 'aborted';

/** Throws StartError('aborted') when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StartError(ABORTED);
}

/**
 * Calls onEvent with each JSON event of the stream until it ends. Rejects with StartError('aborted')
 * when the signal aborts (the stream is destroyed, which ends the request), and with a StartError of
 * `what: <engine's words>` when the stream breaks.
 */
export function followEngineStream<E>(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  what: string,
  onEvent: (event: E) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(new StartError(ABORTED));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    docker.modem.followProgress(
      stream,
      (err: Error | null) => {
        signal?.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        if (err) reject(new StartError(`${what}: ${engineMessage(err)}`));
        else resolve();
      },
      (event: E) => {
        if (!settled) onEvent(event);
      },
    );
  });
}
