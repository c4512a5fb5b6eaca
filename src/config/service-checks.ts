// Checks across keys of the file: something to run, container keys on containers, conditions that can be met, watch actions that fit.
import type { DependencyTable } from './dependencies.js';
import type { ProblemList } from './problem-list.js';
import type { RawService } from './schema.js';
import type { YamlSource } from './yaml-source.js';

/** True when the service is a container (it has `image` or `build`, even an invalid one). */
export function isContainer(name: string, svc: RawService, source: YamlSource): boolean {
  return svc.image !== undefined || svc.build !== undefined || has(source, name, 'image') || has(source, name, 'build');
}

function has(source: YamlSource, name: string, key: string): boolean {
  return source.nodeAt(['services', name, key]) !== undefined;
}

/** Keys that only mean something for a container, and what a process does instead. */
const CONTAINER_KEYS: readonly (readonly [key: string, what: string, instead: string])[] = [
  ['entrypoint', "overrides an image's entrypoint", 'a process runs its "command"'],
  ['ports', 'publishes container ports', 'a process uses "port"'],
  ['volumes', 'mounts folders into a container', "a process sees the host's files as they are"],
  ['keep', 'keeps a container when the run ends', 'a process ends with the run'],
  ['user', 'sets the user a container runs as', 'a process runs as msdev\'s user'],
  ['working_dir', 'sets the working folder inside a container', 'a process uses "cwd"'],
  ['labels', 'labels a container', 'a process has no labels'],
];

/** Reports container-only keys on a process service, at the key (a key already reported as invalid is left alone). */
function reportContainerKeys(name: string, source: YamlSource, problems: ProblemList): void {
  for (const [key, what, instead] of CONTAINER_KEYS) {
    const path = ['services', name, key];
    if (!has(source, name, key) || problems.hasUnder(path)) continue;
    problems.add(path, `"${key}" ${what} and only works for services with "image" or "build"; ${instead}`, { key: true });
  }
}

/** Reports services with nothing to run, container-only keys on a process, `healthy`/`completed` conditions that can never be met, and misfit watch actions. */
export function checkServices(services: Readonly<Record<string, RawService>>, deps: DependencyTable, source: YamlSource, problems: ProblemList): void {
  for (const [name, svc] of Object.entries(services)) {
    const container = isContainer(name, svc, source);
    if (!container && svc.command === undefined && !has(source, name, 'command')) {
      problems.add(['services', name], 'service has nothing to run: add "command" (a process) or "image"/"build" (a container)', { key: true });
    } else if (!container) reportContainerKeys(name, source, problems);
    const action = svc.watch?.action;
    if (action === 'rebuild' && svc.build === undefined && !has(source, name, 'build')) {
      problems.add(['services', name, 'watch', 'action'], '"rebuild" needs a "build" to rebuild the image from; use "restart" for a process or an image');
    }
    if ((action === 'sync' || action === 'sync+restart') && !container) {
      problems.add(['services', name, 'watch', 'action'], `"${action}" copies files into a container and only works for services with "image" or "build"; use "restart"`);
    }
  }
  for (const [name, mine] of Object.entries(deps)) {
    for (const [dep, entry] of Object.entries(mine)) {
      const target = Object.hasOwn(services, dep) ? services[dep] : undefined;
      if (!target) continue;
      const at = (): { line: number; col: number } => problems.locate(entry.path, entry.isKey);
      const path = ['services', name, 'depends_on', dep];
      // A container with neither may still be told healthy by its image's own HEALTHCHECK, known only at run time.
      if (entry.condition === 'healthy' && !isContainer(dep, target, source) && !canTellHealthy(dep, target, source, problems)) {
        problems.add(path, `"healthy" needs a way to tell: ${dep} has no healthcheck and no port; add a healthcheck or a port, or use "started"`, at());
      }
      if (entry.condition === 'completed' && target.restart === 'always') {
        problems.add(path, `"completed" can never happen: ${dep} has restart: always; use "started" or "healthy", or change its restart`, at());
      }
    }
  }
}

function canTellHealthy(name: string, svc: RawService, source: YamlSource, problems: ProblemList): boolean {
  if (svc.healthcheck || svc.port !== undefined || (svc.ports && svc.ports.length > 0)) return true;
  // A key that is present but invalid was already reported; don't pile on.
  return ['healthcheck', 'port', 'ports'].some((k) => has(source, name, k) && problems.hasUnder(['services', name, k]));
}
