// Reaching the Docker engine (or Podman's compatible socket): dockerode is loaded here, on first use only.
import type Docker from 'dockerode';
import { engineMessage } from './engine-message.js';

/** How long msdev waits for the engine to answer a ping before it says it cannot reach it. */
const PING_TIMEOUT_MS = 5_000;

/** The engine's address as the user would recognise it: DOCKER_HOST, else the default socket. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.DOCKER_HOST?.trim();
  return host ? host : 'unix:///var/run/docker.sock';
}

/** A client for the engine at engineAddress() (dockerode reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself). */
export async function loadDocker(): Promise<Docker> {
  const { default: Dockerode } = await import('dockerode');
  return new Dockerode();
}

/** Resolves once the engine answers a ping; throws an Error that says where msdev looked and what to do. */
export async function pingEngine(docker: Docker, address: string, timeoutMs = PING_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    await Promise.race([docker.ping(), timeout]);
  } catch (err) {
    throw new Error(unreachable(address, err));
  } finally {
    clearTimeout(timer);
  }
}

/** `cannot reach the Docker engine at …: is it running?`, with the system's reason and, for a socket we may not open, the fix. */
export function unreachable(address: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const why = code === 'ENOENT' ? 'no socket there' : code === 'ECONNREFUSED' ? 'connection refused' : code === 'EACCES' ? 'permission denied' : engineMessage(err);
  const hint = code === 'EACCES' ? ' (add your user to the docker group, or set DOCKER_HOST)' : ' (start Docker, or set DOCKER_HOST to where it listens)';
  return `cannot reach the Docker engine at ${address}: is it running? ${why}${hint}`;
}
