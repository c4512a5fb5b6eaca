// What msdev names and labels on the Docker engine: containers, the project network, named volumes.

/** Labels every container, network and built image of msdev carries (SPEC §5: project and service). */
export const LABELS = {
  project: 'dev.msdev.project',
  service: 'dev.msdev.service',
  /** The folder of the config file: two projects with one name in two folders stay apart, and leftovers are found by it. */
  dir: 'dev.msdev.dir',
} as const;

/** A name part the engine accepts: letters, digits, `_`, `.`, `-`, starting with a letter or digit. */
export function nameSafe(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return safe === '' ? 'msdev' : safe;
}

/** The container name of a service: `PROJECT-SERVICE`, as docker compose names them (without its replica number). */
export function containerName(project: string, service: string): string {
  return `${nameSafe(project)}-${nameSafe(service)}`;
}

/** The project's network, on which its containers reach each other by service name. */
export function networkName(project: string): string {
  return `${nameSafe(project)}-msdev`;
}

/** A named volume of the project (`data` → `PROJECT_data`, as docker compose does), kept across runs. */
export function volumeName(project: string, name: string): string {
  return `${nameSafe(project)}_${name}`;
}

/** The labels of one of the project's containers. */
export function containerLabels(project: string, dir: string, service: string): Record<string, string> {
  return { [LABELS.project]: project, [LABELS.dir]: dir, [LABELS.service]: service };
}
