import { describe, expect, it } from 'vitest';
import type { WireService } from '../frontends/control/wire.js';
import { psTable } from './ps-command.js';

/** A service as the socket sends it, with these fields changed. */
function svc(over: Partial<WireService>): WireService {
  return {
    name: 'api', kind: 'process', state: 'healthy', health: 'healthy', ready: true, reason: null, probe_reason: null, healthcheck: 'http',
    pid: 1234, container: null, port: 8080, url: 'http://127.0.0.1:8080', restarts: 0, user_stopped: false,
    started_at: null, ready_at: null, uptime_ms: 65_000, recent: [], watch: null, ...over,
  };
}

describe('psTable', () => {
  it('lines up a column per field, says why a service is not healthy, and shows a container by its short id', () => {
    const text = psTable([
      svc({}),
      svc({ name: 'worker', state: 'running', health: null, healthcheck: null, port: null, url: null, uptime_ms: 3400, restarts: 2 }),
      svc({ name: 'db', state: 'unhealthy', health: 'unhealthy', probe_reason: 'connection refused', pid: null, container: '0123456789abcdef0123', port: 5432, url: null }),
      svc({ name: 'gateway', state: 'stopped', health: null, reason: 'stopped by the user', pid: null, uptime_ms: null }),
    ]);
    expect(text.split('\n')).toEqual([
      'SERVICE  STATE      HEALTH     PID           PORT                   RESTARTS  UPTIME  WHY',
      'api      healthy    healthy    1234          http://127.0.0.1:8080  0         1m05s',
      'worker   running    -          1234          -                      2         3.4s',
      'db       unhealthy  unhealthy  0123456789ab  5432                   0         1m05s   connection refused',
      'gateway  stopped    -          -             http://127.0.0.1:8080  0         -       stopped by the user',
      '',
    ]);
  });
});
