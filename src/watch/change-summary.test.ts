import { describe, expect, it } from 'vitest';
import type { FileChange } from './change-debouncer.js';
import { describeChanges, listChanges } from './change-summary.js';

const ROOT = '/proj';
const c = (rel: string, kind: FileChange['kind'] = 'change'): FileChange => ({ path: rel.startsWith('/') ? rel : `${ROOT}/${rel}`, kind });

describe('describeChanges', () => {
  it('names the first file relative to the root and counts the rest', () => {
    expect(describeChanges([c('app.js')], ROOT)).toBe('app.js');
    expect(describeChanges([c('src/app.js'), c('a'), c('b'), c('c')], ROOT)).toBe('src/app.js (+3 more)');
    expect(describeChanges([c('app.js', 'unlink')], ROOT)).toBe('app.js (deleted)');
    expect(describeChanges([c('lib', 'addDir')], ROOT)).toBe('lib/');
    expect(describeChanges([c('lib', 'unlinkDir'), c('x')], ROOT)).toBe('lib/ (deleted) (+1 more)');
    expect(describeChanges([c('/shared/util.js')], ROOT)).toBe('../shared/util.js');
    expect(describeChanges([], ROOT)).toBe('no files');
  });

  it('stays one bounded line whatever the names hold', () => {
    const nasty = describeChanges([c('evil\nname\u001b[31m.js')], ROOT);
    expect(nasty).toBe('evil\\nname\\u001b[31m.js');
    const long = describeChanges([c(`${'deep/'.repeat(100)}app.js`), c('x')], ROOT);
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long).toMatch(/^….*\/app\.js \(\+1 more\)$/);
  });

  it('never cuts a surrogate pair in half', () => {
    const text = describeChanges([c(`${'😀'.repeat(60)}.js`)], ROOT);
    expect(text.startsWith('…')).toBe(true);
    expect(text.slice(1).codePointAt(0)).toBe(0x1f600);
  });
});

describe('listChanges', () => {
  it('lists up to max files, then how many more', () => {
    expect(listChanges([c('app.js')], ROOT)).toBe('app.js');
    expect(listChanges([c('app.js'), c('lib/x.js', 'unlink')], ROOT)).toBe('app.js, lib/x.js (deleted)');
    const many = Array.from({ length: 14 }, (_, i) => c(`f${i}.js`));
    expect(listChanges(many, ROOT, 2)).toBe('f0.js, f1.js, … (+12 more)');
    expect(listChanges(many, ROOT)).toBe(`${many.slice(0, 10).map((_, i) => `f${i}.js`).join(', ')}, … (+4 more)`);
  });

  it('is bounded: long names are shortened, control characters escaped', () => {
    const many = Array.from({ length: 50 }, (_, i) => c(`${'x'.repeat(500)}${i}\r.js`));
    const text = listChanges(many, ROOT);
    expect(text).not.toMatch(/[\r\n]/);
    expect(text.length).toBeLessThan(10 * 125 + 30);
  });
});
