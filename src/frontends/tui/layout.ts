// Where each part of the TUI goes for a terminal size: the list beside the logs when the terminal is
// wide, above them when it is narrow. Pure geometry, in cells.

/** A rectangle of the screen. */
export interface Rect {
  readonly top: number;
  readonly left: number;
  readonly width: number;
  readonly height: number;
}

/** The rectangles of the TUI's parts. */
export interface Layout {
  readonly wide: boolean;
  readonly header: Rect;
  readonly list: Rect;
  readonly logs: Rect;
  readonly detail: Rect;
  readonly keys: Rect;
}

/** From this many columns on, the list goes beside the logs. */
export const WIDE_COLUMNS = 120;

/**
 * The layout for a cols×rows terminal with `services` services whose list rows want `rowWidth` cells:
 * header on the first line, detail and key bar on the last two, list and logs (both boxed) between.
 */
export function computeLayout(cols: number, rows: number, services: number, rowWidth: number): Layout {
  const width = Math.max(cols, 20);
  const height = Math.max(rows, 8);
  const header: Rect = { top: 0, left: 0, width, height: 1 };
  const detail: Rect = { top: height - 2, left: 0, width, height: 1 };
  const keys: Rect = { top: height - 1, left: 0, width, height: 1 };
  const body = height - 3;
  // The list box: a border above and below, the column heads, one row a service.
  const listWanted = services + 3;
  if (width >= WIDE_COLUMNS) {
    const listWidth = Math.min(rowWidth + 2, Math.floor(width * 0.5));
    return {
      wide: true,
      header,
      detail,
      keys,
      list: { top: 1, left: 0, width: listWidth, height: body },
      logs: { top: 1, left: listWidth, width: width - listWidth, height: body },
    };
  }
  const listHeight = Math.max(4, Math.min(listWanted, Math.floor(body * 0.45)));
  return {
    wide: false,
    header,
    detail,
    keys,
    list: { top: 1, left: 0, width, height: listHeight },
    logs: { top: 1 + listHeight, left: 0, width, height: body - listHeight },
  };
}
