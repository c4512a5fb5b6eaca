// scripts/lib/ansi-svg.mjs turns `tmux capture-pane -p -e` output into the README's SVG picture of the
// TUI: SGR colours and attributes, the DEC line-drawing set inside an ACS shift, and XML escaping.
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ansiToSvg, parseAnsi, xterm256 } from '../scripts/lib/ansi-svg.mjs';

const ESC = '\x1b';
/** The <text> elements of an SVG. */
const texts = (svg: string): string[] => svg.match(/<text [^>]*>[^<]*<\/text>/g) ?? [];

describe('parseAnsi', () => {
  it.each([
    ['30–37 and 40–47', `${ESC}[31;42mx`, { fg: '#cd3131', bg: '#0dbc79' }],
    ['90–97 and 100–107', `${ESC}[90;104mx`, { fg: '#767676', bg: '#3b8eea' }],
    ['38;5;N and 48;5;N', `${ESC}[38;5;208;48;5;236mx`, { fg: '#ff8700', bg: '#303030' }],
    ['38;2;R;G;B', `${ESC}[38;2;1;2;255mx`, { fg: '#0102ff', bg: null }],
    ['1 bold, 2 dim, 7 reverse', `${ESC}[1;2;7mx`, { bold: true, dim: true, reverse: true }],
    ['22 and 27 undo them', `${ESC}[1;2;7m${ESC}[22;27mx`, { bold: false, dim: false, reverse: false }],
    ['39 and 49 reset the colours', `${ESC}[31;41m${ESC}[39;49mx`, { fg: null, bg: null }],
    ['0 resets everything', `${ESC}[1;7;31;41m${ESC}[0mx`, { fg: null, bg: null, bold: false, reverse: false }],
    ['an empty SGR is 0', `${ESC}[31m${ESC}[mx`, { fg: null }],
  ])('%s', (_name, input, want) => {
    expect(parseAnsi(input)[0]?.[0]).toMatchObject({ ch: 'x', ...want });
  });

  it('maps the DEC special graphics set back to box drawing inside an ACS shift (SO … SI), across lines', () => {
    const grid = parseAnsi('\x0elqk\x0f lqk\n\x0ex\x0fx\n\x0emqj');
    expect(grid.map((row) => row.map((c) => c.ch).join(''))).toEqual(['┌─┐ lqk', '│x', '└─┘']);
    expect(parseAnsi(`${ESC}(0tvuwn~${ESC}(Bq`)[0]?.map((c) => c.ch).join('')).toBe('├┴┤┬┼·q');
  });

  it('keeps colours from one line to the next, as tmux emits only changes, and skips other escapes', () => {
    const grid = parseAnsi(`${ESC}[32mab\ncd${ESC}[2J${ESC}]0;title\x07e`);
    expect(grid[1]?.map((c) => [c.ch, c.fg])).toEqual([['c', '#0dbc79'], ['d', '#0dbc79'], ['e', '#0dbc79']]);
  });

  it('gives a wide character two cells', () => {
    expect(parseAnsi('日x')[0]?.map((c) => c.ch)).toEqual(['日', '', 'x']);
  });
});

describe('xterm256', () => {
  it.each([
    [1, '#cd3131'],
    [16, '#000000'],
    [21, '#0000ff'],
    [196, '#ff0000'],
    [231, '#ffffff'],
    [232, '#080808'],
    [255, '#eeeeee'],
  ])('%i is %s', (n, colour) => expect(xterm256(n)).toBe(colour));
});

describe('ansiToSvg', () => {
  it('draws each run of cells with the same attributes as one <text> with its fill, on an 8.4×17 grid', () => {
    const svg = ansiToSvg(`ab${ESC}[1;33mcd${ESC}[22mef${ESC}[0m gh`);
    expect(texts(svg)).toEqual([
      '<text x="12" y="25.26" textLength="16.8">ab</text>',
      '<text x="28.8" y="25.26" textLength="16.8" fill="#e5e510" font-weight="bold">cd</text>',
      '<text x="45.6" y="25.26" textLength="16.8" fill="#e5e510">ef</text>',
      '<text x="70.8" y="25.26" textLength="16.8">gh</text>',
    ]);
    expect(ansiToSvg('a\nb')).toContain('<text x="12" y="42.26" textLength="8.4">b</text>');
  });

  it('draws non-default backgrounds as rectangles, reverse as swapped colours, dim as lower opacity', () => {
    const svg = ansiToSvg(`${ESC}[44m  x ${ESC}[49m${ESC}[7;31my${ESC}[0m${ESC}[2mz`);
    expect(svg).toContain('<rect x="12" y="12" width="33.6" height="17" fill="#2472c8"/>');
    expect(svg).toContain('<rect x="45.6" y="12" width="8.4" height="17" fill="#cd3131"/>');
    expect(texts(svg)).toContain('<text x="45.6" y="25.26" textLength="8.4" fill="#1e1e1e">y</text>');
    expect(texts(svg)).toContain('<text x="54" y="25.26" textLength="8.4" fill-opacity="0.6">z</text>');
  });

  it('escapes text for XML and gives a well-formed document', () => {
    const svg = ansiToSvg(`<a href="x">&'</a>`, { title: 'a & b' });
    expect(svg).toContain('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(XMLValidator.validate(svg)).toBe(true);
  });

  it('draws box-drawing characters as joined lines, not text', () => {
    const svg = ansiToSvg('\x0elqqk\x0f\n\x0ex\x0f  \x0ex\x0f\n\x0emqqj\x0f');
    expect(texts(svg)).toEqual([]);
    expect(svg).toContain('<path d="M16.2 20.5H41.4M16.2 20.5V54.5M41.4 20.5V54.5M16.2 54.5H41.4" stroke="#cccccc"/>');
  });

  it('sizes the picture from cols and rows', () => {
    expect(ansiToSvg('x', { cols: 120, rows: 32 })).toMatch(/^<svg [^>]*width="1032" height="568"/);
  });
});
