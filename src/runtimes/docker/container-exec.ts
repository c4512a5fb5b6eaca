// Runs a health-check command inside a container through the engine's exec API.
import { lastLine } from '../../core/last-line.js';
import type Docker from 'dockerode';
import type { CheckResult } from '../runtime.js';
import { engineMessage } from './engine-message.js';
import { FrameDemuxer } from './frame-demuxer.js';

/** How much of the command's output is kept to quote its last line. */
const TAIL_CHARS = 4096;

/** Runs `sh -c command` in the container: exit 0 is ok, else the reason names the exit code and the last line it printed. */
export function execInContainer(container: Docker.Container, command: string, timeoutMs: number, signal?: AbortSignal): Promise<CheckResult> {
  return execArgv(container, ['sh', '-c', command], timeoutMs, signal);
}

/** Runs argv in the container (no shell): exit 0 is ok, else the reason names the exit code and the last line it printed. */
export async function execArgv(container: Docker.Container, argv: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<CheckResult> {
  if (signal?.aborted) return { ok: false, reason: 'aborted' };
  let stream: NodeJS.ReadWriteStream | null = null;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const cut = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `timed out after ${timeoutMs} ms` }), timeoutMs);
    onAbort = () => resolve({ ok: false, reason: 'aborted' });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  const run = async (): Promise<CheckResult> => {
    const exec = await container.exec({ Cmd: [...argv], AttachStdout: true, AttachStderr: true });
    const s = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadWriteStream;
    stream = s;
    let tail = '';
    const demuxer = new FrameDemuxer((_stream, chunk) => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
    });
    await new Promise<void>((resolve) => {
      s.on('data', (chunk: Buffer) => demuxer.push(chunk));
      s.once('end', resolve);
      s.once('close', resolve);
      s.once('error', () => resolve());
    });
    const info = await exec.inspect();
    const code = info.ExitCode;
    if (code === 0) return { ok: true };
    const line = lastLine(tail);
    const how = code === null ? 'no exit code' : `exit code ${code}`;
    return { ok: false, reason: line ? `${how}: ${line}` : how };
  };
  try {
    return await Promise.race([run().catch((err: unknown) => ({ ok: false as const, reason: `cannot run ${argv[0] ?? 'it'} in the container: ${engineMessage(err)}` })), cut]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    (stream as { destroy?: () => void } | null)?.destroy?.();
  }
}
