// A service's health check: the one probe it names with its timings, or an implicit TCP probe on its port.
import { nestedRepetition } from './catastrophic-regex.js';
import type { HealthcheckSpec } from './model.js';
import { isPort } from './port-spec.js';
import { escapeControls, quote, shorten } from './quote.js';
import type { ProblemList } from './problem-list.js';
import type { RawService } from './schema.js';
import type { Late } from './schema-dsl.js';

/** Timings of the probe msdev adds to a service with a port and no healthcheck. */
export const IMPLICIT_PROBE = { intervalMs: 500, timeoutMs: 1000, retries: 3, startPeriodMs: 0, startIntervalMs: 100 } as const;

/** Defaults of a written healthcheck. */
export const HEALTHCHECK_DEFAULTS = { intervalMs: 1000, timeoutMs: 2000, retries: 3, startPeriodMs: 0, startIntervalMs: 100 } as const;

/** The HealthcheckSpec of a service, or undefined when it has neither a healthcheck nor a port. */
export function normalizeHealthcheck(
  service: string,
  raw: RawService['healthcheck'],
  port: number | undefined,
  s: (v: Late) => string | undefined,
  problems: ProblemList,
): HealthcheckSpec | undefined {
  if (!raw) return port === undefined ? undefined : { kind: 'tcp', target: `127.0.0.1:${port}`, implicit: true, ...IMPLICIT_PROBE };
  const path = ['services', service, 'healthcheck'];
  if (problems.hasUnder(path)) return undefined;
  const intervalMs = raw.interval ?? HEALTHCHECK_DEFAULTS.intervalMs;
  const timing = {
    intervalMs,
    timeoutMs: raw.timeout ?? HEALTHCHECK_DEFAULTS.timeoutMs,
    retries: raw.retries ?? HEALTHCHECK_DEFAULTS.retries,
    startPeriodMs: raw.start_period ?? HEALTHCHECK_DEFAULTS.startPeriodMs,
    // Never slower at start-up than the interval itself: `interval: 50ms` alone probes every 50 ms from the start.
    startIntervalMs: raw.start_interval ?? Math.min(HEALTHCHECK_DEFAULTS.startIntervalMs, intervalMs),
    implicit: false,
  };
  if (raw.http) {
    let url = s(raw.http);
    if (url === undefined) return undefined;
    if (url.startsWith('/')) {
      if (port === undefined) {
        problems.add([...path, 'http'], `${quote(url)} is a path, and ${quote(service)} has no port to put it on; add "port" or write a full URL`);
        return undefined;
      }
      url = `http://127.0.0.1:${port}${url}`;
    }
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
      problems.add([...path, 'http'], `expected an http:// or https:// URL (or a path like /health), got ${quote(url)}`);
      return undefined;
    }
    return { kind: 'http', target: url, ...timing };
  }
  if (raw.tcp !== undefined) {
    const text = typeof raw.tcp === 'number' ? String(raw.tcp) : s(raw.tcp);
    if (text === undefined) return undefined;
    const m = /^(?:(.+):)?(\d+)$/.exec(text.trim());
    if (!m || !isPort(Number(m[2]))) {
      problems.add([...path, 'tcp'], `expected a port or "host:port", got ${quote(text)}`);
      return undefined;
    }
    return { kind: 'tcp', target: `${m[1] ?? '127.0.0.1'}:${Number(m[2])}`, ...timing };
  }
  if (raw.exec) {
    const cmd = s(raw.exec);
    if (cmd === undefined) return undefined;
    if (cmd.trim() === '') {
      problems.add([...path, 'exec'], 'the command is empty');
      return undefined;
    }
    return { kind: 'exec', target: cmd, ...timing };
  }
  if (raw.log) {
    const re = s(raw.log);
    if (re === undefined) return undefined;
    try {
      new RegExp(re);
    } catch (err) {
      problems.add([...path, 'log'], `not a valid regular expression: ${shorten(escapeControls((err as Error).message), 200)}`);
      return undefined;
    }
    const nested = nestedRepetition(re);
    if (nested !== null) {
      problems.add(
        [...path, 'log'],
        `${quote(nested)} repeats a group that is itself only repetition: on a line that almost matches this takes exponential time; repeat once (e.g. "(a+)+" → "a+")`,
      );
      return undefined;
    }
    return { kind: 'log', target: re, ...timing };
  }
  return undefined;
}
