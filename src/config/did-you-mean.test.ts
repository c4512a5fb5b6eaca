import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './did-you-mean.js';

describe('did you mean', () => {
  it.each([
    ['comand', 'command'],
    ['depends-on', 'depends_on'],
    ['helthcheck', 'healthcheck'],
    ['dbb', 'db'],
    ['PORT', 'port'],
    ['stop', 'stop_signal'],
    ['zzzzzz', undefined],
  ])('%s → %s', (word, match) => {
    expect(closest(word, ['command', 'depends_on', 'healthcheck', 'db', 'port', 'stop_signal', 'stop_timeout'])).toBe(match);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('ipmage', 'image')).toBe(1);
    expect(editDistance('imgae', 'image')).toBe(1);
  });
});
