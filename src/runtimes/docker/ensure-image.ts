// PLACEHOLDER until the images work lands: the image must be present.
import type Docker from 'dockerode';
import type { ContainerServiceSpec } from '../../config/model.js';
import { StartError } from '../runtime.js';

/** Makes the service's image present locally and returns the reference to create the container from. */
export async function ensureImage(docker: Docker, spec: ContainerServiceSpec, project: string, log: (line: string) => void): Promise<string> {
  void log;
  const ref = spec.image ?? `${project}-${spec.name}`;
  try {
    await docker.getImage(ref).inspect();
    return ref;
  } catch {
    throw new StartError(`image ${ref} is not here`);
  }
}
