// Containers and networks an msdev of this folder left behind (it was killed): found by label and removed.
import type Docker from 'dockerode';
import { LABELS } from './names.js';

/** What a sweep removed. */
export interface SweepResult {
  /** Service names of the containers removed. */
  readonly containers: readonly string[];
  readonly networks: readonly string[];
}

/** Removes every container (running or not) and then every network labelled with this project folder. Call only when no msdev of the folder runs. */
export async function sweepProject(docker: Docker, dir: string): Promise<SweepResult> {
  const filters = JSON.stringify({ label: [`${LABELS.dir}=${dir}`] });
  const found = await docker.listContainers({ all: true, filters });
  const containers: string[] = [];
  await Promise.all(
    found.map(async (c) => {
      try {
        await docker.getContainer(c.Id).remove({ force: true, v: true });
        containers.push(c.Labels[LABELS.service] ?? c.Id.slice(0, 12));
      } catch {
        // Gone meanwhile, or being removed already.
      }
    }),
  );
  const networks: string[] = [];
  for (const n of await docker.listNetworks({ filters })) {
    try {
      await docker.getNetwork(n.Id).remove();
      networks.push(n.Name);
    } catch {
      // Still in use by something else: left alone.
    }
  }
  return { containers: containers.sort(), networks };
}
