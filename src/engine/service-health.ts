// Which health check a started service gets: its own, else the one its image brings, else (a container
// with no port either) one that passes at once, so that `depends_on: healthy` on it means "started".
import type { HealthcheckSpec, ServiceSpec } from '../config/model.js';
import type { ServiceView } from '../core/control.js';
import type { BoundProbe } from '../health/probe.js';
import { heldTcpProbe } from '../health/tcp-probe.js';
import type { Handle } from '../runtimes/runtime.js';

/** The check to run: its spec, and the probe to use instead of the one the spec would make. */
export interface ChosenCheck {
  readonly spec: HealthcheckSpec;
  readonly probe?: BoundProbe;
  /** Its kind as front ends show it (null: none worth showing). */
  readonly shown: ServiceView['healthcheck'];
}

/** The check for this run of the service, or null when it has none (ready once running). */
export function healthFor(spec: ServiceSpec, handle: Handle): ChosenCheck | null {
  const own = spec.healthcheck;
  // An image's HEALTHCHECK knows better than msdev's implicit TCP connect.
  if (handle.builtinCheck && (!own || own.implicit)) {
    const b = handle.builtinCheck;
    return {
      spec: {
        kind: 'exec',
        target: b.describe,
        intervalMs: b.intervalMs,
        timeoutMs: 10_000,
        // The engine counts its own retries: its first `unhealthy` is the verdict; until its first `healthy`, nothing counts.
        retries: 1,
        startPeriodMs: Number.MAX_SAFE_INTEGER,
        startIntervalMs: b.intervalMs,
        implicit: false,
      },
      probe: (signal) => b.look(signal),
      shown: 'exec',
    };
  }
  // Behind a proxy (a container's published port) a connection counts only when it is held open.
  if (own && own.kind === 'tcp' && handle.tcpHoldMs !== undefined) {
    const probe = heldTcpProbe(handle.tcpHoldMs);
    return { spec: own, shown: 'tcp', probe: (signal) => probe(own.target, { timeoutMs: own.timeoutMs, ...(signal ? { signal } : {}) }) };
  }
  if (own) return { spec: own, shown: own.kind };
  if (spec.kind === 'container' && spec.ports.length === 0) {
    return {
      spec: { kind: 'exec', target: 'started', intervalMs: 1000, timeoutMs: 1000, retries: 1, startPeriodMs: 0, startIntervalMs: 1000, implicit: true },
      probe: () => Promise.resolve({ ok: true }),
      shown: null,
    };
  }
  return null;
}
