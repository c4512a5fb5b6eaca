// Types for docs.mjs, so test/docs.test.ts can import it.
import type { Command } from 'commander';

/** The modules the docs are generated from (src/ in tests, dist/ in scripts/write-docs.js). */
export interface DocSources {
  readonly projectSchema: unknown;
  readonly describe: (node: never) => string;
  readonly buildProgram: (runCommandArgs: null) => Command;
  readonly EXIT_CODES: readonly { readonly code: number | string; readonly meaning: string }[];
  readonly COMMAND_EXITS: Readonly<Record<string, string>>;
}

/** Repository path → generated Markdown, for every generated file of docs/. */
export function generatedDocs(sources: DocSources): Record<string, string>;
