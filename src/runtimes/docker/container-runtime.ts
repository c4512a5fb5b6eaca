// Runs container services through the Docker Engine API (dockerode, loaded on the first container service).
import type Docker from 'dockerode';
import type { ContainerServiceSpec, ServiceSpec } from '../../config/model.js';
import { LineBatch } from '../../core/line-batch.js';
import { StartError, type Handle, type Runtime, type StartOptions } from '../runtime.js';
import { builtinCheckOf } from './builtin-check.js';
import { ContainerHandle } from './container-handle.js';
import { createOptions } from './create-options.js';
import { engineAddress, loadDocker, pingEngine } from './docker-client.js';
import { engineMessage, statusOf } from './engine-message.js';
import { ensureImage } from './ensure-image.js';
import { containerName, LABELS, networkName } from './names.js';
import { ensureNetwork, removeNetworkIfEmpty } from './project-network.js';
import { describeStartError } from './start-error.js';

/** Whose containers these are. */
export interface DockerRuntimeOptions {
  readonly project: string;
  /** The config file's folder: labels every container, and finds those a killed msdev left. */
  readonly dir: string;
  /** Where DOCKER_HOST is read (default: msdev's environment). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts container services: image (pulled or built), the project network, then the container with its output attached. */
export class DockerRuntime implements Runtime {
  private docker: Docker | null = null;
  private connecting: Promise<Docker> | null = null;
  private network: Promise<void> | null = null;
  private readonly live = new Set<ContainerHandle>();
  /** Containers stopped for a sync+restart, by service: started again as they are by its next start. */
  private readonly kept = new Map<string, { readonly container: Docker.Container; readonly spec: ContainerServiceSpec }>();
  private disposed = false;

  constructor(private readonly options: DockerRuntimeOptions) {}

  /** Starts the container; rejects with StartError (engine unreachable, image, port taken…) and leaves nothing behind. */
  async start(spec: ServiceSpec, options: StartOptions): Promise<Handle> {
    if (spec.kind !== 'container') throw new StartError(`${spec.name} is a ${spec.kind} service, not a container`);
    const docker = await this.connect();
    // A container stopped for a sync+restart runs again as it is, with the files synced into it (unless its settings changed).
    const kept = this.kept.get(spec.name);
    this.kept.delete(spec.name);
    if (kept && kept.spec === spec && !this.disposed) {
      try {
        return await this.launch(kept.container, spec, options, false);
      } catch {
        // Gone meanwhile: a new one is made below.
      }
    }
    const log = (line: string): void => options.onLines('stdout', LineBatch.of([line]));
    const image = await ensureImage(docker, spec, this.options.project, log);
    const network = networkName(this.options.project);
    this.network ??= ensureNetwork(docker, network, this.options.project, this.options.dir).catch((err: unknown) => {
      this.network = null;
      throw err;
    });
    try {
      await this.network;
    } catch (err) {
      throw new StartError(engineMessage(err));
    }
    await this.removeOld(docker, spec);
    if (this.disposed) throw new StartError('msdev is shutting down');
    let container: Docker.Container;
    try {
      container = await docker.createContainer(createOptions(spec, { project: this.options.project, dir: this.options.dir, network, image }));
    } catch (err) {
      throw new StartError(describeStartError(spec, err));
    }
    return this.launch(container, spec, options, true);
  }

  /** Attaches to the container's output and waits on its exit (both before the start, so nothing is missed), then starts it. */
  private async launch(container: Docker.Container, spec: ContainerServiceSpec, options: StartOptions, fresh: boolean): Promise<Handle> {
    try {
      const info = await container.inspect();
      // Attached before the start, so no past output is wanted: `logs` would replay an earlier run of a kept
      // container, and the engine may send a line both as past log and as live stream when the two overlap.
      const attach = await container.attach({ stream: true, stdout: true, stderr: true, logs: false });
      const waited = container.wait({ condition: 'next-exit' }).then(
        (r: { StatusCode?: number }) => (typeof r.StatusCode === 'number' ? r.StatusCode : null),
        () => null,
      );
      await container.start();
      const handle: ContainerHandle = new ContainerHandle(
        {
          container,
          id: info.Id,
          spec,
          workdir: info.Config.WorkingDir || '/',
          attach,
          waited,
          builtinCheck: builtinCheckOf(container, info),
          onGone: (keptForRestart) => {
            this.live.delete(handle);
            if (keptForRestart) this.kept.set(spec.name, { container, spec });
          },
        },
        options,
      );
      this.live.add(handle);
      if (this.disposed) handle.kill();
      return handle;
    } catch (err) {
      if (fresh) await container.remove({ force: true, v: true }).catch(() => {});
      throw new StartError(describeStartError(spec, err));
    }
  }

  /** Removes the project network once every container is gone (containers are removed as they stop). */
  async close(): Promise<void> {
    await Promise.all([...this.live].map((h) => h.exited));
    await this.dropKept();
    if (this.docker && this.network) await removeNetworkIfEmpty(this.docker, networkName(this.options.project));
  }

  /** Kills and removes every container still running (one request each, sent at once); starts nothing after. */
  dispose(): void {
    this.disposed = true;
    for (const h of this.live) h.kill();
    void this.dropKept();
  }

  /** Removes the containers kept for a restart that never came. */
  private async dropKept(): Promise<void> {
    const kept = [...this.kept.values()];
    this.kept.clear();
    await Promise.all(kept.map((k) => k.container.remove({ force: true, v: true }).catch(() => {})));
  }

  /** The engine client, once it answered (a failed connection is tried again by the next start). */
  private connect(): Promise<Docker> {
    if (this.docker) return Promise.resolve(this.docker);
    this.connecting ??= (async () => {
      const address = engineAddress(this.options.env);
      let docker: Docker;
      try {
        docker = await loadDocker();
        await pingEngine(docker, address);
      } catch (err) {
        throw new StartError(err instanceof Error ? err.message : String(err));
      }
      this.docker = docker;
      return docker;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Removes this service's container of an earlier run (kept, or left by a killed msdev); refuses to touch another project's. */
  private async removeOld(docker: Docker, spec: ContainerServiceSpec): Promise<void> {
    const name = containerName(this.options.project, spec.name);
    let labels: Record<string, string> | undefined;
    try {
      labels = ((await docker.getContainer(name).inspect()) as { Config?: { Labels?: Record<string, string> } }).Config?.Labels;
    } catch (err) {
      if (statusOf(err) === 404) return;
      throw new StartError(`cannot look for an earlier container ${name}: ${engineMessage(err)}`);
    }
    if (labels?.[LABELS.dir] !== this.options.dir) {
      const owner = labels?.[LABELS.dir];
      throw new StartError(
        `a container named ${name} exists and is not this project's (${owner ? `it belongs to the msdev project in ${owner}` : 'msdev did not make it'}); remove it (docker rm -f ${name}) or set another "name:" in the config`,
      );
    }
    await docker
      .getContainer(name)
      .remove({ force: true, v: true })
      .catch(() => {});
  }
}
