import { describe, expect, it } from 'vitest';
import { TextLines } from './image-build.js';

describe('TextLines', () => {
  it('cuts streamed text into lines, keeping a partial line for the next chunk', () => {
    const t = new TextLines();
    expect(t.push('Step 1/2 : FROM x')).toEqual([]);
    expect(t.push('\n')).toEqual(['Step 1/2 : FROM x']);
    expect(t.push(' ---> abc\r\nline two\n\nrest')).toEqual([' ---> abc', 'line two', '']);
    expect(t.flush()).toEqual(['rest']);
    expect(t.flush()).toEqual([]);
  });
});
