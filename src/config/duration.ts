// Durations as services.yaml writes them: `250ms`, `2s`, `1m`, `1m30s`, `1h`, or a bare number of seconds.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The accepted forms, for problem messages. */
export const DURATION_FORMS = '250ms, 2s, 1m, 1m30s, 1h, or a number of seconds';

/** The longest duration accepted anywhere (a day): far below Node's timer limit of ~24.8 days, beyond which timers fire at once. */
export const MAX_DURATION_MS = 24 * 3_600_000;

/** MAX_DURATION_MS as messages write it. */
export const MAX_DURATION_TEXT = '24h';

/** Regex source (JSON Schema `pattern`) of a duration string. */
export const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$';

/** Milliseconds of a duration (a number is seconds), or null when it is not one. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const m = part.exec(text);
    if (!m) return null;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = part.lastIndex;
  }
  return Math.round(total);
}

/** The shortest `1m30s`-style spelling of a number of milliseconds (for `msdev config`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 1000 !== 0) return `${ms}ms`;
  let s = ms / 1000;
  let out = '';
  const h = Math.floor(s / 3600);
  if (h) out += `${h}h`;
  s -= h * 3600;
  const m = Math.floor(s / 60);
  if (m) out += `${m}m`;
  s -= m * 60;
  if (s) out += `${s}s`;
  return out;
}
