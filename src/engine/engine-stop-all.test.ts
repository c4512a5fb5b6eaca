// stop_all_on: a service whose exit (or failure) ends the whole run with its exit code, never restarted.
import { describe, expect, it } from 'vitest';
import { engineHarness } from '../../test/helpers/engine-harness.js';
import { testService } from '../../test/helpers/specs.js';
import { endsStack } from './restart-policy.js';

const settled = (t: ReturnType<typeof engineHarness>) => t.events.filter((e) => e.type === 'settled');

describe('stop_all_on', () => {
  it('failure: a non-zero exit settles the run with that code at once, without a restart; the others still run', async () => {
    const t = engineHarness([testService('tests', { stopAllOn: 'failure' }), testService('api')]);
    t.engine.up();
    await t.settle();
    t.runtime.last('tests').exit(3);
    await t.settle();
    expect(settled(t)).toMatchObject([{ code: 3, userStopped: false }]);
    expect(t.view('tests').state).toBe('failed');
    expect(t.view('api').state).toBe('running');
    await t.clock.advance(60_000);
    expect(t.runtime.count('tests')).toBe(1);
  });

  it('failure: an exit 0 is a normal end (completed under on-failure) and settles nothing', async () => {
    const t = engineHarness([testService('tests', { stopAllOn: 'failure' }), testService('api')]);
    t.engine.up();
    await t.settle();
    t.runtime.last('tests').exit(0);
    await t.settle();
    expect(t.view('tests').state).toBe('completed');
    expect(settled(t)).toEqual([]);
  });

  it('exit: any exit settles with its code, 0 included, even under restart: always', async () => {
    const t = engineHarness([testService('job', { stopAllOn: 'exit', restart: 'always' }), testService('api')]);
    t.engine.up();
    await t.settle();
    t.runtime.last('job').exit(0);
    await t.settle();
    expect(settled(t)).toMatchObject([{ code: 0 }]);
    expect(t.runtime.count('job')).toBe(1);
  });

  it('a failed dependency (no exit of its own) or a user stop ends nothing by stop_all_on', async () => {
    const t = engineHarness([testService('db', { oneShot: true, restart: 'no' }), testService('tests', { stopAllOn: 'exit', dependsOn: { db: 'completed' } }), testService('other', { stopAllOn: 'exit' })]);
    t.engine.up();
    await t.settle();
    t.runtime.last('db').exit(1);
    await t.settle();
    expect(t.view('tests').state).toBe('failed');
    await t.engine.stop('other');
    await t.settle();
    const said = t.events.filter((e) => e.type === 'message' && e.text.includes('stop_all_on'));
    expect(said).toEqual([]);
  });

  it('endsStack: exit ends on any end, failure only on a failed non-zero exit', () => {
    expect(endsStack('exit', 'failed', 1)).toBe(true);
    expect(endsStack('exit', 'completed', 0)).toBe(true);
    expect(endsStack('failure', 'completed', 0)).toBe(false);
    expect(endsStack('failure', 'failed', 2)).toBe(true);
    expect(endsStack(undefined, 'failed', 1)).toBe(false);
  });
});
