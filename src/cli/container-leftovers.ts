// The containers and network a killed msdev of this folder left on the Docker engine, removed by the next
// `up` (before its ports are checked: a leftover may hold one) or `down`. dockerode is loaded only here and
// only when there may be some: the config has container services, or state.json names a container.
import type { InstanceRecord } from './instance-file.js';

/** How long to wait for the engine here: an engine that does not answer is said by the services that need it. */
const SWEEP_PING_MS = 2_000;

/** Whether state.json names any container. */
export function recordsContainers(record: InstanceRecord | null): boolean {
  return record !== null && Object.values(record.services).some((s) => typeof s.container === 'string');
}

/** Removes every container and network labelled with this folder; their service names, or [] when the engine cannot be reached. */
export async function removeContainerLeftovers(dir: string): Promise<string[]> {
  const { engineAddress, loadDocker, pingEngine } = await import('../runtimes/docker/docker-client.js');
  const { sweepProject } = await import('../runtimes/docker/leftovers.js');
  try {
    const docker = await loadDocker();
    await pingEngine(docker, engineAddress(), SWEEP_PING_MS);
    return [...(await sweepProject(docker, dir)).containers];
  } catch {
    return [];
  }
}
