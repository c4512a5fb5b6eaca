// Types for ansi-svg.mjs, so the TypeScript tests can import it.

/** One cell of the screen: its character ('' for a wide character's second half) and attributes (null = the default colour). */
export interface Cell {
  readonly ch: string;
  readonly fg: string | null;
  readonly bg: string | null;
  readonly bold: boolean;
  readonly dim: boolean;
  readonly reverse: boolean;
}

/** How ansiToSvg lays out the grid. */
export interface SvgOptions {
  readonly cellWidth?: number;
  readonly cellHeight?: number;
  readonly fontSize?: number;
  readonly padding?: number;
  readonly title?: string;
  readonly cols?: number;
  readonly rows?: number;
}

/** The colour of xterm-256 index n as #rrggbb. */
export function xterm256(n: number): string;

/** The screen as rows of cells. */
export function parseAnsi(text: string): Cell[][];

/** An SVG of the captured screen. */
export function ansiToSvg(text: string, options?: SvgOptions): string;
