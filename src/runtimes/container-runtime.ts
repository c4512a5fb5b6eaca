// Container services are configured and validated, but starting them needs the container runtime.
import type { ServiceSpec } from '../config/model.js';
import { StartError, type Handle, type Runtime } from './runtime.js';

/** Refuses to start containers with a clear reason until the Docker runtime lands. */
export class UnavailableContainerRuntime implements Runtime {
  /** Always rejects with a StartError that says what to do instead. */
  start(spec: ServiceSpec): Promise<Handle> {
    const what = spec.kind === 'container' && spec.image ? `image ${spec.image}` : 'a build';
    return Promise.reject(
      new StartError(
        `${spec.name} is a container service (${what}) and needs the container runtime, which this msdev does not have yet; ` +
          'run it as a process service with "command", or start it with docker and depend on its port',
      ),
    );
  }
}
