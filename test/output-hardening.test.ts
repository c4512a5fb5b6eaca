// Issue 6, items 7 and 10 (output): log files keep the service's bytes, a long name does not widen every line,
// and a log file that cannot be written is reported once while the run goes on.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CliRun, cleanUp, makeProject, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;

afterEach(async () => {
  await cleanUp(project);
  project = null;
});

describe('log file bytes', () => {
  it('holds exactly the bytes of a last line without newline, invalid UTF-8 included (plus the newline msdev adds)', async () => {
    project = makeProject(`
services:
  bin:
    command: "printf 'first \\\\303\\\\251\\\\n\\\\377\\\\376raw\\\\303'"
    restart: "no"
`);
    const run = new CliRun(['up', '--no-tui'], { cwd: project.dir });
    expect((await run.exited).code).toBe(0);
    const file = readFileSync(project.path('.msdev/logs/bin.log'));
    const service = Buffer.concat([Buffer.from('first \u00e9\n'), Buffer.from([0xff, 0xfe]), Buffer.from('raw'), Buffer.from([0xc3, 0x0a])]);
    expect(file.includes(service)).toBe(true);
  });
});

describe('the name column of plain output', () => {
  it('is capped for a 200-character service name', async () => {
    const long = `svc-${'n'.repeat(196)}`;
    project = makeProject(`
services:
  ${long}:
    command: "echo from-long"
    restart: "no"
  db:
    command: "echo from-db"
    restart: "no"
`);
    const run = new CliRun(['up', '--no-tui'], { cwd: project.dir });
    expect((await run.exited).code).toBe(0);
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.indexOf(' | ')).toBeLessThanOrEqual(24);
    expect(lines).toContain(`svc-nnnnnnnn…${'n'.repeat(11)} | from-long`);
    expect(lines).toContain(`db${' '.repeat(22)} | from-db`);
  });
});
