import { describe, expect, it } from 'vitest';
import { MAX_MATCHED_CHARS, createLogMatcher } from './log-matcher.js';

describe('createLogMatcher', () => {
  it('runs ordinary patterns directly, with the linear-time fallback', () => {
    const m = createLogMatcher('listening on port \\d+');
    expect(m.linear).toBe(true);
    expect(m.test(['booting', 'listening on port 3000'])).toBe('match');
    expect(m.test(['booting'])).toBe('none');
  });

  it('falls back to linear time on a catastrophic line (about a minute for plain backtracking)', () => {
    const m = createLogMatcher('(a+)+$');
    expect(m.test([`${'a'.repeat(28)}b`])).toBe('none');
    expect(m.test(['xaaa'])).toBe('match');
  });

  it('runs patterns the linear engine cannot (lookarounds, backreferences, large counts) under a time budget', () => {
    for (const p of ['ready(?! soon)', '(\\w)\\1', '[0-9a-f]{32}']) expect(createLogMatcher(p).linear).toBe(false);
    const m = createLogMatcher('ready(?! soon)');
    expect(m.test(['ready soon', 'ready now'])).toBe('match');
    expect(m.test(['ready soon'])).toBe('none');
    expect(createLogMatcher('(a|aa)+\\1$').test([`${'a'.repeat(100)}b`])).toBe('too-slow');
  });

  it('looks at the first MAX_MATCHED_CHARS of a line only', () => {
    const m = createLogMatcher('READY');
    expect(m.test([`${'x'.repeat(MAX_MATCHED_CHARS - 5)}READY`])).toBe('match');
    expect(m.test([`${'x'.repeat(MAX_MATCHED_CHARS)}READY`])).toBe('none');
    expect(createLogMatcher('(?<!x)READY').test([`${'x'.repeat(MAX_MATCHED_CHARS)}READY`])).toBe('none');
  });

  it('throws on an invalid pattern', () => {
    expect(() => createLogMatcher('(')).toThrow(SyntaxError);
  });
});
