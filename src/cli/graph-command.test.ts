import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../config/load.js';
import { graphCommand, renderGraph } from './graph-command.js';

const yaml = [
  'name: shop',
  'services:',
  '  db: {image: pg, ports: ["5432"], healthcheck: {exec: pg_isready}}',
  '  migrate: {command: m, depends_on: {db: healthy}}',
  '  api: {command: a, port: auto, depends_on: {migrate: completed, db: healthy}}',
  '  web-app: {command: w, depends_on: [api]}',
  '  extra: {command: e, depends_on: [api], profiles: [full]}',
  '',
].join('\n');

async function config() {
  let p = 40000;
  return (await loadConfigText(yaml, { path: '/p/services.yaml', shown: 'services.yaml', cwd: '/p', profiles: [], env: {}, pickPort: () => Promise.resolve(++p) })).config;
}

describe('renderGraph', () => {
  it('text: one line per active service, numbered by start wave', async () => {
    expect(renderGraph(await config(), 'text')).toBe(
      ['1  db', '2  migrate  needs db (healthy)', '3  api      needs migrate (completed), db (healthy)', '4  web-app  needs api (started)', ''].join('\n'),
    );
  });

  it('dot', async () => {
    expect(renderGraph(await config(), 'dot')).toBe(
      [
        'digraph "shop" {',
        '  rankdir=LR;',
        '  "db";',
        '  "migrate";',
        '  "api";',
        '  "web-app";',
        '  "migrate" -> "db" [label="healthy"];',
        '  "api" -> "migrate" [label="completed"];',
        '  "api" -> "db" [label="healthy"];',
        '  "web-app" -> "api" [label="started"];',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('mermaid', async () => {
    expect(renderGraph(await config(), 'mermaid')).toBe(
      [
        'graph LR',
        '  s0["db"]',
        '  s1["migrate"]',
        '  s2["api"]',
        '  s3["web-app"]',
        '  s1 -->|healthy| s0',
        '  s2 -->|completed| s1',
        '  s2 -->|healthy| s0',
        '  s3 -->|started| s2',
        '',
      ].join('\n'),
    );
  });

  it('returns 2 and prints the problems for a broken file', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const cwd = new URL('../../test/fixtures/config/broken/', import.meta.url).pathname;
    const code = await graphCommand({ file: 'cycle.yaml', profiles: [], color: false, quiet: false, cwd }, 'text', { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('')).toBe('cycle.yaml:4:18: services.api.depends_on: cycle: api -> worker -> api\n');
  });
});
