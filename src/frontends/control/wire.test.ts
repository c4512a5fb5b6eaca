// The socket's JSON forms: services, usage and the event stream, rendered and parsed back.
import { describe, expect, it } from 'vitest';
import type { ServiceView, SnapshotEvent, StackEvent } from '../../core/control.js';
import type { LogEvent, MessageEvent, StateEvent } from '../../core/events.js';
import type { ServiceState } from '../../core/states.js';
import { fromWire, parseStreamLine, psEntry, renderLogLine, renderStreamEvent, toWire, usageFromWire, usageToWire } from './wire.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 123);

/** A service view; override what matters. */
function view(over: Partial<ServiceView> = {}): ServiceView {
  return {
    name: 'api',
    kind: 'process',
    state: 'healthy',
    ready: true,
    reason: null,
    probeReason: null,
    healthcheck: 'http',
    pid: 4242,
    container: null,
    port: 8080,
    url: 'http://127.0.0.1:8080',
    restarts: 2,
    userStopped: false,
    startedAt: T0,
    readyAt: T0 + 750,
    recent: ['listening on 8080', 'GET / 200'],
    watch: null,
    ...over,
  };
}

/** The lines of a rendered stream text (each ends with a newline). */
function linesOf(text: string | null): string[] {
  expect(text).not.toBeNull();
  expect(text!.endsWith('\n')).toBe(true);
  return text!.slice(0, -1).split('\n');
}

/** Renders an event and parses its single line back. */
function roundTrip(event: StackEvent): unknown {
  const lines = linesOf(renderStreamEvent(event));
  expect(lines).toHaveLength(1);
  return parseStreamLine(lines[0]!);
}

describe('toWire / fromWire', () => {
  it('round-trips a view (times to the millisecond)', () => {
    for (const v of [
      view(),
      view({ kind: 'container', container: 'msdev-test-db-1', pid: null, healthcheck: null, port: null, url: null, startedAt: null, readyAt: null }),
      view({ state: 'crashed', ready: false, reason: 'exit code 3', probeReason: 'GET /health: 503', userStopped: true, recent: [] }),
    ]) {
      expect(fromWire(toWire(v, T0 + 10_000))).toStrictEqual(v);
    }
  });

  it('uses snake_case keys and ISO times', () => {
    const w = toWire(view(), T0 + 5000);
    expect(w).toMatchObject({ probe_reason: null, user_stopped: false, started_at: '2024-05-01T12:00:00.123Z', ready_at: '2024-05-01T12:00:00.873Z', uptime_ms: 5000 });
    expect(JSON.parse(JSON.stringify(w))).toStrictEqual(w);
  });

  it('health: null without a health check; starting while running or starting with one; healthy / unhealthy as they are', () => {
    const cases: [ServiceState, ServiceView['healthcheck'], string | null][] = [
      ['running', null, null],
      ['healthy', null, null],
      ['starting', null, null],
      ['running', 'http', 'starting'],
      ['starting', 'tcp', 'starting'],
      ['healthy', 'exec', 'healthy'],
      ['unhealthy', 'log', 'unhealthy'],
      ['stopped', 'http', null],
      ['crashed', 'http', null],
      ['pending', 'http', null],
      ['stopping', 'http', null],
      ['completed', 'http', null],
      ['failed', 'http', null],
    ];
    for (const [state, healthcheck, health] of cases) expect([state, healthcheck, toWire(view({ state, healthcheck }), T0).health]).toEqual([state, healthcheck, health]);
  });

  it('uptime_ms: now minus started_at while it runs; null when not running or never started; never negative', () => {
    for (const state of ['starting', 'running', 'healthy', 'unhealthy', 'stopping'] as const) expect(toWire(view({ state }), T0 + 1234).uptime_ms).toBe(1234);
    for (const state of ['pending', 'stopped', 'crashed', 'failed', 'completed'] as const) expect(toWire(view({ state }), T0 + 1234).uptime_ms).toBeNull();
    expect(toWire(view({ state: 'running', startedAt: null }), T0).uptime_ms).toBeNull();
    expect(toWire(view(), T0 - 50).uptime_ms).toBe(0);
  });

  it('a bad time on the wire reads as null', () => {
    const w = { ...toWire(view(), T0), started_at: 'not a date' };
    expect(fromWire(w).startedAt).toBeNull();
  });

  it('psEntry keeps SPEC §3 keys in order', () => {
    const e = psEntry(toWire(view(), T0 + 1));
    expect(Object.keys(e)).toEqual(['name', 'state', 'health', 'pid', 'container', 'port', 'url', 'restarts', 'uptime_ms']);
    expect(e).toMatchObject({ name: 'api', health: 'healthy', uptime_ms: 1 });
  });

  it('usage round-trips', () => {
    for (const u of [
      { name: 'api', cpuPercent: 12.5, memoryBytes: 1024 },
      { name: 'db', cpuPercent: null, memoryBytes: null },
    ]) {
      expect(usageToWire(u)).toStrictEqual({ name: u.name, cpu_percent: u.cpuPercent, memory_bytes: u.memoryBytes });
      expect(usageFromWire(usageToWire(u))).toStrictEqual(u);
    }
  });
});

describe('the event stream', () => {
  it('snapshot: services and messages round-trip', () => {
    const messages: MessageEvent[] = [
      { type: 'message', ts: T0 - 5, level: 'warn', text: 'killed what an earlier msdev left running: 12' },
      { type: 'message', ts: T0 - 1, level: 'info', text: 'say "hi"\\' },
    ];
    const snap: SnapshotEvent = { type: 'snapshot', ts: T0, services: [view(), view({ name: 'db', state: 'pending', pid: null, startedAt: null, readyAt: null, watch: 'paused' })], messages, watching: true };
    const line = linesOf(renderStreamEvent(snap))[0]!;
    const raw = JSON.parse(line) as { type: string; services: { uptime_ms: number | null }[] };
    expect(Object.keys(raw)).toEqual(['ts', 'type', 'services', 'messages', 'watching']);
    expect(raw.services.map((s) => s.uptime_ms)).toEqual([0, null]);
    expect(parseStreamLine(line)).toStrictEqual(snap);
  });

  it('an empty snapshot round-trips', () => {
    const snap: SnapshotEvent = { type: 'snapshot', ts: T0, services: [], messages: [], watching: null };
    expect(roundTrip(snap)).toStrictEqual(snap);
  });

  it('log: one line per line of the batch, tricky characters intact', () => {
    const tricky = [
      'plain',
      '',
      'quote " and backslash \\ and slash /',
      '{"level":30,"msg":"json record"}',
      'tab\tcr\rbell\u0007nul\u0000',
      'unicode é 中文 🚀 \u2028 \u2029',
      'lone surrogate \ud800 end',
      '   leading and trailing spaces   ',
    ];
    for (const stream of ['stdout', 'stderr'] as const) {
      const event: LogEvent = { type: 'log', ts: T0, service: 'we"ird\\name', stream, text: tricky.join('\n'), lines: tricky };
      const lines = linesOf(renderStreamEvent(event));
      expect(lines).toHaveLength(tricky.length);
      const parsed = lines.map(parseStreamLine);
      parsed.forEach((p, i) => {
        // A lone surrogate survives too: the stream escapes it (\ud800).
        expect(p).toStrictEqual({ type: 'log', ts: T0, service: 'we"ird\\name', stream, text: tricky[i], lines: [tricky[i]] });
      });
    }
  });

  it('log: a batch with no escaping needed (the fast path) renders the same as one line at a time', () => {
    const lines = ['a', 'b c', '', 'd'];
    const event: LogEvent = { type: 'log', ts: T0, service: 'api', stream: 'stdout', text: lines.join('\n'), lines };
    const text = renderStreamEvent(event)!;
    expect(text).toBe(lines.map((l) => renderLogLine(T0, 'api', 'stdout', l)).join(''));
    expect(linesOf(text).map((l) => (parseStreamLine(l) as LogEvent).text)).toEqual(lines);
  });

  it('renderLogLine parses back as a one-line log event', () => {
    expect(parseStreamLine(renderLogLine(T0, 'db', 'stderr', 'x "y" \\z').trimEnd())).toStrictEqual({
      type: 'log',
      ts: T0,
      service: 'db',
      stream: 'stderr',
      text: 'x "y" \\z',
      lines: ['x "y" \\z'],
    });
  });

  it('state: with and without container and exit_code', () => {
    const base: StateEvent = {
      type: 'state',
      ts: T0,
      service: 'api',
      state: 'running',
      prev: 'starting',
      reason: null,
      pid: 77,
      restarts: 0,
      ready: true,
      userStopped: false,
      startedAt: T0 - 100,
    };
    const variants: StateEvent[] = [
      base,
      { ...base, container: 'msdev-test-api-1' },
      { ...base, container: null, pid: null },
      { ...base, state: 'crashed', prev: 'running', reason: 'exit code 2', exitCode: 2, restarts: 3, ready: false, startedAt: null },
      { ...base, state: 'stopped', prev: 'stopping', reason: 'stopped by the user', exitCode: null, userStopped: true, ready: false, container: 'c1' },
    ];
    for (const v of variants) {
      const parsed = roundTrip(v) as StateEvent;
      expect(parsed).toStrictEqual(v);
      expect('container' in parsed).toBe('container' in v);
      expect('exitCode' in parsed).toBe('exitCode' in v);
    }
  });

  it('ready, message, health and settled round-trip', () => {
    const events: StackEvent[] = [
      { type: 'ready', ts: T0, services: ['db', 'api'], ms: 1234 },
      { type: 'ready', ts: T0, services: [], ms: 0 },
      { type: 'message', ts: T0, level: 'info', text: 'msdev down: stopping everything' },
      { type: 'message', ts: T0, level: 'warn', text: 'line "quoted"\nsecond line' },
      { type: 'message', ts: T0, level: 'error', text: '' },
      { type: 'health', ts: T0, service: 'api', reason: 'GET http://127.0.0.1:8080/health: 503' },
      { type: 'health', ts: T0, service: 'api', reason: null },
      { type: 'settled', ts: T0, code: 1, userStopped: false },
      { type: 'settled', ts: T0, code: 0, userStopped: true },
    ];
    for (const e of events) expect(roundTrip(e)).toStrictEqual(e);
  });

  it('the exit line parses as the stream end', () => {
    const line = JSON.stringify({ ts: new Date(T0).toISOString(), type: 'exit', code: 130 });
    expect(parseStreamLine(line)).toStrictEqual({ type: 'exit', ts: T0, code: 130 });
  });

  it('unknown types and garbage lines are null', () => {
    for (const line of ['', 'garbage', '{', '{"type":"nope"}', '{"ts":"x"}', 'null', '42', '"log"', '[1,2]', '[]', 'true']) {
      expect([line, parseStreamLine(line)]).toEqual([line, null]);
    }
  });

  it('missing fields get safe defaults rather than throwing', () => {
    expect(parseStreamLine('{"type":"log"}')).toMatchObject({ type: 'log', service: '', stream: 'stdout', text: '', lines: [''] });
    expect(parseStreamLine('{"type":"snapshot"}')).toMatchObject({ type: 'snapshot', services: [], messages: [] });
    expect(parseStreamLine('{"type":"ready"}')).toMatchObject({ type: 'ready', services: [], ms: 0 });
    expect(parseStreamLine('{"type":"message","level":"loud"}')).toMatchObject({ type: 'message', level: 'info', text: '' });
    expect(parseStreamLine('{"type":"exit"}')).toMatchObject({ type: 'exit', code: 0 });
  });
});
