import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { problemLines } from '../../../test/helpers/config-load.js';
import { loadConfigText } from '../load.js';

const dir = mkdtempSync(join(tmpdir(), 'msdev-procfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (text: string, env: NodeJS.ProcessEnv = {}) =>
  loadConfigText(text, { path: join(dir, 'Procfile'), shown: 'Procfile', cwd: dir, profiles: [], env, pickPort: () => Promise.resolve(40123) });

function problems(text: string): Promise<string[]> {
  return problemLines(load(text));
}

describe('a Procfile read as it is', () => {
  it('makes a process service per line, numbering PORT as foreman does; a command using $PORT gets port:', async () => {
    const { config, source } = await load('# the app\nweb: node server.js --port $PORT\nworker:   node worker.js\n\nclock: sh -c "echo ${PORT}"\n');
    expect(source.format).toBe('procfile');
    expect(Object.keys(config.services)).toEqual(['web', 'worker', 'clock']);
    const { web, worker, clock } = config.services;
    expect(web).toMatchObject({ kind: 'process', command: 'node server.js --port $PORT', port: 5000 });
    expect(web?.env.PORT).toBe('5000');
    expect(worker).toMatchObject({ command: 'node worker.js' });
    expect(worker?.port).toBeUndefined();
    expect(worker?.env.PORT).toBe('5100');
    expect(clock).toMatchObject({ command: 'sh -c "echo ${PORT}"', port: 5200 });
    // The registry: the services with a port, as every process sees it.
    expect(worker?.env.WEB_URL).toBe('http://127.0.0.1:5000');
  });

  it('takes the base port from PORT in the environment, as foreman -p does', async () => {
    const { config } = await load('web: run $PORT\nworker: work\n', { PORT: '7000' });
    expect(config.services.web?.port).toBe(7000);
    expect(config.services.worker?.env.PORT).toBe('7100');
  });

  it('gives every process the .env beside it', async () => {
    writeFileSync(join(dir, '.env'), 'GREETING=hi\n');
    try {
      const { config } = await load('web: echo $GREETING\n');
      expect(config.services.web?.env.GREETING).toBe('hi');
    } finally {
      rmSync(join(dir, '.env'));
    }
  });

  it('points at the line of each problem', async () => {
    expect(await problems('web: run\n\nnot a process line\nworker:\nweb: again\n')).toEqual([
      'Procfile:3:1: expected "NAME: COMMAND" (a name of letters, digits, "-" and "_", a colon, the command)',
      'Procfile:4:8: services.worker: process "worker" has no command',
      'Procfile:5:1: services.web: process "web" is named twice; give each line its own name',
    ]);
    expect(await problems('# only a comment\n')).toEqual(['Procfile:1:1: no processes: add a line "NAME: COMMAND"']);
  });
});
