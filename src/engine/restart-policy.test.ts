import { describe, expect, it } from 'vitest';
import { backoffDelay, decideExit, type RestartRules } from './restart-policy.js';

const onFailure: RestartRules = { restart: 'on-failure', oneShot: false, maxRestarts: 5 };

describe('backoffDelay', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16000],
    [6, 30000],
    [20, 30000],
  ])('restart %i waits %i ms', (attempt, ms) => expect(backoffDelay(attempt)).toBe(ms));
});

describe('decideExit', () => {
  it.each([
    ['one-shot exit 0 completes', { ...onFailure, oneShot: true }, 0, 0, 0, 'complete'],
    ['one-shot exit 1 fails', { ...onFailure, oneShot: true }, 1, 0, 0, 'fail'],
    ['restart no, exit 2 fails', { ...onFailure, restart: 'no' }, 2, 0, 0, 'fail'],
    ['on-failure exit 0 completes', onFailure, 0, 0, 0, 'complete'],
    ['on-failure exit 1 restarts', onFailure, 1, 0, 0, 'restart'],
    ['always exit 0 restarts', { ...onFailure, restart: 'always' }, 0, 0, 0, 'restart'],
    ['max reached fails', onFailure, 1, 5, 1000, 'fail'],
    ['max reached but up 30s restarts', onFailure, 1, 5, 30_000, 'restart'],
    ['unlimited never gives up', { ...onFailure, maxRestarts: 0 }, 1, 500, 0, 'restart'],
    ['command not found fails at once', onFailure, 127, 0, 0, 'fail'],
  ] as const)('%s', (_name, rules, code, restarts, upMs, action) => {
    expect(decideExit(rules, code, null, restarts, upMs).action).toBe(action);
  });

  it('counts attempts and delays, and resets after 30s up', () => {
    const d = decideExit(onFailure, 1, null, 2, 100);
    expect(d).toMatchObject({ action: 'restart', attempt: 3, delayMs: 4000 });
    expect(decideExit(onFailure, 1, null, 4, 31_000)).toMatchObject({ action: 'restart', attempt: 1, delayMs: 1000 });
  });

  it('says why in words', () => {
    expect(decideExit(onFailure, null, 'SIGKILL', 0, 0).reason).toBe('killed by SIGKILL; restart 1 in 1s');
    expect(decideExit(onFailure, 1, null, 5, 0).reason).toBe('exit code 1; gave up after 5 restarts (max_restarts: 5)');
  });
});
