// Building an image from a listed context, its output streamed line by line into the service's log.
import type Docker from 'dockerode';
import { StartError } from '../runtime.js';
import type { ContextEntry } from './build-context.js';
import { contextTar } from './context-tar.js';
import { buildFailureReason, parseBuildStep, type BuildStep, type DockerfileInstruction } from './dockerfile-steps.js';
import { engineMessage } from './engine-message.js';
import { ABORTED, followEngineStream, throwIfAborted } from './engine-stream.js';

/** The label that carries the hash of what an image was built from. */
export const CONTEXT_HASH_LABEL = 'dev.msdev.context-hash';

/** Everything one build needs. */
export interface BuildRequest {
  /** Absolute context folder. */
  readonly context: string;
  /** The Dockerfile relative to the context, `/`-separated. */
  readonly dockerfile: string;
  /** Its instructions, to name the line of a failed step. */
  readonly instructions: readonly DockerfileInstruction[];
  /** What is sent, exactly. */
  readonly entries: readonly ContextEntry[];
  /** The image name with its tag. */
  readonly name: string;
  readonly hash: string;
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly project: string;
  readonly service: string;
}

/** One JSON event of a classic build. */
interface BuildEvent {
  readonly stream?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

/** Cuts streamed text into lines (`\n`, a trailing `\r` dropped), keeping an incomplete last line for later. */
export class TextLines {
  private pending = '';

  /** The complete lines in pending text plus this chunk. */
  push(chunk: string): string[] {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map((l) => l.replace(/\r$/, ''));
  }

  /** The incomplete last line, if any, as a line. */
  flush(): string[] {
    const rest = this.pending.replace(/\r$/, '');
    this.pending = '';
    return rest === '' ? [] : [rest];
  }
}

/**
 * Builds the image through the engine (the classic builder's API, intermediate containers always
 * removed), labelled with the context hash, project and service. Each non-empty output line goes to
 * `log`. A failed step rejects with `build failed at Dockerfile:N (STEP): <engine's words>`.
 */
export async function buildImage(docker: Docker, req: BuildRequest, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  const lines = new TextLines();
  let step: BuildStep | null = null;
  let failure: string | null = null;
  const take = (textLines: string[]): void => {
    for (const line of textLines) {
      step = parseBuildStep(line) ?? step;
      if (line.trim() !== '') log(line);
    }
  };
  try {
    const stream = await docker.buildImage(contextTar(req.context, req.entries), {
      t: req.name,
      dockerfile: req.dockerfile,
      buildargs: { ...req.args },
      ...(req.target ? { target: req.target } : {}),
      labels: { [CONTEXT_HASH_LABEL]: req.hash, 'dev.msdev.project': req.project, 'dev.msdev.service': req.service },
      rm: true,
      forcerm: true,
      ...(signal ? { abortSignal: signal } : {}),
    });
    throwIfAborted(signal);
    await followEngineStream<BuildEvent>(docker, stream, 'build failed', (event) => {
      if (typeof event.stream === 'string') take(lines.push(event.stream));
      if (event.error !== undefined || event.errorDetail?.message !== undefined) {
        take(lines.flush());
        failure ??= (event.errorDetail?.message ?? event.error ?? '').replace(/\s+/g, ' ').trim() || 'the engine reported an error';
      }
    }, signal);
  } catch (err) {
    if (signal?.aborted || (err instanceof StartError && err.message === ABORTED)) throw new StartError(ABORTED);
    if (err instanceof StartError) throw err;
    throw new StartError(`build failed: ${engineMessage(err)}`);
  }
  take(lines.flush());
  if (failure !== null) throw new StartError(buildFailureReason(req.dockerfile, req.instructions, step, failure));
}
