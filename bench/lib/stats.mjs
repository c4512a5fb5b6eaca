// Medians, number formatting and tables (markdown tables, printed as-is to stdout and RESULTS.md).

/** The median of the finite numbers in values (NaN when there are none). */
export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** The largest finite number in values (NaN when there are none). */
export function max(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length === 0 ? NaN : Math.max(...v);
}

/** Milliseconds as `123 ms` or `4.56 s`. */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A rate in lines per second as `1.23 M/s` or `456 k/s`. */
export function fmtRate(perSec) {
  if (!Number.isFinite(perSec)) return 'n/a';
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)} M/s`;
  if (perSec >= 1e3) return `${Math.round(perSec / 1e3)} k/s`;
  return `${Math.round(perSec)}/s`;
}

/** Megabytes as `45.6 MB`. */
export function fmtMb(mb) {
  return Number.isFinite(mb) ? `${mb.toFixed(1)} MB` : 'n/a';
}

/** Mebibytes (KiB / 1024, as /proc reports them) as `45.6 MiB`. */
export function fmtMiB(mib) {
  return Number.isFinite(mib) ? `${mib.toFixed(1)} MiB` : 'n/a';
}

/** A ratio as `2.34×`. */
export function fmtX(x) {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a';
}

/** An integer with thousands separators. */
export function fmtInt(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

/** A markdown table with padded columns. rows: arrays of cells (strings or numbers). */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c).replaceAll('|', '\\|')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

/** The p-th percentile (0–100, nearest rank) of the finite numbers in values (NaN when there are none). */
export function percentile(values, p) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.min(v.length, Math.max(1, Math.ceil((p / 100) * v.length))) - 1];
}
