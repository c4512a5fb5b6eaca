// An image's own HEALTHCHECK: the engine runs it; msdev reads its verdict from the container's state.
import type Docker from 'dockerode';
import type { BuiltinCheck, CheckResult } from '../runtime.js';
import { engineMessage } from './engine-message.js';

/** The parts of a container inspect this reads. */
interface HealthInspect {
  readonly Config?: { readonly Healthcheck?: { readonly Test?: readonly string[] | null; readonly Interval?: number } | null };
  readonly State?: { readonly Health?: { readonly Status?: string; readonly Log?: readonly { readonly ExitCode?: number; readonly Output?: string }[] | null } | null };
}

/** How often msdev looks at the engine's verdict (the engine probes on its own interval, 30 s unless the image says). */
const LOOK_MS = 500;

/** The image's health check of a created container, or null when the image has none (or disables it with NONE). */
export function builtinCheckOf(container: Docker.Container, info: HealthInspect): BuiltinCheck | null {
  const test = info.Config?.Healthcheck?.Test;
  if (!test || test.length === 0 || test[0] === 'NONE') return null;
  return {
    describe: test.join(' '),
    intervalMs: LOOK_MS,
    look: async (): Promise<CheckResult> => {
      try {
        return verdict((await container.inspect()));
      } catch (err) {
        return { ok: false, reason: `cannot read the container's health: ${engineMessage(err)}` };
      }
    },
  };
}

/** healthy → ok; otherwise the status and the last output of the image's check. */
export function verdict(info: HealthInspect): CheckResult {
  const health = info.State?.Health;
  if (health?.Status === 'healthy') return { ok: true };
  const last = health?.Log?.at(-1);
  const output = last?.Output?.trim().split('\n').at(-1)?.slice(0, 200);
  if (!last) return { ok: false, reason: `image health check: ${health?.Status ?? 'no verdict'} (not run yet)` };
  return { ok: false, reason: `image health check: exit code ${last.ExitCode ?? '?'}${output ? `: ${output}` : ''}` };
}
