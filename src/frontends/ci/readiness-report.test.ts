import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../../core/control.js';
import { serviceReport } from './readiness-report.js';

/** A view with defaults; override what matters. */
function view(over: Partial<ServiceView>): ServiceView {
  return {
    name: 'api', kind: 'process', state: 'running', ready: false, reason: null, probeReason: null, healthcheck: 'http',
    pid: 10, container: null, port: 3000, url: 'http://127.0.0.1:3000', restarts: 0, userStopped: false,
    startedAt: 1_000, readyAt: null, recent: ['a', 'b'], watch: null, ...over,
  };
}

describe('serviceReport', () => {
  it.each([
    ['ready', view({ state: 'healthy', ready: true, readyAt: 1_500 }), null, 500],
    ['not ready: the probe failure explains it', view({ probeReason: 'connection refused' }), 'running: connection refused', null],
    ['failed: the engine reason', view({ state: 'failed', reason: 'exit code 1' }), 'failed: exit code 1', null],
    ['stopped by the user: not a failure', view({ state: 'stopped', reason: 'stopped by the user', userStopped: true, pid: null }), null, null],
  ] as const)('%s', (_name, v, problem, readyMs) => {
    const report = serviceReport(v, 1_000);
    expect(report.problem).toBe(problem);
    expect(report.readyMs).toBe(readyMs);
    expect(report.lastLines).toEqual(['a', 'b']);
  });
});
