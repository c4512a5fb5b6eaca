import { describe, expect, it } from 'vitest';
import { below, normalized } from './path-below.js';

describe('below', () => {
  it.each([
    ['/a/b', '/a/b', ''],
    ['/a/b', '/a/b/c', 'c'],
    ['/a/b', '/a/b/c/d.js', 'c/d.js'],
    ['/a/b', '/a/bc', null],
    ['/a/b', '/a', null],
    ['/a/b', '/x/a/b/c', null],
    ['/', '/a/b', 'a/b'],
    ['/', '/', ''],
  ])('below(%s, %s) = %s', (dir, p, rel) => {
    expect(below(dir, p)).toBe(rel);
  });
});

describe('normalized', () => {
  it('keeps normal absolute paths as they are and resolves the odd ones', () => {
    expect(normalized('/a/b.c/.d/..e')).toBe('/a/b.c/.d/..e');
    expect(normalized('/')).toBe('/');
    expect(normalized('/a//b')).toBe('/a/b');
    expect(normalized('/a/./b')).toBe('/a/b');
    expect(normalized('/a/x/../b')).toBe('/a/b');
    expect(normalized('/a/b/')).toBe('/a/b');
    expect(normalized('/a/b/..')).toBe('/a');
    expect(normalized('rel')).toBe(`${process.cwd()}/rel`);
  });
});
