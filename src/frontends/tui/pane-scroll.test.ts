import { describe, expect, it } from 'vitest';
import type { PaneLine } from './log-store.js';
import { PaneScroll, findMatch, parseSearch, stripSgr } from './pane-scroll.js';
import { highlight } from './render-text.js';

const lines = (...texts: string[]): PaneLine[] => texts.map((text) => ({ source: 'api', text }));

describe('PaneScroll', () => {
  it('follows until scrolled, stays on the same lines while new ones arrive, and follows again at the bottom', () => {
    const s = new PaneScroll();
    expect(s.following).toBe(true);
    s.added(5, 100);
    expect(s.offset).toBe(0);
    s.scroll(10, 100);
    expect([s.offset, s.following]).toEqual([10, false]);
    s.added(5, 100);
    expect(s.offset).toBe(15);
    s.scroll(-20, 100);
    expect(s.following).toBe(true);
  });

  it('stays within the lines there are', () => {
    const s = new PaneScroll();
    s.scroll(500, 30);
    expect(s.offset).toBe(29);
    s.added(10, 30);
    expect(s.offset).toBe(29);
    s.jump('newest', 30);
    expect(s.offset).toBe(0);
    s.jump('oldest', 30);
    expect(s.offset).toBe(29);
    s.set(-3);
    expect(s.offset).toBe(0);
  });
});

describe('findMatch', () => {
  const all = lines('error one', 'ok', 'error two', 'ok', 'ok');
  it.each<[string, number, 'older' | 'newer', number | null]>([
    ['the newest match, the bottom row included', -1, 'older', 2],
    ['the next older match', 2, 'older', 4],
    ['none older than the oldest', 4, 'older', null],
    ['the next newer match', 4, 'newer', 2],
    ['none newer', 2, 'newer', null],
  ])('%s', (_label, from, direction, expected) => {
    expect(findMatch(all, /error/, from, direction)).toBe(expected);
  });

  it('matches the text without its colours', () => {
    expect(findMatch(lines('\u001b[31mer\u001b[39mror'), /error/, -1, 'older')).toBe(0);
  });
});

describe('parseSearch and highlight', () => {
  it('is case-insensitive unless the pattern has a capital, and says why a pattern is bad', () => {
    expect((parseSearch('err') as RegExp).test('ERR')).toBe(true);
    expect((parseSearch('Err') as RegExp).test('err')).toBe(false);
    expect(parseSearch('(')).toMatch(/Invalid regular expression/);
  });

  it('highlights every match, escapes braces and drops colours', () => {
    expect(highlight('\u001b[32m{a} x a\u001b[39m', /a/)).toBe('{open}{black-fg}{yellow-bg}a{/yellow-bg}{/black-fg}{close} x {black-fg}{yellow-bg}a{/yellow-bg}{/black-fg}');
    expect(stripSgr('\u001b[1;31mred\u001b[0m')).toBe('red');
  });
});
