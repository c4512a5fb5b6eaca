// Checks beyond the exit code and the line format, for bugs that still print a well-formed line:
// a merge of an anchor that does not exist (silently dropped), the 1:1 fallback position, and
// durations past Node's timer limit accepted without a word.
import { isAlias, isPair, isScalar, isSeq, parseDocument, visit, type Document } from 'yaml';

/** Node's longest timer (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const TIMER_LIMIT_MS = 2 ** 31 - 1;
const DURATION_KEYS = new Set(['interval', 'timeout', 'start_period', 'stop_timeout', 'debounce']);
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration as SPEC §2 spells it (a number is seconds); null when it is not one. */
export function durationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}

function parsed(text: string): Document | null {
  if (text.length > 50_000) return null;
  try {
    const doc = parseDocument(text, { uniqueKeys: false });
    return doc.errors.length > 0 ? null : doc;
  } catch {
    return null;
  }
}

/** Duration keys under `services` (outside `x-` fields) whose value is past the timer limit; [] when unsure. */
export function overlongDurations(text: string): string[] {
  // Past 2^31-1 ms takes at least 596h, 35792m, 2147484s or 2147483648ms (3+ digits before h, or 5+ digits), or an exponent.
  if (!/\d{3}(?:\.\d*)?h|\d{5}|\de\+?\d/i.test(text)) return [];
  const doc = parsed(text);
  if (!doc) return [];
  const out: string[] = [];
  try {
    visit(doc, {
      Pair(_, pair, path) {
        if (!isScalar(pair.key) || !DURATION_KEYS.has(String(pair.key.value)) || !isScalar(pair.value)) return;
        const keys = path.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
        if (keys[0] !== 'services' || keys.some((k) => k.startsWith('x-'))) return;
        const ms = durationMs(pair.value.value);
        if (ms !== null && ms > TIMER_LIMIT_MS) out.push(String(pair.key.value));
      },
    });
  } catch {
    return [];
  }
  return out;
}

/** Names of `<<: *name` merges under `services` or the top-level `env` whose anchor does not exist; [] when unsure. */
export function unknownMerges(text: string): string[] {
  if (!text.includes('<<')) return [];
  const doc = parsed(text);
  if (!doc) return [];
  try {
    const out: string[] = [];
    visit(doc, {
      Pair(_, pair, path) {
        if (!isScalar(pair.key) || pair.key.value !== '<<' || pair.key.type !== 'PLAIN') return;
        const keys = path.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
        if (keys[0] !== 'services' && keys[0] !== 'env') return;
        if (keys.some((k) => k.startsWith('x-'))) return;
        const items = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const a of items) if (isAlias(a) && a.resolve(doc) === undefined) out.push(a.source);
      },
    });
    return out;
  } catch {
    return [];
  }
}

/**
 * True for an error line placed at 1:1 while it names a key two levels down (`services.api.env`):
 * no such node can start at the first character of the file, so 1:1 is the position lookup's fallback.
 */
export function atFallbackPosition(line: string): boolean {
  return /^[^:\n]*:1:1: [^:\s]+\.[^:\s]+: /.test(line);
}
