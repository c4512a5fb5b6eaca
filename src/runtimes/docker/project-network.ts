// The project's own network: its containers reach each other by service name on it.
import type Docker from 'dockerode';
import { engineMessage, statusOf } from './engine-message.js';
import { LABELS } from './names.js';

/** Creates the network unless this project has it already; throws an Error when the name is another project's. */
export async function ensureNetwork(docker: Docker, name: string, project: string, dir: string): Promise<void> {
  try {
    const info = (await docker.getNetwork(name).inspect()) as { Labels?: Record<string, string> | null };
    const owner = info.Labels?.[LABELS.dir];
    if (owner !== dir) throw new Error(`a network named ${name} exists and is not this project's (${owner ? `it belongs to the msdev project in ${owner}` : 'msdev did not make it'}); remove it or set another "name:" in the config`);
    return;
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  try {
    await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { [LABELS.project]: project, [LABELS.dir]: dir } });
  } catch (err) {
    // Two services asked at once, or another msdev of this folder made it meanwhile.
    if (statusOf(err) === 409) return;
    throw new Error(`cannot create the network ${name}: ${engineMessage(err)}`);
  }
}

/** Removes the network when no container is attached to it any more (quietly leaves it otherwise). */
export async function removeNetworkIfEmpty(docker: Docker, name: string): Promise<boolean> {
  try {
    const info = (await docker.getNetwork(name).inspect()) as { Containers?: Record<string, unknown> | null };
    if (info.Containers && Object.keys(info.Containers).length > 0) return false;
    await docker.getNetwork(name).remove();
    return true;
  } catch {
    return false;
  }
}
