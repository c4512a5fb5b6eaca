// The generated files of docs/, by path: one place that names them, their sources and templates,
// used by scripts/write-docs.js (with dist/ modules) and test/docs.test.ts (with src/ modules).
import { readFileSync } from 'node:fs';
import { cliDoc } from './cli-doc.mjs';
import { servicesDoc } from './services-doc.mjs';

/** A template of scripts/lib, as text. */
const template = (name) => readFileSync(new URL(name, import.meta.url), 'utf8');

/** Repository path → generated Markdown, for every generated file of docs/. */
export function generatedDocs(sources) {
  return {
    'docs/services-yaml.md': servicesDoc({ schema: sources.projectSchema, describe: sources.describe, template: template('services-yaml.template.md') }),
    'docs/cli.md': cliDoc({
      program: sources.buildProgram(null),
      exitCodes: sources.EXIT_CODES,
      commandExits: sources.COMMAND_EXITS,
      template: template('cli.template.md'),
    }),
  };
}
