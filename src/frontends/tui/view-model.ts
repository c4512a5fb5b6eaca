// The TUI's view model: pure functions from the services' views (and the events that change them) to
// what the screen shows: list rows, header counts and the detail line of the selected service.
import type { ServiceUsage, ServiceView, StackEvent } from '../../core/control.js';
import type { ServiceState } from '../../core/states.js';
import { formatBytes } from './usage.js';

/** The `depends_on` of every service: name → (dependency → condition). */
export type DependsOn = Readonly<Record<string, Readonly<Record<string, 'started' | 'healthy' | 'completed'>>>>;

/** One row of the service list, every cell as text. */
export interface ServiceRow {
  readonly name: string;
  readonly state: ServiceState;
  /** One character for the state. */
  readonly symbol: string;
  /** The blessed colour name of the state. */
  readonly color: string;
  readonly pid: string;
  /** The URL, else the port, else `-`. */
  readonly address: string;
  readonly restarts: string;
  readonly uptime: string;
  /** How long the current run took to get ready (`812ms`, `3.4s`), or `-`. */
  readonly toReady: string;
  /** CPU% of its process tree over the last sample (`12%`), or `-`. */
  readonly cpu: string;
  /** Resident memory of its process tree (`45M`), or `-`. */
  readonly mem: string;
}

/** Symbol and colour of each state. */
const LOOK: Readonly<Record<ServiceState, readonly [string, string]>> = {
  pending: ['…', 'gray'],
  starting: ['◌', 'yellow'],
  running: ['●', 'green'],
  healthy: ['●', 'green'],
  unhealthy: ['▲', 'yellow'],
  completed: ['✓', 'cyan'],
  crashed: ['✗', 'red'],
  failed: ['✗', 'red'],
  stopping: ['◌', 'magenta'],
  stopped: ['■', 'gray'],
};

/** A duration in ms as short text: `850ms`, `3.4s`, `12s`, `5m03s`, `2h07m`. */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Whether a service in this state has a live process (uptime and pid mean something). */
function isLive(state: ServiceState): boolean {
  return state === 'starting' || state === 'running' || state === 'healthy' || state === 'unhealthy' || state === 'stopping';
}

/** The list row of one service at time `now` (ms since the epoch), with the latest usage sample of its process tree. */
export function serviceRow(view: ServiceView, now: number, usage?: ServiceUsage): ServiceRow {
  const [symbol, color] = LOOK[view.state];
  const live = isLive(view.state);
  return {
    name: view.name,
    state: view.state,
    symbol,
    color,
    // A container shows its short id where a process shows its pid.
    pid: live && view.pid !== null ? String(view.pid) : live && view.container !== null ? view.container.slice(0, 7) : '-',
    address: view.url ?? (view.port !== null ? String(view.port) : '-'),
    restarts: String(view.restarts),
    uptime: live && view.startedAt !== null ? formatDuration(now - view.startedAt) : '-',
    cpu: live && usage?.cpuPercent != null ? `${Math.round(usage.cpuPercent)}%` : '-',
    mem: live && usage?.memoryBytes != null ? formatBytes(usage.memoryBytes) : '-',
    toReady: (live || view.state === 'completed') && view.readyAt !== null && view.startedAt !== null ? formatDuration(view.readyAt - view.startedAt) : '-',
  };
}

/** The header's counts: `4/5 ready`, then `, 1 failed` when some failed or crashed. */
export function headerCounts(views: readonly ServiceView[]): { readonly text: string; readonly failed: number } {
  const ready = views.filter((v) => v.ready).length;
  const failed = views.filter((v) => v.state === 'failed' || v.state === 'crashed').length;
  return { text: `${ready}/${views.length} ready${failed > 0 ? `, ${failed} failed` : ''}`, failed };
}

/** Whether `dep` meets `condition` (SPEC §2): started = has run, healthy = ready, completed = exited 0. */
function meets(dep: ServiceView, condition: 'started' | 'healthy' | 'completed'): boolean {
  if (condition === 'completed') return dep.state === 'completed';
  if (condition === 'healthy') return dep.ready;
  return dep.state !== 'pending' && dep.state !== 'starting' && dep.state !== 'stopped' && dep.state !== 'failed';
}

/** What a dependency is doing, for a waiting service: `starting — probe: connection refused`. */
function depStatus(dep: ServiceView): string {
  let text = dep.state;
  if (dep.probeReason !== null && !dep.ready) text += ` — probe: ${dep.probeReason}`;
  else if (dep.reason !== null) text += ` — ${dep.reason}`;
  return text;
}

/** Why the service is where it is, one line: what it waits for, why it crashed or failed, or how it runs. */
export function detailLine(view: ServiceView, views: readonly ServiceView[], dependsOn: DependsOn): string {
  const byName = new Map(views.map((v) => [v.name, v]));
  const head = `${view.name}: ${view.state}`;
  const reason = view.reason !== null && view.reason !== '' ? `; ${view.reason}` : '';
  switch (view.state) {
    case 'pending': {
      const waits: string[] = [];
      for (const [name, condition] of Object.entries(dependsOn[view.name] ?? {})) {
        const dep = byName.get(name);
        if (dep !== undefined && !meets(dep, condition)) waits.push(`${name}: ${condition} (${depStatus(dep)})`);
      }
      return waits.length > 0 ? `${head} — waiting for ${waits.join(', ')}` : `${head}${reason}`;
    }
    case 'starting':
    case 'running':
    case 'unhealthy':
      if (!view.ready && view.probeReason !== null) return `${head} — probe: ${view.probeReason}${reason}`;
      return `${head}${runsAs(view)}${reason}`;
    case 'healthy': {
      const ready = view.readyAt !== null && view.startedAt !== null ? ` in ${formatDuration(view.readyAt - view.startedAt)}` : '';
      return `${head}${ready}${view.url !== null ? ` at ${view.url}` : ''}${runsAs(view)}`;
    }
    case 'stopped':
      return view.userStopped ? `${head} by you — s starts it` : `${head}${reason}`;
    default:
      return `${head}${reason}`;
  }
}

/** The views after one event: a snapshot replaces them, a state event updates its service, others change nothing. */
export function applyEvent(views: readonly ServiceView[], event: StackEvent): readonly ServiceView[] {
  if (event.type === 'snapshot') return event.services;
  if (event.type === 'health') return views.map((v) => (v.name === event.service ? { ...v, probeReason: event.reason } : v));
  if (event.type !== 'state') return views;
  return views.map((v) => {
    if (v.name !== event.service) return v;
    const newRun = event.startedAt !== v.startedAt;
    const readyAt = newRun ? null : v.readyAt;
    return {
      ...v,
      state: event.state,
      ready: event.ready,
      reason: event.reason,
      probeReason: event.ready ? null : v.probeReason,
      pid: event.pid,
      container: event.container ?? v.container,
      restarts: event.restarts,
      userStopped: event.userStopped,
      startedAt: event.startedAt,
      readyAt: event.ready && readyAt === null ? event.ts : readyAt,
    };
  });
}

/** ` (pid 1234)` for a process, ` (container 3f2a9c1b7d0e)` for a container, '' when nothing runs. */
function runsAs(view: ServiceView): string {
  if (view.pid !== null) return ` (pid ${view.pid})`;
  return view.container !== null ? ` (container ${view.container.slice(0, 12)})` : '';
}
