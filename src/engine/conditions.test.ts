import { describe, expect, it } from 'vitest';
import type { Condition } from '../config/model.js';
import type { ServiceState } from '../core/states.js';
import { launchDecision } from './conditions.js';

describe('launchDecision', () => {
  const table: [string, Record<string, Condition>, Record<string, ServiceState>, ReturnType<typeof launchDecision>][] = [
    ['no dependencies: launch', {}, {}, { action: 'launch' }],
    ['started met by running', { db: 'started' }, { db: 'running' }, { action: 'launch' }],
    ['healthy not yet: wait', { db: 'healthy' }, { db: 'running' }, { action: 'wait' }],
    ['healthy met', { db: 'healthy' }, { db: 'healthy' }, { action: 'launch' }],
    ['completed met', { m: 'completed' }, { m: 'completed' }, { action: 'launch' }],
    ['a failed dependency fails it', { db: 'started' }, { db: 'failed' }, { action: 'fail', reason: 'dependency db failed' }],
    ['exited before healthy fails it', { db: 'healthy' }, { db: 'completed' }, { action: 'fail', reason: 'dependency db exited before it was healthy' }],
    ['a stopped dependency (user, restart) makes it wait', { db: 'healthy' }, { db: 'stopped' }, { action: 'wait' }],
    ['a crashed dependency makes it wait', { db: 'started' }, { db: 'crashed' }, { action: 'wait' }],
    ['one waiting, one failed: fail', { a: 'healthy', b: 'started' }, { a: 'running', b: 'failed' }, { action: 'fail', reason: 'dependency b failed' }],
    ['a dependency not run here is ignored', { gone: 'healthy' }, {}, { action: 'launch' }],
  ];
  it.each(table)('%s', (_name, dependsOn, states, expected) => {
    expect(launchDecision(dependsOn, (dep) => states[dep])).toEqual(expected);
  });
});
