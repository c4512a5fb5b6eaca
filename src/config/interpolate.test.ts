import { describe, expect, it } from 'vitest';
import { escapeDollars, expand, isServiceRef, type Resolver } from './interpolate.js';

const vars: Record<string, string> = { A: 'a', EMPTY: '', DOLLAR: 'x$y', TWO: 'p$$q' };
const lookup: Resolver = (name) => (isServiceRef(name) ? { keep: true } : vars[name] === undefined ? undefined : escapeDollars(vars[name]));
const final = (text: string) => {
  const first = expand(text, lookup, true);
  const second = expand(first.text, () => undefined, false);
  return { text: second.text, errors: [...first.errors, ...second.errors] };
};

describe('expand (two passes, environment only)', () => {
  it.each([
    ['plain', 'plain'],
    ['${A}', 'a'],
    ['x${A}y', 'xay'],
    ['${UNSET}', ''],
    ['${UNSET:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${UNSET-def}', 'def'],
    ['${A:-def}', 'a'],
    ['${A:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:-${A}}', 'a'],
    ['${UNSET:-${UNSET2:-deep}}', 'deep'],
    ['$$', '$'],
    ['$${A}', '${A}'],
    ['$$$$', '$$'],
    ['$HOME stays', '$HOME stays'],
    ['cost: 5$', 'cost: 5$'],
    ['${DOLLAR}', 'x$y'],
    ['${TWO}', 'p$$q'],
    ['${A:?must be set}', 'a'],
  ])('%s → %s', (input, out) => {
    expect(final(input)).toEqual({ text: out, errors: [] });
  });

  it.each([
    ['${UNSET:?set it in .env}', 'required variable UNSET is not set: set it in .env'],
    ['${EMPTY:?}', 'required variable EMPTY is empty'],
    ['${UNSET?}', 'required variable UNSET is not set'],
    ['x ${A', 'unterminated "${" in "x ${A": add the closing "}" (write "$$" for a literal "$")'],
    ['${}', 'invalid reference "${}": use ${NAME}, ${NAME:-default} or ${NAME:?message}'],
    ['${A B}', 'invalid reference "${A B}": use ${NAME}, ${NAME:-default} or ${NAME:?message}'],
  ])('%s → problem', (input, message) => {
    expect(final(input).errors).toEqual([message]);
  });

  it('keeps service references for the second pass, escapes intact', () => {
    expect(expand('$$ ${port} ${services.my-db.port} ${A}', lookup, true).text).toBe('$$ ${port} ${services.my-db.port} a');
  });

  it('escapes dollars that come from values in the first pass', () => {
    expect(expand('${DOLLAR}', lookup, true).text).toBe('x$$y');
  });
});
