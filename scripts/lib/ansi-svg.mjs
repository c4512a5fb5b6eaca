// Turns a terminal screen captured with colours (`tmux capture-pane -p -e`: text with SGR escapes,
// and the DEC special graphics set between SO and SI for line drawing) into an SVG picture: a
// monospace grid on a dark background, one <text> per run of cells with the same attributes,
// rectangles for non-default backgrounds, and box-drawing characters drawn as lines so borders join.

/** The 16 basic colours (a dark theme close to VS Code's terminal): 0–7 normal, 8–15 bright. */
const BASIC = [
  '#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5',
  '#767676', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff',
];
const DEFAULT_FG = '#cccccc';
const DEFAULT_BG = '#1e1e1e';

/** Two hex digits for 0–255. */
const hex2 = (n) => n.toString(16).padStart(2, '0');

/** The colour of xterm-256 index n: the 16 basic ones, the 6×6×6 cube, then 24 greys. */
export function xterm256(n) {
  if (n < 16) return BASIC[n];
  if (n < 232) {
    const level = (v) => (v === 0 ? 0 : 55 + v * 40);
    const i = n - 16;
    return `#${hex2(level(Math.floor(i / 36)))}${hex2(level(Math.floor(i / 6) % 6))}${hex2(level(i % 6))}`;
  }
  const g = 8 + (n - 232) * 10;
  return `#${hex2(g)}${hex2(g)}${hex2(g)}`;
}

/** The DEC special graphics set: what an ASCII letter means inside an ACS shift (SO … SI or ESC ( 0). */
const DEC_GRAPHICS = {
  '`': '◆', a: '▒', f: '°', g: '±', j: '┘', k: '┐', l: '┌', m: '└', n: '┼', o: '⎺', p: '⎻',
  q: '─', r: '⎼', s: '⎽', t: '├', u: '┤', v: '┴', w: '┬', x: '│', y: '≤', z: '≥', '{': 'π',
  '|': '≠', '}': '£', '~': '·',
};

/** Whether a code point takes two cells (East Asian wide and emoji ranges, roughly). */
function isWide(cp) {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** The attributes of a cell with nothing set. */
const PLAIN = Object.freeze({ fg: null, bg: null, bold: false, dim: false, reverse: false });

/** The attributes after one SGR sequence's parameters (`1;38;5;208`); unknown codes are ignored. */
function applySgr(attrs, params) {
  const a = { ...attrs };
  const p = params === '' ? [0] : params.split(/[;:]/).map((s) => (s === '' ? 0 : Number(s)));
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === 0) Object.assign(a, PLAIN);
    else if (c === 1) a.bold = true;
    else if (c === 2) a.dim = true;
    else if (c === 7) a.reverse = true;
    else if (c === 22) a.bold = a.dim = false;
    else if (c === 27) a.reverse = false;
    else if (c >= 30 && c <= 37) a.fg = BASIC[c - 30];
    else if (c === 39) a.fg = null;
    else if (c >= 40 && c <= 47) a.bg = BASIC[c - 40];
    else if (c === 49) a.bg = null;
    else if (c >= 90 && c <= 97) a.fg = BASIC[c - 90 + 8];
    else if (c >= 100 && c <= 107) a.bg = BASIC[c - 100 + 8];
    else if (c === 38 || c === 48) {
      let colour = null;
      if (p[i + 1] === 5 && p[i + 2] !== undefined) {
        colour = xterm256(p[i + 2] & 255);
        i += 2;
      } else if (p[i + 1] === 2 && p[i + 4] !== undefined) {
        colour = `#${hex2(p[i + 2] & 255)}${hex2(p[i + 3] & 255)}${hex2(p[i + 4] & 255)}`;
        i += 4;
      }
      if (colour !== null) a[c === 38 ? 'fg' : 'bg'] = colour;
    }
  }
  return a;
}

/**
 * The screen as rows of cells `{ ch, fg, bg, bold, dim, reverse }` (fg/bg null = the default). SGR
 * and the ACS shift carry over from one line to the next, as tmux emits only changes; other escape
 * sequences (cursor moves, OSC) are skipped; a wide character's second cell has ch ''.
 */
export function parseAnsi(text) {
  const rows = [];
  let attrs = { ...PLAIN };
  let acs = false;
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const row = [];
    for (let i = 0; i < line.length; ) {
      const ch = line[i];
      if (ch === '\x1b') {
        const rest = line.slice(i);
        const csi = /^\x1b\[([0-9;:?]*)([@-~])/.exec(rest);
        const osc = /^\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/.exec(rest);
        const charset = /^\x1b\(([0B])/.exec(rest);
        if (csi) {
          if (csi[2] === 'm') attrs = applySgr(attrs, csi[1]);
          i += csi[0].length;
        } else if (osc) i += osc[0].length;
        else if (charset) {
          acs = charset[1] === '0';
          i += charset[0].length;
        } else i += 2;
        continue;
      }
      if (ch === '\x0e' || ch === '\x0f') {
        acs = ch === '\x0e';
        i++;
        continue;
      }
      const cp = line.codePointAt(i);
      const s = String.fromCodePoint(cp);
      i += s.length;
      if (cp < 0x20 || cp === 0x7f) continue;
      const shown = acs && DEC_GRAPHICS[s] !== undefined ? DEC_GRAPHICS[s] : s;
      row.push({ ch: shown, ...attrs });
      if (isWide(cp)) row.push({ ch: '', ...attrs });
    }
    rows.push(row);
  }
  return rows;
}

/** Box-drawing characters drawn as lines: which of left, right, up, down each one reaches. */
const BOX = {
  '─': 'lr', '│': 'ud', '┌': 'rd', '┐': 'ld', '└': 'ru', '┘': 'lu',
  '├': 'udr', '┤': 'udl', '┬': 'lrd', '┴': 'lru', '┼': 'lrud',
};

/** Text safe inside an XML element or a double-quoted attribute. */
function escapeXml(s) {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

/** Whether a cell puts a glyph in the text (not a blank, a wide character's second half or a line). */
const drawn = (cell) => cell.ch !== ' ' && cell.ch !== '' && BOX[cell.ch] === undefined;

/** A number for an attribute: at most two decimals, no trailing zeros. */
const num = (n) => String(Math.round(n * 100) / 100);

/** Paths for line segments, with touching segments on the same line and in the same style joined into one. */
function mergeSegments(segments) {
  const groups = new Map();
  for (const s of segments) {
    const key = `${s.style}|${s.horizontal}|${num(s.at)}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(s);
  }
  const byStyle = new Map();
  for (const group of groups.values()) {
    group.sort((a, b) => a.from - b.from);
    const merged = [];
    for (const s of group) {
      const last = merged.at(-1);
      if (last !== undefined && s.from <= last.to + 0.01) last.to = Math.max(last.to, s.to);
      else merged.push({ ...s });
    }
    for (const s of merged) {
      const d = s.horizontal ? `M${num(s.from)} ${num(s.at)}H${num(s.to)}` : `M${num(s.at)} ${num(s.from)}V${num(s.to)}`;
      byStyle.set(s.style, (byStyle.get(s.style) ?? '') + d);
    }
  }
  return [...byStyle].map(([style, d]) => `<path d="${d}" ${style}/>`);
}

/** The colours and weight a cell is drawn with (reverse swaps foreground and background). */
function look(cell) {
  let fg = cell.fg ?? DEFAULT_FG;
  let bg = cell.bg;
  if (cell.reverse) [fg, bg] = [bg ?? DEFAULT_BG, cell.fg ?? DEFAULT_FG];
  return { fg, bg, bold: cell.bold, dim: cell.dim };
}

/**
 * An SVG of the captured screen. Options: cellWidth (8.4), cellHeight (17), fontSize (14), padding (12),
 * title (an accessible <title>), cols and rows (the grid size; by default the longest line and the line count).
 */
export function ansiToSvg(text, options = {}) {
  const { cellWidth = 8.4, cellHeight = 17, fontSize = 14, padding = 12, title = 'terminal' } = options;
  const grid = parseAnsi(text);
  const cols = options.cols ?? Math.max(1, ...grid.map((r) => r.length));
  const rowCount = options.rows ?? grid.length;
  const width = cols * cellWidth + 2 * padding;
  const height = rowCount * cellHeight + 2 * padding;
  const x = (col) => num(padding + col * cellWidth);
  const y = (row) => num(padding + row * cellHeight);
  const backgrounds = [];
  const segments = [];
  const texts = [];
  grid.slice(0, rowCount).forEach((row, r) => {
    // Background rectangles: one per run of cells with the same non-default background.
    for (let c = 0; c < row.length && c < cols; ) {
      const bg = look(row[c]).bg;
      let end = c + 1;
      while (end < row.length && end < cols && look(row[end]).bg === bg) end++;
      if (bg !== null) backgrounds.push(`<rect x="${x(c)}" y="${y(r)}" width="${num((end - c) * cellWidth)}" height="${cellHeight}" fill="${bg}"/>`);
      c = end;
    }
    // Box-drawing characters as line segments from the cell's centre to the edges it reaches.
    row.forEach((cell, c) => {
      const reach = BOX[cell.ch];
      if (reach === undefined || c >= cols) return;
      const { fg, dim } = look(cell);
      const style = `stroke="${fg}"${dim ? ' stroke-opacity="0.6"' : ''}`;
      const [cx, cy] = [padding + (c + 0.5) * cellWidth, padding + (r + 0.5) * cellHeight];
      const [left, top] = [padding + c * cellWidth, padding + r * cellHeight];
      if (reach.includes('l') || reach.includes('r'))
        segments.push({ style, horizontal: true, at: cy, from: reach.includes('l') ? left : cx, to: reach.includes('r') ? left + cellWidth : cx });
      if (reach.includes('u') || reach.includes('d'))
        segments.push({ style, horizontal: false, at: cx, from: reach.includes('u') ? top : cy, to: reach.includes('d') ? top + cellHeight : cy });
    });
    // Text: one <text> per run of cells that look the same; runs of blanks and box characters are skipped.
    for (let c = 0; c < row.length && c < cols; ) {
      const key = JSON.stringify(look(row[c]));
      let end = c + 1;
      while (end < row.length && end < cols && JSON.stringify(look(row[end])) === key) end++;
      const run = row.slice(c, end);
      if (run.some(drawn)) {
        const first = run.findIndex(drawn);
        const last = run.length - 1 - [...run].reverse().findIndex(drawn);
        const { fg, bold, dim } = look(row[c]);
        const attrs = `${fg !== DEFAULT_FG ? ` fill="${fg}"` : ''}${bold ? ' font-weight="bold"' : ''}${dim ? ' fill-opacity="0.6"' : ''}`;
        const content = run.slice(first, last + 1).map((cell) => (BOX[cell.ch] === undefined ? cell.ch : ' ')).join('');
        const chars = run.slice(first, last + 1).length;
        texts.push(`<text x="${x(c + first)}" y="${num(padding + r * cellHeight + cellHeight * 0.78)}" textLength="${num(chars * cellWidth)}"${attrs}>${escapeXml(content)}</text>`);
      }
      c = end;
    }
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" rx="6" fill="${DEFAULT_BG}"/>`,
    `<g shape-rendering="crispEdges">${backgrounds.join('')}</g>`,
    `<g stroke-width="1" fill="none">${mergeSegments(segments).join('')}</g>`,
    `<g font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace" font-size="${fontSize}" fill="${DEFAULT_FG}" xml:space="preserve" style="white-space: pre">`,
    ...texts,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
