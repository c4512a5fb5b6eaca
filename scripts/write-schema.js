#!/usr/bin/env node
// Writes schema/services.schema.json from the built schema (dist/config/json-schema.js).
// Run with `npm run schema` (builds first). `--check` exits 1 instead when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { servicesJsonSchemaText } from '../dist/config/json-schema.js';

const target = new URL('../schema/services.schema.json', import.meta.url);
const text = servicesJsonSchemaText();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write('schema/services.schema.json is stale: run `npm run schema`\n');
    process.exit(1);
  }
  process.stdout.write('schema/services.schema.json is up to date\n');
} else {
  writeFileSync(target, text);
  process.stdout.write('wrote schema/services.schema.json\n');
}
