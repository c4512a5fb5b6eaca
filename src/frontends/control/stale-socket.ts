// A control socket left by a killed msdev: found by probing it, and removed; one that answers is left alone.
import { lstatSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { socketAddress } from './socket-path.js';

/**
 * Removes a socket nobody answers on at `path`; a socket that answers, or a file that is not a socket, is
 * left. Says what was there: nothing (or a stale socket, now removed), a live socket, or another file.
 */
export async function clearStaleSocket(path: string): Promise<'clear' | 'live' | 'not-a-socket'> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return 'clear'; // nothing there
  }
  if (!isSocket) return 'not-a-socket';
  const answers = await new Promise<boolean>((resolve) => {
    const address = socketAddress(dirname(path));
    const probe = connect(address.path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
    probe.once('close', () => address.release());
  });
  if (answers) return 'live';
  try {
    unlinkSync(path);
  } catch {
    // gone meanwhile
  }
  return 'clear';
}
