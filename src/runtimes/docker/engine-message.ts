// The engine's own words from a dockerode error, on one line.

/**
 * The message of a dockerode/engine error without dockerode's `(HTTP code 500) server error - ` prefix,
 * whitespace (newlines included) collapsed, so it fits in a one-line reason.
 */
export function engineMessage(err: unknown): string {
  let text: string;
  const json = err !== null && typeof err === 'object' && 'json' in err ? err.json : undefined;
  if (json !== null && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    text = (json as { message: string }).message;
  } else if (err instanceof Error) {
    text = err.message.replace(/^\(HTTP code \d+\)[^-]*- /, '');
  } else {
    text = String(err);
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line === '' ? 'unknown error' : line;
}

/** The HTTP status of a failed engine request, or null. */
export function statusOf(err: unknown): number | null {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : null;
}
