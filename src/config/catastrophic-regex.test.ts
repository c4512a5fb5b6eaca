import { describe, expect, it } from 'vitest';
import { nestedRepetition } from './catastrophic-regex.js';

describe('nestedRepetition', () => {
  it.each([
    ['(a+)+$', '(a+)+'],
    ['^(a*)*b', '(a*)*'],
    ['(\\w+\\s?)+$', '(\\w+\\s?)+'],
    ['x(?:y*z*)+?', '(?:y*z*)+?'],
    ['((ab)+)+c', '((ab)+)+'],
    ['^(\\s*\\S+)*$', '(\\s*\\S+)*'],
    ['(x+x+)+y', '(x+x+)+'],
    ['(?<word>[a-z]+){2,}', '(?<word>[a-z]+){2,}'],
    ['ready|(.*)*', '(.*)*'],
    ['(?=(a+)+b)', '(a+)+'],
    ['((a+))+', '((a+))+'],
  ])('finds %s', (pattern, part) => {
    expect(nestedRepetition(pattern)).toBe(part);
  });

  it.each([
    'listening on port \\d+',
    '^Server ready',
    '(\\d+\\.)+\\d+',
    '(a|aa)+$',
    '(?:\\s*,\\s*\\w+)*',
    '(ab*)+',
    '[(a+)+]',
    '\\(a+\\)+',
    '(a{1,3})+',
    '(a+){3}',
    '(?:[0-9a-f]{8}-){4}[0-9a-f]{12}',
    'a{2,}b+',
    '(a)\\1+',
    '',
  ])('leaves %s alone', (pattern) => {
    expect(nestedRepetition(pattern)).toBeNull();
  });
});
