// What goes over the control socket: services, usage and events as JSON (snake_case, times in ISO 8601),
// and back. The event stream is the NDJSON of `--json`, plus the snapshot, health and settled lines.
import type { ServiceUsage, ServiceView, SnapshotEvent, StackEvent, WatchState } from '../../core/control.js';
import type { LogStream, MessageEvent } from '../../core/events.js';
import type { ServiceState } from '../../core/states.js';
import { renderJsonEvent } from '../json/json-frontend.js';

/** A service as the socket serves it (`GET /services`): the view, plus `health` and `uptime_ms`. */
export interface WireService {
  readonly name: string;
  readonly kind: 'process' | 'container';
  readonly state: ServiceState;
  /** `healthy`, `unhealthy`, `starting` (checked, not yet passed) or null (no health check, or not running). */
  readonly health: 'healthy' | 'unhealthy' | 'starting' | null;
  readonly ready: boolean;
  readonly reason: string | null;
  readonly probe_reason: string | null;
  readonly healthcheck: ServiceView['healthcheck'];
  readonly pid: number | null;
  readonly container: string | null;
  readonly port: number | null;
  readonly url: string | null;
  readonly restarts: number;
  readonly user_stopped: boolean;
  readonly started_at: string | null;
  readonly ready_at: string | null;
  /** Milliseconds since its current run started, or null when it is not running. */
  readonly uptime_ms: number | null;
  readonly recent: readonly string[];
  /** Its hot reload: `on`, `off`, `paused`, or null when it has no `watch`. */
  readonly watch: WatchState | null;
}

/** One entry of `msdev ps --json` (SPEC §3). */
export interface PsEntry {
  readonly name: string;
  readonly state: ServiceState;
  readonly health: WireService['health'];
  readonly pid: number | null;
  readonly container: string | null;
  readonly port: number | null;
  readonly url: string | null;
  readonly restarts: number;
  readonly uptime_ms: number | null;
}

/** States in which a service has a running process or container. */
const UP_STATES: ReadonlySet<ServiceState> = new Set(['starting', 'running', 'healthy', 'unhealthy', 'stopping']);

/** The health of a service as `ps` shows it. */
function healthOf(view: ServiceView): WireService['health'] {
  if (view.healthcheck === null) return null;
  if (view.state === 'healthy' || view.state === 'unhealthy') return view.state;
  return view.state === 'running' || view.state === 'starting' ? 'starting' : null;
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function msOrNull(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** A service view as the socket sends it, at time `now`. */
export function toWire(view: ServiceView, now: number): WireService {
  const up = UP_STATES.has(view.state) && view.startedAt !== null;
  return {
    name: view.name,
    kind: view.kind,
    state: view.state,
    health: healthOf(view),
    ready: view.ready,
    reason: view.reason,
    probe_reason: view.probeReason,
    healthcheck: view.healthcheck,
    pid: view.pid,
    container: view.container,
    port: view.port,
    url: view.url,
    restarts: view.restarts,
    user_stopped: view.userStopped,
    started_at: isoOrNull(view.startedAt),
    ready_at: isoOrNull(view.readyAt),
    uptime_ms: up ? Math.max(0, now - view.startedAt) : null,
    recent: view.recent,
    watch: view.watch,
  };
}

/** A service view back from the socket's form. */
export function fromWire(w: WireService): ServiceView {
  return {
    name: w.name,
    kind: w.kind,
    state: w.state,
    ready: w.ready,
    reason: w.reason,
    probeReason: w.probe_reason,
    healthcheck: w.healthcheck,
    pid: w.pid,
    container: w.container,
    port: w.port,
    url: w.url,
    restarts: w.restarts,
    userStopped: w.user_stopped,
    startedAt: msOrNull(w.started_at),
    readyAt: msOrNull(w.ready_at),
    recent: w.recent,
    watch: w.watch ?? null,
  };
}

/** The `ps --json` entry of a service (SPEC §3's keys, in its order). */
export function psEntry(w: WireService): PsEntry {
  return {
    name: w.name,
    state: w.state,
    health: w.health,
    pid: w.pid,
    container: w.container,
    port: w.port,
    url: w.url,
    restarts: w.restarts,
    uptime_ms: w.uptime_ms,
  };
}

/** Usage as the socket sends it. */
export interface WireUsage {
  readonly name: string;
  readonly cpu_percent: number | null;
  readonly memory_bytes: number | null;
}

/** Usage in the socket's form. */
export function usageToWire(u: ServiceUsage): WireUsage {
  return { name: u.name, cpu_percent: u.cpuPercent, memory_bytes: u.memoryBytes };
}

/** Usage back from the socket's form. */
export function usageFromWire(w: WireUsage): ServiceUsage {
  return { name: w.name, cpuPercent: w.cpu_percent, memoryBytes: w.memory_bytes };
}

/** The snapshot line that starts an event stream. */
function renderSnapshot(event: SnapshotEvent): string {
  const services = event.services.map((v) => toWire(v, event.ts));
  const messages = event.messages.map((m) => ({ ts: new Date(m.ts).toISOString(), level: m.level, text: m.text }));
  return JSON.stringify({ ts: new Date(event.ts).toISOString(), type: 'snapshot', services, messages, watching: event.watching }) + '\n';
}

/** Renders one event of the stream as NDJSON: `--json`'s lines, plus snapshot, health and settled. */
export function renderStreamEvent(event: StackEvent): string | null {
  switch (event.type) {
    case 'snapshot':
      return renderSnapshot(event);
    case 'health':
      return JSON.stringify({ ts: new Date(event.ts).toISOString(), type: 'health', service: event.service, reason: event.reason }) + '\n';
    case 'settled':
      return JSON.stringify({ ts: new Date(event.ts).toISOString(), type: 'settled', code: event.code, user_stopped: event.userStopped }) + '\n';
    default:
      return renderJsonEvent(event);
  }
}

/** One log line in the stream's form (`logs` history). */
export function renderLogLine(ts: number, service: string, stream: LogStream, line: string): string {
  return `{"ts":"${new Date(ts).toISOString()}","type":"log","service":${JSON.stringify(service)},"stream":"${stream}","line":${JSON.stringify(line)}}\n`;
}

/** A line of the stream as parsed: a stack event, the final `exit`, or null for a line this client does not know. */
export type StreamItem = StackEvent | { readonly type: 'exit'; readonly ts: number; readonly code: number };

type Json = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const tsOf = (o: Json): number => msOrNull(str(o.ts)) ?? Date.now();

/** Parses one line of the stream; null for a line that is not an event this client knows (skipped). */
export function parseStreamLine(line: string): StreamItem | null {
  let o: Json;
  try {
    o = JSON.parse(line) as Json;
  } catch {
    return null;
  }
  if (o === null || typeof o !== 'object') return null;
  const ts = tsOf(o);
  switch (o.type) {
    case 'snapshot': {
      const services = Array.isArray(o.services) ? (o.services as WireService[]).map(fromWire) : [];
      const messages = Array.isArray(o.messages)
        ? (o.messages as Json[]).map((m): MessageEvent => ({ type: 'message', ts: tsOf(m), level: m.level as MessageEvent['level'], text: str(m.text) ?? '' }))
        : [];
      const watching = typeof o.watching === 'boolean' ? o.watching : null;
      return { type: 'snapshot', ts, services, messages, watching };
    }
    case 'log': {
      const text = str(o.line) ?? '';
      return { type: 'log', ts, service: str(o.service) ?? '', stream: o.stream === 'stderr' ? 'stderr' : 'stdout', text, lines: [text] };
    }
    case 'state':
      return {
        type: 'state',
        ts,
        service: str(o.service) ?? '',
        state: o.state as ServiceState,
        prev: o.prev as ServiceState,
        reason: str(o.reason),
        pid: num(o.pid),
        ...('container' in o ? { container: str(o.container) } : {}),
        ...('exit_code' in o ? { exitCode: num(o.exit_code) } : {}),
        restarts: num(o.restarts) ?? 0,
        ready: o.ready === true,
        userStopped: o.user_stopped === true,
        startedAt: msOrNull(str(o.started_at)),
      };
    case 'ready':
      return { type: 'ready', ts, services: Array.isArray(o.services) ? (o.services as string[]) : [], ms: num(o.ms) ?? 0 };
    case 'message':
      return { type: 'message', ts, level: o.level === 'warn' || o.level === 'error' ? o.level : 'info', text: str(o.text) ?? '' };
    case 'health':
      return { type: 'health', ts, service: str(o.service) ?? '', reason: str(o.reason) };
    case 'settled':
      return { type: 'settled', ts, code: num(o.code) ?? 0, userStopped: o.user_stopped === true };
    case 'watch':
      return { type: 'watch', ts, enabled: o.enabled === true, paused: Array.isArray(o.paused) ? (o.paused as string[]) : [] };
    case 'exit':
      return { type: 'exit', ts, code: num(o.code) ?? 0 };
    default:
      return null;
  }
}
