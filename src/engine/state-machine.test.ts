import { describe, expect, it } from 'vitest';
import { next, type Transition } from './state-machine.js';
import type { ServiceState } from '../core/states.js';

describe('next', () => {
  const table: [ServiceState, Transition, ServiceState | null][] = [
    ['stopped', 'request', 'pending'],
    ['failed', 'request', 'pending'],
    ['completed', 'request', 'pending'],
    ['running', 'request', null],
    ['pending', 'launch', 'starting'],
    ['crashed', 'launch', null],
    ['crashed', 'retry', 'pending'],
    ['pending', 'retry', null],
    ['running', 'launch', null],
    ['starting', 'spawned', 'running'],
    ['running', 'probe-ok', 'healthy'],
    ['unhealthy', 'probe-ok', 'healthy'],
    ['healthy', 'probe-failed', 'unhealthy'],
    ['running', 'probe-failed', 'unhealthy'],
    ['stopping', 'probe-ok', null],
    ['healthy', 'exit-restart', 'crashed'],
    ['running', 'exit-completed', 'completed'],
    ['unhealthy', 'exit-failed', 'failed'],
    ['stopping', 'exit-failed', null],
    ['starting', 'start-error', 'failed'],
    ['pending', 'dependency-failed', 'failed'],
    ['running', 'dependency-failed', null],
    ['healthy', 'stop', 'stopping'],
    ['starting', 'stop', 'stopping'],
    ['pending', 'stop', 'stopped'],
    ['crashed', 'stop', 'stopped'],
    ['completed', 'stop', null],
    ['stopping', 'stopped', 'stopped'],
    ['running', 'stopped', null],
  ];
  it.each(table)('%s --%s--> %s', (from, transition, to) => {
    expect(next(from, transition)).toBe(to);
  });
});
