// Temp msdev projects (a folder with a services.yaml) and shell quoting for the printed commands.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './env.mjs';

/** Quotes a word for sh when it needs it. */
export function shq(word) {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A command line as one would type it. */
export function cmdline(file, args) {
  return [file, ...args].map(shq).join(' ');
}

/**
 * Writes a services.yaml into a new temp folder. services: { NAME: { command, restart?, healthcheck? } }
 * where command is a string (run by sh -c) and healthcheck an object such as { log: 'ready' }.
 * The folder is made inside parent when given (so removing parent removes it), else under os.tmpdir().
 * Returns { dir, yaml }.
 */
export function makeProject(prefix, services, parent) {
  const dir = parent ? mkdtempSync(join(parent, `${prefix}-`)) : tempDir(prefix);
  const lines = ['name: bench', 'services:'];
  for (const [name, s] of Object.entries(services)) {
    lines.push(`  ${name}:`);
    lines.push(`    command: ${JSON.stringify(s.command)}`);
    if (s.restart) lines.push(`    restart: ${JSON.stringify(s.restart)}`);
    if (s.healthcheck) {
      const hc = Object.entries(s.healthcheck).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
      lines.push(`    healthcheck: { ${hc.join(', ')} }`);
    }
  }
  const yaml = `${lines.join('\n')}\n`;
  writeFileSync(join(dir, 'services.yaml'), yaml);
  return { dir, yaml };
}
