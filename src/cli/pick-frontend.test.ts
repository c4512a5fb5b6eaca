import { describe, expect, it } from 'vitest';
import { isCi, pickFrontend, type FrontendKind } from './pick-frontend.js';

describe('pickFrontend', () => {
  // json, noTui, stdoutIsTTY, ci → front end
  const table: [boolean, boolean, boolean, boolean, FrontendKind][] = [
    [false, false, true, false, 'tui'],
    [false, true, true, false, 'plain'],
    [false, false, true, true, 'plain'],
    [false, true, true, true, 'plain'],
    [false, false, false, false, 'plain'],
    [false, true, false, false, 'plain'],
    [false, false, false, true, 'plain'],
    [true, false, true, false, 'json'],
    [true, true, true, false, 'json'],
    [true, false, false, false, 'json'],
    [true, false, true, true, 'json'],
    [true, true, false, true, 'json'],
  ];
  it.each(table)('json=%s noTui=%s tty=%s ci=%s → %s', (json, noTui, stdoutIsTTY, ci, expected) => {
    expect(pickFrontend({ json, noTui, stdoutIsTTY, ci })).toBe(expected);
  });
});

describe('isCi', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['FALSE', false],
    ['true', true],
    ['1', true],
    ['True', true],
  ])('CI=%s → %s', (value, expected) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });
});
