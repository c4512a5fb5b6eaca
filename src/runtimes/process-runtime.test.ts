import { describe, expect, it } from 'vitest';
import { testContainer, testService } from '../../test/helpers/specs.js';
import { isAlive } from '../process/process-tree.js';
import { ProcessRuntime } from './process-runtime.js';
import { StartError, type StartOptions } from './runtime.js';

const options: StartOptions = { onLines: () => undefined, baseEnv: { PATH: process.env.PATH } };

describe('ProcessRuntime', () => {
  it('dispose() kills the services still running and removes its exit hook', async () => {
    const before = process.listenerCount('exit');
    const runtime = new ProcessRuntime();
    const handle = await runtime.start(testService('api', { command: 'exec sleep 300' }), options);
    expect(process.listenerCount('exit')).toBe(before + 1);
    const pid = handle.pid!;
    try {
      runtime.dispose();
      expect(process.listenerCount('exit')).toBe(before);
      expect((await handle.exited).signal).toBe('SIGKILL');
      expect(isAlive(pid)).toBe(false);
    } finally {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    await expect(runtime.start(testService('late'), options)).rejects.toThrow(/disposed/);
  });

  it('a stopped service leaves no exit hook behind', async () => {
    const before = process.listenerCount('exit');
    const runtime = new ProcessRuntime();
    const handle = await runtime.start(testService('api', { command: ['sleep', '300'] }), options);
    expect((await handle.stop('SIGTERM', 60_000)).signal).toBe('SIGTERM');
    expect(process.listenerCount('exit')).toBe(before);
    runtime.dispose();
  });

  it('refuses a container service with a StartError', async () => {
    const runtime = new ProcessRuntime();
    await expect(runtime.start(testContainer('db'), options)).rejects.toThrow(StartError);
    runtime.dispose();
  });
});
