// What translating one compose service needs: its name and path, where to say things, the file's declarations.
import type { YAMLMap } from 'yaml';
import type { Notes } from './notes.js';
import type { CEntry, CNode } from './tree.js';

/** One service being translated. */
export interface ServiceContext {
  readonly name: string;
  /** `services.NAME`, for messages. */
  readonly path: string;
  readonly notes: Notes;
  /** The compose file's folder. */
  readonly dir: string;
  readonly shell: NodeJS.ProcessEnv;
  /** Every service name of the file. */
  readonly services: ReadonlySet<string>;
  /** Top-level `volumes:`, `secrets:`, `configs:` (undefined when absent). */
  readonly volumes: CNode | undefined;
  readonly secrets: CNode | undefined;
  readonly configs: CNode | undefined;
  /** msdev's service mapping being filled. */
  readonly out: YAMLMap;
}

/** Translates one key of a service into msdev's (or says why not). */
export type KeyTranslator = (e: CEntry, sx: ServiceContext) => void;

/** Says that a key's value has a shape compose does not allow either. */
export function badShape(e: CEntry, sx: ServiceContext, expected: string, node: CNode = e.value, key = e.key): void {
  sx.notes.error(node, `${sx.path}.${key}`, `expected ${expected}`);
}
