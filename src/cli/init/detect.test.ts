// What `msdev init` guesses from a folder, and that every guess loads as a valid services.yaml.
import { afterAll, describe, expect, it } from 'vitest';
import { testLoader } from '../../../test/helpers/config-load.js';
import { detectServices } from './detect.js';
import type { FolderView } from './folder-view.js';
import type { Guess } from './guess.js';
import { renderYaml } from './render-yaml.js';

const loader = testLoader('msdev-init-detect-');
afterAll(() => loader.remove());

/** The guesses for files, checked to load as a services.yaml. */
async function guessAndLoad(files: Record<string, string>): Promise<Record<string, Guess>> {
  const guesses = detectServices(memoryFolder(files), 'proj');
  const text = renderYaml({ header: ['test'], services: guesses.map((g) => ({ name: g.name, comments: g.why, body: g.service })) });
  if (guesses.length > 0) expect(await loader.problems(text)).toEqual([]);
  return Object.fromEntries(guesses.map((g) => [g.name, g]));
}

/** A FolderView over files given as path → text (folders are implied by the paths); for tests. */
function memoryFolder(files: Readonly<Record<string, string>>): FolderView {
  return {
    list(dir) {
      const prefix = dir === '' ? '' : `${dir.replace(/\/$/, '')}/`;
      const names = new Set<string>();
      for (const p of Object.keys(files)) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const slash = rest.indexOf('/');
        names.add(slash < 0 ? rest : rest.slice(0, slash + 1));
      }
      return [...names].filter((n) => n !== 'node_modules/').sort();
    },
    read: (path) => (Object.hasOwn(files, path) ? files[path] : undefined),
  };
}

const pkg = (o: object): string => JSON.stringify(o);

describe('msdev init guesses', () => {
  it('finds nothing in an empty folder', async () => {
    expect(await guessAndLoad({})).toEqual({});
    expect(await guessAndLoad({ 'README.md': '# hi' })).toEqual({});
  });

  it('a package.json dev script of a Next.js app: npm run dev, port auto, GET /', async () => {
    const g = await guessAndLoad({ 'package.json': pkg({ name: '@acme/site', scripts: { dev: 'next dev', start: 'next start' } }) });
    expect(g.site!.service).toEqual({ command: 'npm run dev', port: 'auto', healthcheck: { http: '/' } });
    expect(g.site!.why.join(' ')).toContain('"dev" script');
  });

  it('a start script when there is no dev script; the package manager from the lock file; Vite gets --port', async () => {
    const g = await guessAndLoad({ 'package.json': pkg({ name: 'web', scripts: { start: 'vite' } }), 'pnpm-lock.yaml': '' });
    expect(g.web!.service.command).toBe('pnpm run start -- --port ${port} --strictPort --host 127.0.0.1');
    expect(g.web!.service.port).toBe('auto');
  });

  it('an express server: port auto, http on the health route its code names, else the port check', async () => {
    const withRoute = await guessAndLoad({
      'package.json': pkg({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '4' } }),
      'server.js': "app.get('/healthz', ok); app.listen(process.env.PORT)",
    });
    expect(withRoute.api!.service).toEqual({ command: 'npm start', port: 'auto', healthcheck: { http: '/healthz' } });
    const without = await guessAndLoad({ 'package.json': pkg({ name: 'api', scripts: { start: 'node index.js' } }), 'index.js': 'require("http").createServer(h).listen(process.env.PORT)' });
    expect(without.api!.service).toEqual({ command: 'npm start', port: 'auto' });
    expect(without.api!.why.join(' ')).toContain('accepts a connection');
  });

  it('a script that is not a server gets no port', async () => {
    const g = await guessAndLoad({ 'package.json': pkg({ name: 'tool', scripts: { dev: 'tsc --watch' } }) });
    expect(g.tool!.service).toEqual({ command: 'npm run dev' });
  });

  it('workspace packages, each with a script, as services in their folders; the root script is left out', async () => {
    const g = await guessAndLoad({
      'package.json': pkg({ name: 'mono', workspaces: ['apps/*', 'packages/*'], scripts: { dev: 'turbo dev' } }),
      'yarn.lock': '',
      'apps/web/package.json': pkg({ name: '@mono/web', scripts: { dev: 'next dev' } }),
      'packages/api/package.json': pkg({ name: '@mono/api', scripts: { dev: 'fastify start app.js' } }),
      'packages/lib/package.json': pkg({ name: '@mono/lib', scripts: { build: 'tsc' } }),
    });
    expect(Object.keys(g)).toEqual(['web', 'api']);
    expect(g.web!.service).toMatchObject({ command: 'yarn dev', cwd: './apps/web', port: 'auto' });
    expect(g.api!.service).toMatchObject({ command: 'yarn dev', cwd: './packages/api', port: 'auto' });
    expect(g.web!.why[0]).toContain('root package.json');
  });

  it('a Dockerfile alone: a container built from the folder, EXPOSEd ports on free host ports', async () => {
    const g = await guessAndLoad({ Dockerfile: 'FROM nginx\nEXPOSE 80 443/tcp\nEXPOSE 53/udp\n' });
    expect(g.proj!.service).toEqual({ build: '.', ports: ['80', '443', '53/udp'] });
  });

  it('a Dockerfile beside a package.json: the container only under --profile docker', async () => {
    const g = await guessAndLoad({ 'package.json': pkg({ name: 'app', scripts: { start: 'node server.js' } }), 'server.js': 'x.listen(process.env.PORT)', Dockerfile: 'FROM node\nEXPOSE 3000\n' });
    expect(Object.keys(g)).toEqual(['app', 'app-docker']);
    expect(g['app-docker']!.service).toEqual({ build: '.', ports: ['3000'], profiles: ['docker'] });
  });

  it('Django: runserver on port auto, the admin login as the check', async () => {
    const g = await guessAndLoad({ 'manage.py': 'import django', 'shop/urls.py': 'path("admin/", admin.site.urls)' });
    expect(g.proj!.service).toEqual({ command: 'python3 manage.py runserver 127.0.0.1:${port}', port: 'auto', healthcheck: { http: '/admin/login/' } });
  });

  it('FastAPI and Flask apps', async () => {
    const fast = await guessAndLoad({ 'main.py': 'from fastapi import FastAPI\napi = FastAPI()\n' });
    expect(fast.proj!.service).toEqual({ command: 'uvicorn main:api --host 127.0.0.1 --port ${port}', port: 'auto', healthcheck: { http: '/docs' } });
    const flask = await guessAndLoad({ 'app.py': 'from flask import Flask\napp = Flask(__name__)\n@app.route("/health")\n' });
    expect(flask.proj!.service).toEqual({ command: 'flask --app app:app run --host 127.0.0.1 --port ${port}', port: 'auto', healthcheck: { http: '/health' } });
  });

  it('Go, Rust and Rails', async () => {
    const go = await guessAndLoad({ 'go.mod': 'module x', 'main.go': 'package main\nport := os.Getenv("PORT")\nhttp.ListenAndServe(":"+port, nil)' });
    expect(go.proj!.service).toEqual({ command: 'go run .', port: 'auto' });
    const cmds = await guessAndLoad({ 'go.mod': 'module x', 'cmd/api/main.go': 'package main', 'cmd/worker/main.go': 'package main', 'internal/x.go': 'package internal' });
    expect(Object.values(cmds).map((g) => g.service.command)).toEqual(['go run ./cmd/api', 'go run ./cmd/worker']);
    const rust = await guessAndLoad({ 'Cargo.toml': '[dependencies]\naxum = "0.7"\n' });
    expect(rust.proj!.service).toEqual({ command: 'cargo run', port: 'auto' });
    const rails = await guessAndLoad({ Gemfile: 'gem "rails", "~> 7.1"', 'config/routes.rb': 'get "up" => "rails/health#show"' });
    expect(rails.proj!.service).toEqual({ command: 'bin/rails server -b 127.0.0.1 -p ${port}', port: 'auto', healthcheck: { http: '/up' } });
  });

  it('sub-folders when the top has nothing', async () => {
    const g = await guessAndLoad({ 'api/go.mod': 'module api', 'api/main.go': 'package main', 'web/package.json': pkg({ scripts: { dev: 'vite' } }), 'docs/README.md': '' });
    expect(g.api!.service).toEqual({ command: 'go run .', cwd: './api' });
    expect(g.web!.service).toMatchObject({ command: 'npm run dev -- --port ${port} --strictPort --host 127.0.0.1', cwd: './web', port: 'auto' });
  });

  it('loose Node scripts: servers, a worker, a one-shot migration the servers wait for, and dependencies by registry variable', async () => {
    const g = await guessAndLoad({
      'api.mjs': "http.createServer(h).listen(process.env.PORT); if (p === '/health') ok();",
      'gateway-server.mjs': 'const api = process.env.API_URL; http.createServer(h).listen(process.env.PORT);',
      'worker.mjs': 'setInterval(() => fetch(process.env.API_URL), 1000);',
      'migrate.mjs': "import { rows } from './lib.mjs'; writeFileSync('db.json', rows);",
      'lib.mjs': 'export const rows = [];',
      'vite.config.js': 'export default {}',
    });
    expect(Object.keys(g).sort()).toEqual(['api', 'gateway', 'migrate', 'worker']);
    expect(g.api!.service).toEqual({ command: 'node api.mjs', port: 'auto', healthcheck: { http: '/health' }, depends_on: { migrate: 'completed' } });
    expect(g.gateway!.service).toEqual({ command: 'node gateway-server.mjs', port: 'auto', depends_on: { api: 'healthy', migrate: 'completed' } });
    expect(g.worker!.service).toEqual({ command: 'node worker.mjs', depends_on: { api: 'healthy' } });
    expect(g.migrate!.service).toEqual({ command: 'node migrate.mjs', restart: 'no' });
  });

  it('loose Python scripts: a helper module is not a service, but what it does for a script counts', async () => {
    const g = await guessAndLoad({
      'common.py': 'def serve(h):\n    port = int(os.environ["PORT"])\n    HTTPServer(("", port), h).serve_forever()\n\ndef call(url):\n    return urlopen(url)\n',
      'queue_service.py': 'from common import serve\nif p == "/health": ok()\nif __name__ == "__main__":\n    serve(H)\n',
      'notifier.py': 'from common import (call,\n    x)\nQUEUE_URL = 1\nwhile True:\n    call(QUEUE_URL)\n',
      'seed.py': 'from common import call\ncall(os.environ["QUEUE_URL"])\n',
      'test_queue.py': 'def test(): pass',
    });
    expect(Object.keys(g)).toEqual(['notifier', 'queue', 'seed']);
    expect(g.queue!.service).toEqual({ command: 'python3 -u queue_service.py', port: 'auto', healthcheck: { http: '/health' } });
    expect(g.notifier!.service).toEqual({ command: 'python3 -u notifier.py', depends_on: { queue: 'healthy' } });
    expect(g.seed!.service).toEqual({ command: 'python3 -u seed.py', restart: 'no', depends_on: { queue: 'healthy' } });
  });

  it('two services naming each other: the edge that would close a cycle is left out', async () => {
    const g = await guessAndLoad({
      'a.js': 'process.env.B_URL; server.listen(process.env.PORT)',
      'b.js': 'process.env.A_URL; server.listen(process.env.PORT)',
    });
    expect(g.a!.service.depends_on).toEqual({ b: 'healthy' });
    expect(g.b!.service.depends_on).toBeUndefined();
  });
});
