import { describe, expect, it } from 'vitest';
import { formatOfPath } from './config-format.js';

describe('formatOfPath', () => {
  it.each([
    ['services.yaml', 'msdev'],
    ['/x/msdev.yaml', 'msdev'],
    ['dev.yml', 'msdev'],
    ['compose.yaml', 'compose'],
    ['/p/docker-compose.yml', 'compose'],
    ['docker-compose.override.yaml', 'compose'],
    ['compose.dev.yml', 'compose'],
    ['process-compose.yaml', 'process-compose'],
    ['process-compose.override.yml', 'process-compose'],
    ['Procfile', 'procfile'],
    ['Procfile.dev', 'procfile'],
    ['procfile.txt', 'msdev'],
  ])('%s → %s', (path, format) => {
    expect(formatOfPath(path)).toBe(format);
  });
});
