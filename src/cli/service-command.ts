// `msdev restart|stop|start SERVICE...`: tells the running instance; returns once each service is ready
// again (restart, start) or stopped (stop).
import type { ServiceView } from '../core/control.js';
import { formatMs } from '../frontends/ci/readiness-report.js';
import { withInstance } from './find-instance.js';
import type { GlobalOptions } from './options.js';

/** The per-service commands. */
export type ServiceVerb = 'restart' | 'stop' | 'start';

/** Runs one per-service command on each named service at once; 0 when all did what was asked, else 1 with the reasons. */
export async function serviceCommand(opts: GlobalOptions, verb: ServiceVerb, services: readonly string[], o: { readonly dependents: boolean; readonly timeoutMs: number }): Promise<number> {
  return withInstance(opts, async (client) => {
    const unique = [...new Set(services)];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ${verb === 'stop' ? 'stopped' : 'ready'} after ${formatMs(o.timeoutMs)} (--timeout); msdev ps shows where it is`)), o.timeoutMs);
    });
    const command = (name: string): Promise<void> =>
      verb === 'restart' ? client.restart(name, { dependents: o.dependents }) : verb === 'stop' ? client.stop(name) : client.start(name);
    const results = await Promise.allSettled(unique.map((name) => Promise.race([command(name), timeout])));
    clearTimeout(timer);
    const views = new Map((await client.snapshot()).map((v) => [v.name, v]));
    let failed = 0;
    results.forEach((result, i) => {
      const name = unique[i]!;
      if (result.status === 'rejected') {
        failed++;
        process.stderr.write(`msdev: ${verb} ${name}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}\n`);
      } else if (!opts.quiet) process.stdout.write(`${done(verb, name, views.get(name))}\n`);
    });
    return failed > 0 ? 1 : 0;
  });
}

/** `api: restarted, healthy (pid 1234)`. */
function done(verb: ServiceVerb, name: string, view: ServiceView | undefined): string {
  const what = verb === 'restart' ? 'restarted' : verb === 'stop' ? 'stopped' : 'started';
  if (view === undefined || verb === 'stop') return `${name}: ${what}`;
  const where = view.pid !== null ? ` (pid ${view.pid})` : view.container !== null ? ` (container ${view.container.slice(0, 12)})` : '';
  return `${name}: ${what}, ${view.state}${where}`;
}
