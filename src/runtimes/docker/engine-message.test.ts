import { describe, expect, it } from 'vitest';
import { engineMessage } from './engine-message.js';

/** An error shaped like docker-modem's. */
function modemError(message: string, json: unknown): Error {
  return Object.assign(new Error(message), { json });
}

describe('engineMessage', () => {
  it.each([
    ['the JSON message', modemError('(HTTP code 404) no such image - x', { message: 'No such image: x' }), 'No such image: x'],
    ['the text without the HTTP prefix', modemError('(HTTP code 500) server error - Get "https://r/v2/": dial tcp: no such host ', null), 'Get "https://r/v2/": dial tcp: no such host'],
    ['one line', new Error('a\n  b\n'), 'a b'],
    ['not an Error', 'plain', 'plain'],
    ['empty', new Error(''), 'unknown error'],
  ])('%s', (_name, err, expected) => {
    expect(engineMessage(err)).toBe(expected);
  });
});
