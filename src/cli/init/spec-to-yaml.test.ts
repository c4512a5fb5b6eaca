// specToYaml: a loaded config written back as services.yaml loads to the same ProjectConfig.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../config/env-file.js';
import { loadConfigText, loadConfigWithSource } from '../../config/load.js';
import type { ProjectConfig } from '../../config/model.js';
import { testLoader } from '../../../test/helpers/config-load.js';
import { specToYaml } from './spec-to-yaml.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const loader = testLoader('msdev-spec-to-yaml-', 41000);
afterAll(() => loader.remove());

/** A picker giving the same ports in the same order on every load. */
function picker(): () => Promise<number> {
  let next = 42000;
  return () => Promise.resolve(++next);
}

/** The config as plain data, without the file it was read from. */
function plain(c: ProjectConfig): unknown {
  return JSON.parse(JSON.stringify({ ...c, file: undefined }));
}

describe('specToYaml', () => {
  it.each(['examples/quickstart/services.yaml', 'examples/python-shop/services.yaml', 'examples/containers/services.yaml', 'test/fixtures/config/valid/spec-example/services.yaml'])(
    'round-trips %s',
    async (file) => {
      const path = join(ROOT, file);
      const { config } = await loadConfigWithSource({ file: path, cwd: ROOT, profiles: [], env: {}, pickPort: picker() });
      const text = specToYaml(config);
      const again = await loadConfigText(text, { path: join(config.dir, 'converted.yaml'), shown: 'converted.yaml', cwd: ROOT, profiles: [], env: {}, pickPort: picker() });
      expect(plain(again.config)).toEqual(plain(config));
    },
  );

  it.each(['slacklinker', 'osrd', 'izanami'])('round-trips the process-compose sample %s (another tool\'s file, through its reader)', async (name) => {
    const path = join(ROOT, 'test/fixtures/process-compose-samples', name, 'process-compose.yaml');
    const { config } = await loadConfigWithSource({ file: path, cwd: ROOT, profiles: [], env: {}, pickPort: picker() });
    const text = specToYaml(config);
    const again = await loadConfigText(text, { path: join(config.dir, 'services.yaml'), shown: 'services.yaml', cwd: ROOT, profiles: [], env: {}, pickPort: picker() });
    expect(plain(again.config)).toEqual(plain(config));
  });

  it('round-trips every key, with defaults left out, picked ports as auto and references, $ kept literal', async () => {
    writeFileSync(join(loader.dir, '.env'), 'FROM_FILE=one\nSECRET_TOKEN=abc\n');
    const yaml = `
name: every-key
env_file: .env
env: { SHARED: "x", PRICE: "$$5" }
services:
  db:
    image: postgres:16
    ports: ["5432", "127.0.0.1:15433:5433", "0.0.0.0::6000/udp"]
    volumes: ["./data:/var/lib/postgresql/data", "named:/x:ro"]
    entrypoint: [docker-entrypoint.sh]
    command: postgres -c fsync=off
    keep: true
    healthcheck: { exec: pg_isready, interval: 2s, retries: 30, start_period: 5s }
  builder:
    build: { context: ./web, dockerfile: Dockerfile.dev, args: { A: "1" }, target: dev }
    profiles: [full]
    watch: { action: rebuild, debounce: 1s, ignore: ["*.md"] }
  api:
    command: ["node", "server.js", "--port", "\${port}"]
    cwd: ./api
    port: auto
    env:
      DB_URL: postgres://u:p@127.0.0.1:\${services.db.ports.5432}/db
      LITERAL: "a$$b"
      EMPTY: ""
    depends_on: { db: healthy, migrate: completed }
    healthcheck: { http: /health, timeout: 500ms, start_interval: 50ms }
    restart: always
    max_restarts: 0
    stop_signal: INT
    stop_timeout: 3s
    watch: { paths: [api/src, package.json], restart_dependents: true }
  migrate:
    command: echo migrate \${services.api.port}
    depends_on: [db]
  fixed:
    command: node fixed.js
    port: 18080
    healthcheck: { tcp: 18080 }
`;
    const a = await loader.load(yaml);
    const envFiles = a.envFiles.map((path) => ({ path, vars: parseEnvFile('FROM_FILE=one\nSECRET_TOKEN=abc\n').vars }));
    const text = specToYaml(a, { dir: loader.dir, envFiles });
    const b = await loader.load(text);
    expect(plain(b)).toEqual(plain(a));
    // msdev's spelling, defaults and what msdev adds by itself left out.
    expect(text).not.toMatch(/MSDEV_|API_URL|DB_PORT|max_restarts: 5|interval: 1s|restart: on-failure/);
    expect(text).toContain('port: auto');
    expect(text).toContain('port: 18080');
    expect(text).toContain('ports: ["5432", "15433:5433", 0.0.0.0::6000/udp]');
    expect(text).toContain('DB_URL: postgres://u:p@127.0.0.1:${services.db.ports.5432}/db');
    expect(text).toContain('LITERAL: a$$b');
    expect(text).toContain('PRICE: $$5');
    expect(text).toContain('env_file: ./.env');
    expect(text).not.toContain('FROM_FILE');
    expect(text).toContain('depends_on: [db]');
    expect(text).toContain('name: every-key');
  });

  it('writes fixed numbers when the config has no source (built by hand)', async () => {
    const a = await loader.load('services:\n  web: { command: "node w.js", port: auto }\n');
    const text = specToYaml({ ...a }, { dir: loader.dir });
    expect(text).toMatch(/port: 4100\d/);
  });
});
