// `msdev ps [--json]`: the services of the running instance, from its control socket.
import { formatDuration } from '../frontends/tui/view-model.js';
import { psEntry, toWire, type WireService } from '../frontends/control/wire.js';
import { withInstance } from './find-instance.js';
import type { GlobalOptions } from './options.js';

/** Runs `msdev ps`; 0, or 1 when no msdev runs the project. */
export async function psCommand(opts: GlobalOptions, json: boolean): Promise<number> {
  return withInstance(opts, async (client) => {
    const now = Date.now();
    const services = (await client.snapshot()).map((v) => toWire(v, now));
    process.stdout.write(json ? JSON.stringify(services.map(psEntry), null, 2) + '\n' : psTable(services));
    return 0;
  });
}

/** The `ps` table: service, state, health, pid or container, port or URL, restarts, uptime, and why. */
export function psTable(services: readonly WireService[]): string {
  const rows = [
    ['SERVICE', 'STATE', 'HEALTH', 'PID', 'PORT', 'RESTARTS', 'UPTIME', 'WHY'],
    ...services.map((s) => [
      s.name,
      s.state,
      s.health ?? '-',
      s.pid !== null ? String(s.pid) : s.container !== null ? s.container.slice(0, 12) : '-',
      s.url ?? (s.port !== null ? String(s.port) : '-'),
      String(s.restarts),
      s.uptime_ms === null ? '-' : formatDuration(s.uptime_ms),
      s.state === 'healthy' ? '' : (s.probe_reason ?? s.reason ?? ''),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}
