import { describe, expect, it } from 'vitest';
import { LineBatch } from './line-batch.js';

describe('LineBatch', () => {
  it('splits on demand and keeps the text', () => {
    const batch = new LineBatch('a\n\nc');
    expect(batch.text).toBe('a\n\nc');
    expect(batch.lines).toEqual(['a', '', 'c']);
    expect(LineBatch.of(['x', 'y']).text).toBe('x\ny');
  });

  it.each([
    ['a\nb\nc\nd', 2, ['c', 'd']],
    ['a\nb', 5, ['a', 'b']],
    ['only', 1, ['only']],
    ['a\n\n', 2, ['', '']],
    ['a\nb\nc', 3, ['a', 'b', 'c']],
  ] as const)('last(%j, %i) without a split', (text, n, expected) => {
    expect(new LineBatch(text).last(n)).toEqual(expected);
    expect(LineBatch.of(text.split('\n')).last(n)).toEqual(expected);
  });
});
