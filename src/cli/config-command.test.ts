import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigText } from '../config/load.js';
import { configCommand, renderConfig } from './config-command.js';

const yaml = [
  'name: shop',
  'env: {API_KEY: k, LOG_LEVEL: debug}',
  'services:',
  '  db:',
  '    image: pg',
  '    ports: ["5432:5432"]',
  '    env: {POSTGRES_PASSWORD: dev, DB_TOKEN_TTL: 5, secret_sauce: x}',
  '  api:',
  '    command: [node, server.js]',
  '    port: 3000',
  '    depends_on: {db: healthy}',
  '    healthcheck: {http: /health, interval: 500ms}',
  '    stop_timeout: 90s',
  '  off: {command: x, profiles: [full]}',
  '',
].join('\n');

describe('renderConfig', () => {
  it('prints the active services as YAML with secrets masked and only the env msdev adds', async () => {
    const { config } = await loadConfigText(yaml, { path: '/p/services.yaml', shown: 'services.yaml', cwd: '/p', profiles: [], env: { HOME: '/home/u', SHELL_ONLY: 'x' } });
    const out = parse(renderConfig(config)) as { name: string; services: Record<string, Record<string, unknown>> };
    expect(out.name).toBe('shop');
    expect(Object.keys(out.services)).toEqual(['db', 'api']);
    const db = out.services.db!;
    expect(db).toMatchObject({ kind: 'container', image: 'pg', ports: ['127.0.0.1:5432:5432/tcp'] });
    expect(db.env).toMatchObject({ POSTGRES_PASSWORD: '********', DB_TOKEN_TTL: '********', secret_sauce: '********', API_KEY: '********', LOG_LEVEL: 'debug' });
    expect(db.env).not.toHaveProperty('HOME');
    expect(db.env).not.toHaveProperty('SHELL_ONLY');
    expect(out.services.api).toMatchObject({
      kind: 'process',
      command: ['node', 'server.js'],
      cwd: '/p',
      port: 3000,
      depends_on: { db: 'healthy' },
      healthcheck: { http: 'http://127.0.0.1:3000/health', interval: '500ms', timeout: '2s', retries: 3, start_period: '0s' },
      restart: 'on-failure',
      max_restarts: 5,
      one_shot: false,
      stop_signal: 'SIGTERM',
      stop_timeout: '1m30s',
    });
  });

  it('quotes values a YAML 1.1 reader would take for booleans (restart: "no")', async () => {
    const { config } = await loadConfigText('services:\n  once: {command: x, restart: "no"}\n', { path: '/p/services.yaml', shown: 'services.yaml', cwd: '/p', profiles: [], env: {} });
    const text = renderConfig(config);
    expect(text).toContain('restart: "no"');
    expect((parse(text, { version: '1.1' }) as { services: { once: { restart: unknown } } }).services.once.restart).toBe('no');
  });

  it('shows the container keys: entrypoint, keep and build.target', async () => {
    const text = 'services:\n  web: {build: {context: ., target: dev}, entrypoint: [sh, -c], command: "httpd -f", keep: true}\n  db: {image: pg}\n';
    const { config } = await loadConfigText(text, { path: '/p/services.yaml', shown: 'services.yaml', cwd: '/p', profiles: [], env: {} });
    const out = parse(renderConfig(config)) as { services: Record<string, Record<string, unknown>> };
    expect(out.services.web).toMatchObject({ kind: 'container', entrypoint: ['sh', '-c'], command: 'httpd -f', keep: true, build: { context: '/p', target: 'dev', args: {} } });
    expect(out.services.db).toMatchObject({ keep: false });
    expect(out.services.db).not.toHaveProperty('entrypoint');
  });

  it('returns 0 and writes YAML through the command', async () => {
    const out: string[] = [];
    const cwd = new URL('../../test/fixtures/config/valid/', import.meta.url).pathname;
    const code = await configCommand({ file: 'minimal.yaml', profiles: [], color: false, quiet: false, cwd }, { stdout: (s) => out.push(s), stderr: () => {} });
    expect(code).toBe(0);
    expect(parse(out.join(''))).toMatchObject({ name: 'valid', services: { hello: { kind: 'process', command: 'echo hello' } } });
  });
});
