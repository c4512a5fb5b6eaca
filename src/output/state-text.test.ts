import { describe, expect, it } from 'vitest';
import type { StateEvent } from '../core/events.js';
import { describeState } from './state-text.js';

const event = (over: Partial<StateEvent>): StateEvent => ({
  type: 'state',
  ts: 0,
  service: 'db',
  state: 'running',
  prev: 'starting',
  reason: null,
  pid: null,
  restarts: 0,
  ready: false,
  userStopped: false,
  startedAt: 0,
  ...over,
});

describe('describeState', () => {
  it.each<[string, Partial<StateEvent>, string]>([
    ['a running process names its pid', { pid: 1234 }, 'db: running (pid 1234)'],
    ['a running container names its short id', { container: '3f2a9c1b7d0e5511aa' }, 'db: running (container 3f2a9c1b7d0e)'],
    ['an exit says its code once', { state: 'crashed', exitCode: 1, reason: 'exit code 1; restart 1 in 1s' }, 'db: crashed; exit code 1; restart 1 in 1s'],
    ['a stop with a code', { state: 'stopped', exitCode: 143 }, 'db: stopped (exit code 143)'],
  ])('%s', (_label, over, text) => {
    expect(describeState(event(over))).toBe(text);
  });
});
