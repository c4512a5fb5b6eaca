// CPU% and memory of a service as the list shows them (sampled by the stack's usage(), every few seconds).

/** What one sample says of one service: CPU in percent of one core since the last sample, resident memory in bytes. */
export interface Usage {
  readonly cpu: number | null;
  readonly rss: number;
}

/** Memory as short text: `812K`, `45M`, `1.2G`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}K`;
  if (bytes < 1024 * 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))}M`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)}G`;
}
