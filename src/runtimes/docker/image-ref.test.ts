import { describe, expect, it } from 'vitest';
import { builtImageName, withDefaultTag } from './image-ref.js';

describe('withDefaultTag', () => {
  it.each([
    ['redis', 'redis:latest'],
    ['postgres:16', 'postgres:16'],
    ['ghcr.io/a/b', 'ghcr.io/a/b:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost:5000/app:2', 'localhost:5000/app:2'],
    ['redis@sha256:abc', 'redis@sha256:abc'],
  ])('%s → %s', (ref, expected) => {
    expect(withDefaultTag(ref)).toBe(expected);
  });
});

describe('builtImageName', () => {
  it.each([
    ['shop', 'web', 'shop-web'],
    ['My Shop', 'Web_API', 'my-shop-web_api'],
    ['-x-', 'y.', 'x--y'],
    ['a..b', 'c__d', 'a-b-c__d'],
    ['a', '___b', 'a-b'],
    ['é', '!', 'msdev-image'],
  ])('%s + %s → %s', (project, service, expected) => {
    expect(builtImageName(project, service)).toBe(expected);
    expect(expected).toMatch(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/);
  });
});
