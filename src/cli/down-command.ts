// `msdev down`: stops the running instance (reverse dependency order, as Ctrl-C in its terminal would),
// or cleans up after one that was killed: its processes (by state.json and their marks) and its socket.
import { existsSync } from 'node:fs';
import { clearStaleSocket } from '../frontends/control/stale-socket.js';
import { socketPath } from '../frontends/control/socket-path.js';
import { isAlive } from '../process/process-tree.js';
import { isSameProcess } from '../process/process-identity.js';
import { findProject, notReached, reachInstance, type ProjectPlace } from './find-instance.js';
import { recordsContainers, removeContainerLeftovers } from './container-leftovers.js';
import { readInstance, reapDeadInstance } from './instance-file.js';
import type { GlobalOptions } from './options.js';

/** How long `down` waits for the supervisor to exit once it has stopped everything (or was sent SIGTERM). */
const EXIT_WAIT_MS = 60_000;
const EXIT_POLL_MS = 20;

/** Runs `msdev down`; 0 once nothing of the project runs. */
export async function downCommand(opts: GlobalOptions): Promise<number> {
  const place = await findProject(opts);
  if (typeof place === 'number') return place;
  const say = (text: string): void => {
    if (!opts.quiet) process.stderr.write(`msdev: ${text}\n`);
  };
  const client = await reachInstance(place);
  if (notReached(client)) {
    if (client.kind === 'silent' && client.pid !== null) return stopWithoutSocket(place, client.pid, say);
    return cleanUp(place, say);
  }
  try {
    const info = await client.info();
    say(`stopping ${info.project} (msdev pid ${info.pid})`);
    const unsubscribe = client.subscribe((event) => {
      if (event.type === 'state' && event.state === 'stopped' && !opts.quiet) process.stderr.write(`  ${event.service} stopped\n`);
    });
    await client.shutdown();
    unsubscribe();
    if (!(await exited(info.pid))) {
      process.stderr.write(`msdev: msdev (pid ${info.pid}) stopped its services but has not exited after ${EXIT_WAIT_MS / 1000}s\n`);
      return 1;
    }
    say('stopped');
    return 0;
  } finally {
    client.close();
  }
}

/** An msdev that runs but whose socket does not answer (starting, or without one): SIGTERM, as Ctrl-C. */
async function stopWithoutSocket(place: ProjectPlace, pid: number, say: (text: string) => void): Promise<number> {
  const record = readInstance(place.dir);
  if (record === null || record.pid !== pid || !isSameProcess(record)) return cleanUp(place, say);
  say(`msdev (pid ${pid}) does not answer on its control socket; sending it SIGTERM`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // gone meanwhile
  }
  if (!(await exited(pid))) {
    process.stderr.write(`msdev: msdev (pid ${pid}) has not exited ${EXIT_WAIT_MS / 1000}s after SIGTERM; kill -9 ${pid}, then msdev down\n`);
    return 1;
  }
  say('stopped');
  return 0;
}

/** No msdev runs: kill what a killed one left, remove its stale socket, say what was done. */
async function cleanUp(place: ProjectPlace, say: (text: string) => void): Promise<number> {
  const record = readInstance(place.dir);
  const killed = await reapDeadInstance(place.dir);
  const containers = killed.live === undefined && recordsContainers(record) ? await removeContainerLeftovers(place.dir) : [];
  const reaped = { ...killed, reaped: [...new Set([...killed.reaped, ...containers])] };
  if (reaped.live !== undefined) {
    process.stderr.write(`msdev: msdev (pid ${reaped.live}) runs ${place.dir} without a control socket (an older msdev?); stop it with kill ${reaped.live}\n`);
    return 1;
  }
  // Probed first: a socket that answers (an msdev that started meanwhile) is left alone.
  const removed = existsSync(socketPath(place.msdevDir)) && (await clearStaleSocket(socketPath(place.msdevDir))) === 'clear';
  if (reaped.reaped.length > 0) say(`no msdev was running; killed what a killed msdev left running: ${reaped.reaped.join(', ')}`);
  else if (removed) say('no msdev was running; removed the socket a killed msdev left');
  else say(`no msdev is running ${place.dir}; nothing to stop`);
  if (reaped.stale.length > 0) say(`.msdev/state.json was stale: pid ${reaped.stale.join(', ')} ${reaped.stale.length === 1 ? 'is another process' : 'are other processes'} now; left alone`);
  return 0;
}

/** Resolves true once pid is gone, false after EXIT_WAIT_MS. */
async function exited(pid: number): Promise<boolean> {
  for (let waited = 0; waited < EXIT_WAIT_MS; waited += EXIT_POLL_MS) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
  }
  return !isAlive(pid);
}
