// ANSI colours by hand: the service palette and the few styles msdev's own lines use.

/** SGR codes given to services in order of appearance (cyan, yellow, green, magenta, blue, then bright ones). */
export const SERVICE_PALETTE: readonly number[] = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** The SGR code of msdev's own name (grey). */
export const MSDEV_COLOR = 90;

/** SGR codes for msdev's messages and states. */
export const RED = 31;
/** Yellow, for warnings. */
export const YELLOW = 33;
/** Green, for good news (ready). */
export const GREEN = 32;

/** Wraps text in an SGR colour and a reset of the foreground colour. */
export function paint(code: number, text: string): string {
  return `\x1b[${code}m${text}\x1b[39m`;
}

/** The colour of the index-th service. */
export function serviceColor(index: number): number {
  return SERVICE_PALETTE[index % SERVICE_PALETTE.length]!;
}
