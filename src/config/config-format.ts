// Which format a config file is in: msdev's own, or one msdev reads as it is (compose, process-compose, a Procfile).
import { basename } from 'node:path';

/** The formats msdev reads. */
export type ConfigFormat = 'msdev' | 'compose' | 'process-compose' | 'procfile';

/** Files of other tools msdev reads as they are when no msdev.yaml or services.yaml is found, in the order looked for. */
export const FOREIGN_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml', 'process-compose.yaml', 'process-compose.yml', 'Procfile'] as const;

/** How each format is named to the user. */
export const FORMAT_NAMES: Readonly<Record<ConfigFormat, string>> = {
  msdev: 'msdev',
  compose: 'a Compose file',
  'process-compose': 'a process-compose file',
  procfile: 'a Procfile',
};

/**
 * The format of a file by its name, as the tools name theirs: `compose.yaml`, `docker-compose.dev.yml`,
 * `process-compose.override.yaml`, `Procfile`, `Procfile.dev`; anything else is msdev's own.
 */
export function formatOfPath(path: string): ConfigFormat {
  const name = basename(path);
  if (/^process-compose(\.[^.]+)*\.ya?ml$/i.test(name)) return 'process-compose';
  if (/^(docker-)?compose(\.[^.]+)*\.ya?ml$/i.test(name)) return 'compose';
  if (/^Procfile(\.[A-Za-z0-9_-]+)?$/.test(name)) return 'procfile';
  return 'msdev';
}
