// Other tools' files read as they are (issue 13), through the real CLI: a Procfile found on its own when there
// is no services.yaml, said to be used, and run to ready by `msdev smoke`.
import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, cleanUp, makeProject, runCli, type TempProject } from './helpers/cli.js';

let project: TempProject | null = null;
afterEach(async () => {
  await cleanUp(project);
  project = null;
});

describe('a Procfile', () => {
  it('is found without a services.yaml, said to be used, and gets ready under msdev smoke', { timeout: 60_000 }, async () => {
    // No services.yaml: the Procfile beside it is what msdev reads.
    project = makeProject('');
    rmSync(project.path('services.yaml'));
    writeFileSync(project.path('Procfile'), `# web listens on $PORT; the worker does not listen\nweb: PORT=$PORT node ${FIXTURES}/server.mjs\nworker: echo working; while true; do sleep 1; done\n`);
    writeFileSync(project.path('.env'), 'GREETING=hi\n');
    const env = { PORT: '47300' };
    const r = await runCli(['smoke'], { cwd: project.dir, env, timeoutMs: 45_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('using Procfile (a Procfile, read as it is)');
    expect(r.stdout).toMatch(/^web\s+healthy/m);
    expect(r.stdout).toMatch(/^worker\s+running/m);
    const config = await runCli(['config'], { cwd: project.dir, env });
    expect(config.stdout).toMatch(/web:\n {4}kind: process\n {4}command: PORT=\$PORT node .*server\.mjs\n(.*\n)*? {4}port: 47300/);
    expect(config.stdout).toContain('GREETING: hi');
    // Named with -f, beside a services.yaml that would otherwise win.
    writeFileSync(project.path('services.yaml'), 'services:\n  other: { command: "exit 9", restart: "no" }\n');
    const named = await runCli(['smoke', '-f', 'Procfile'], { cwd: project.dir, env, timeoutMs: 45_000 });
    expect(named.code, named.stdout + named.stderr).toBe(0);
    expect(named.stdout).toMatch(/^web\s+healthy/m);
    expect(named.stdout).not.toMatch(/^other/m);
  });
});
