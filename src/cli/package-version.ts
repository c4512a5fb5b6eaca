// msdev's own version, from its package.json.
import { readFileSync } from 'node:fs';

/** The version from the package's package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
