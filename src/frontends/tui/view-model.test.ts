import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../../core/control.js';
import type { StateEvent } from '../../core/events.js';
import { applyEvent, detailLine, formatDuration, headerCounts, serviceRow, type DependsOn } from './view-model.js';

const NOW = 1_000_000;

function view(name: string, over: Partial<ServiceView> = {}): ServiceView {
  return {
    name,
    kind: 'process',
    state: 'pending',
    ready: false,
    reason: null,
    probeReason: null,
    healthcheck: null,
    pid: null,
    container: null,
    port: null,
    url: null,
    restarts: 0,
    userStopped: false,
    startedAt: null,
    readyAt: null,
    recent: [],
    watch: null,
    ...over,
  };
}

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [812, '812ms'],
    [3400, '3.4s'],
    [12_500, '12s'],
    [303_000, '5m03s'],
    [7_620_000, '2h07m'],
    [-5, '0ms'],
  ])('%i ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('serviceRow', () => {
  it.each<[string, Partial<ServiceView>, Partial<ReturnType<typeof serviceRow>>]>([
    ['healthy with a URL', { state: 'healthy', ready: true, pid: 42, port: 3000, url: 'http://127.0.0.1:3000', startedAt: NOW - 12_500, readyAt: NOW - 11_700, restarts: 2 },
      { symbol: '●', color: 'green', pid: '42', address: 'http://127.0.0.1:3000', restarts: '2', uptime: '12s', toReady: '800ms', cpu: '-', mem: '-' }],
    ['pending', {}, { symbol: '…', color: 'gray', pid: '-', address: '-', uptime: '-', toReady: '-' }],
    ['crashed keeps no pid or uptime', { state: 'crashed', pid: 42, startedAt: NOW - 1000, restarts: 1 }, { symbol: '✗', color: 'red', pid: '-', uptime: '-', restarts: '1' }],
    ['a port without URL', { state: 'running', pid: 7, port: 5432, startedAt: NOW - 500 }, { address: '5432', pid: '7', uptime: '500ms' }],
    ['stopped forgets its last run', { state: 'stopped', userStopped: true, startedAt: NOW - 900, readyAt: NOW - 100 }, { symbol: '■', color: 'gray', pid: '-', toReady: '-' }],
    ['unhealthy', { state: 'unhealthy', pid: 9, startedAt: NOW }, { symbol: '▲', color: 'yellow', pid: '9' }],
    ['a container shows its short id for a pid', { state: 'healthy', kind: 'container', container: '3f2a9c1b7d0e5511', startedAt: NOW }, { pid: '3f2a9c1' }],
    ['a stopped container shows none', { state: 'stopped', kind: 'container', container: null }, { pid: '-' }],
    ['completed', { state: 'completed', startedAt: NOW - 900, readyAt: NOW - 100 }, { symbol: '✓', color: 'cyan', toReady: '800ms', uptime: '-' }],
  ])('%s', (_label, over, expected) => {
    expect(serviceRow(view('api', over), NOW)).toMatchObject(expected);
  });

  it('shows the usage of a live service only', () => {
    const usage = { name: 'api', cpuPercent: 12.4, memoryBytes: 45 * 1024 * 1024 };
    expect(serviceRow(view('api', { state: 'running', pid: 3 }), NOW, usage)).toMatchObject({ cpu: '12%', mem: '45M' });
    expect(serviceRow(view('api', { state: 'running', pid: 3 }), NOW, { name: 'api', cpuPercent: null, memoryBytes: 1024 })).toMatchObject({ cpu: '-', mem: '1K' });
    expect(serviceRow(view('api', { state: 'stopped' }), NOW, usage)).toMatchObject({ cpu: '-', mem: '-' });
  });
});

describe('headerCounts', () => {
  it.each<[ServiceView[], string, number]>([
    [[view('a', { ready: true }), view('b')], '1/2 ready', 0],
    [[view('a', { ready: true }), view('b', { state: 'failed' }), view('c', { state: 'crashed' })], '1/3 ready, 2 failed', 2],
    [[], '0/0 ready', 0],
  ])('%#: %s', (views, text, failed) => expect(headerCounts(views)).toEqual({ text, failed }));
});

describe('detailLine', () => {
  const deps: DependsOn = { api: { db: 'healthy', migrate: 'completed' }, web: { api: 'started' } };
  it.each<[string, ServiceView[], string]>([
    ['a pending service says what it waits for and why',
      [view('api'), view('db', { state: 'starting', probeReason: 'connection refused (3 tries)' }), view('migrate', { state: 'completed' })],
      'api: pending — waiting for db: healthy (starting — probe: connection refused (3 tries))'],
    ['every unmet dependency is named',
      [view('api'), view('db', { state: 'healthy', ready: true }), view('migrate', { state: 'running', pid: 5 })],
      'api: pending — waiting for migrate: completed (running)'],
    ['a failed dependency shows its reason',
      [view('api', { state: 'failed', reason: 'dependency db failed' }), view('db', { state: 'failed', reason: 'exit code 1' }), view('migrate')],
      'api: failed; dependency db failed'],
    ['crashed says the exit code and retry', [view('api', { state: 'crashed', reason: 'exit code 1; restart 2 in 2s' })], 'api: crashed; exit code 1; restart 2 in 2s'],
    ['starting with a failing probe', [view('api', { state: 'starting', pid: 3, probeReason: 'HTTP 503' })], 'api: starting — probe: HTTP 503'],
    ['running without probe', [view('api', { state: 'running', pid: 3 })], 'api: running (pid 3)'],
    ['healthy', [view('api', { state: 'healthy', ready: true, pid: 3, url: 'http://127.0.0.1:80', startedAt: 0, readyAt: 812 })], 'api: healthy in 812ms at http://127.0.0.1:80 (pid 3)'],
    ['a healthy container says its id', [view('db', { state: 'healthy', ready: true, kind: 'container', container: '3f2a9c1b7d0e5511aa', url: 'http://127.0.0.1:5432', startedAt: 0, readyAt: 90 })], 'db: healthy in 90ms at http://127.0.0.1:5432 (container 3f2a9c1b7d0e)'],
    ['stopped by the user', [view('api', { state: 'stopped', userStopped: true, reason: 'stopped by the user' })], 'api: stopped by you — s starts it'],
    ['a started condition met by a running dependency', [view('web'), view('api', { state: 'running' })], 'web: pending'],
  ])('%s', (_label, views, text) => {
    expect(detailLine(views[0]!, views, deps)).toBe(text);
  });
});

describe('applyEvent', () => {
  const state = (over: Partial<StateEvent>): StateEvent => ({
    type: 'state', ts: 500, service: 'api', state: 'running', prev: 'starting', reason: null, pid: 9, restarts: 0, ready: false, userStopped: false, startedAt: 100, ...over,
  });

  it('keeps the latest probe failure of a health event, live (no polling)', () => {
    let views: readonly ServiceView[] = [view('api'), view('db')];
    views = applyEvent(views, { type: 'health', ts: 1, service: 'db', reason: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(views.map((v) => v.probeReason)).toEqual([null, 'connect ECONNREFUSED 127.0.0.1:5432']);
    views = applyEvent(views, { type: 'health', ts: 2, service: 'db', reason: null });
    expect(views[1]!.probeReason).toBeNull();
  });

  it('replaces everything on a snapshot', () => {
    const next = [view('x')];
    expect(applyEvent([view('api')], { type: 'snapshot', ts: 0, services: next, messages: [], watching: null })).toBe(next);
  });

  it('updates the service of a state event and sets readyAt when it becomes ready', () => {
    let views: readonly ServiceView[] = [view('api', { probeReason: 'refused' }), view('db')];
    views = applyEvent(views, state({}));
    expect(views[0]).toMatchObject({ state: 'running', pid: 9, startedAt: 100, readyAt: null, probeReason: 'refused' });
    views = applyEvent(views, state({ state: 'healthy', prev: 'running', ready: true, ts: 900 }));
    expect(views[0]).toMatchObject({ state: 'healthy', readyAt: 900, probeReason: null });
    expect(views[1]).toEqual(view('db'));
  });

  it('forgets readyAt on a new run', () => {
    const views = applyEvent([view('api', { startedAt: 100, readyAt: 300, ready: true, state: 'healthy' })], state({ state: 'starting', startedAt: 2000 }));
    expect(views[0]).toMatchObject({ readyAt: null, startedAt: 2000 });
  });

  it('ignores other events', () => {
    const views = [view('api')];
    expect(applyEvent(views, { type: 'message', ts: 0, level: 'info', text: 'x' })).toBe(views);
  });
});
