#!/usr/bin/env node
// Writes the generated docs from the built sources: docs/services-yaml.md from the schema
// (dist/config/schema.js) and docs/cli.md from the commander program (dist/cli/main.js).
// Run with `npm run docs` (builds first). `--check` exits 1 instead when a file is stale.
// The rendering is in scripts/lib/docs.mjs; test/docs.test.ts renders from src/ and compares.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildProgram, COMMAND_EXITS, EXIT_CODES } from '../dist/cli/main.js';
import { describe } from '../dist/config/schema-dsl.js';
import { projectSchema } from '../dist/config/schema.js';
import { generatedDocs } from './lib/docs.mjs';

const root = new URL('../', import.meta.url);
const docs = generatedDocs({ projectSchema, describe, buildProgram, EXIT_CODES, COMMAND_EXITS });
const check = process.argv.includes('--check');
let stale = 0;

for (const [path, text] of Object.entries(docs)) {
  const target = new URL(path, root);
  if (check) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      process.stderr.write(`${path} is stale: run \`npm run docs\`\n`);
      stale++;
    }
  } else {
    writeFileSync(target, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
if (check && stale === 0) process.stdout.write(`${Object.keys(docs).join(', ')}: up to date\n`);
process.exitCode = stale > 0 ? 1 : 0;
