import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file.js';

describe('parseEnvFile', () => {
  it('reads dotenv syntax', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED=yes',
      'SPACED = around ',
      'INLINE=val # comment',
      'HASH=a#b',
      'DQ="two\\nlines \\"quoted\\" \\t tab"',
      "SQ='literal \\n $HOME'",
      'MULTI="first',
      'second"',
      'EMPTY=',
      'URL=postgres://u:p@h:5432/db?x=1',
      'PASS_THROUGH',
      'AFTER=1',
    ].join('\n');
    const r = parseEnvFile(text);
    expect(r.errors).toEqual([]);
    expect(r.vars).toEqual({
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'around',
      INLINE: 'val',
      HASH: 'a#b',
      DQ: 'two\nlines "quoted" \t tab',
      SQ: 'literal \\n $HOME',
      MULTI: 'first\nsecond',
      EMPTY: '',
      URL: 'postgres://u:p@h:5432/db?x=1',
      AFTER: '1',
    });
  });

  it('handles CRLF line ends', () => {
    expect(parseEnvFile('A=1\r\nB="2"\r\n').vars).toEqual({ A: '1', B: '2' });
  });

  it('reports lines it cannot read, with their line numbers', () => {
    const r = parseEnvFile('OK=1\nnot a pair\n=x\nQ="open\n');
    expect(r.errors).toEqual([
      { line: 2, message: 'expected KEY=VALUE, got "not a pair"' },
      { line: 3, message: 'expected KEY=VALUE, got "=x"' },
      { line: 4, message: 'unterminated double-quoted value of Q' },
    ]);
    expect(r.vars).toEqual({ OK: '1' });
  });
});
