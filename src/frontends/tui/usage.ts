// Memory as the TUI's list shows it (the figures come from the stack's usage(), every 2 s).

/** Memory as short text: `812K`, `45M`, `1.2G`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}K`;
  if (bytes < 1024 * 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))}M`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)}G`;
}
