// Where a project's control socket is, and an address for it that fits a unix socket's 107-byte limit.
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

/** The socket's file name inside `.msdev/`. */
export const SOCKET_NAME = 'msdev.sock';

/** The longest path a unix socket address may hold on Linux (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/** The path of the control socket of a project whose `.msdev/` folder is `msdevDir`. */
export function socketPath(msdevDir: string): string {
  return join(msdevDir, SOCKET_NAME);
}

/** An address to bind or connect to, and what to release once that is done. */
export interface SocketAddress {
  readonly path: string;
  /** Closes the folder handle a long path is reached through; call once bound or connected. */
  release(): void;
}

/**
 * The address of the socket in `msdevDir`. A path too long for a socket address (a deep project folder)
 * is reached through `/proc/self/fd/N/`, N an open handle of the folder, so the socket still lives in `.msdev/`.
 */
export function socketAddress(msdevDir: string): SocketAddress {
  const path = socketPath(msdevDir);
  if (Buffer.byteLength(path) <= MAX_SOCKET_PATH) return { path, release: () => undefined };
  const fd = openSync(msdevDir, 'r');
  let open = true;
  return {
    path: `/proc/self/fd/${fd}/${SOCKET_NAME}`,
    release() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
