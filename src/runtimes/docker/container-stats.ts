// CPU time and memory of a container, from the engine's stats stream (one sample a second).
import type Docker from 'dockerode';
import type { TreeUsage } from '../../process/process-usage.js';

/** The parts of one stats sample msdev reads. */
export interface StatsSample {
  readonly cpu_stats?: { readonly cpu_usage?: { readonly total_usage?: number } };
  readonly memory_stats?: { readonly usage?: number; readonly stats?: Readonly<Record<string, number>> };
}

/** CPU time (ms) and memory as `docker stats` counts it (usage less the inactive file cache); null when the sample has neither. */
export function usageOf(sample: StatsSample): TreeUsage | null {
  const ns = sample.cpu_stats?.cpu_usage?.total_usage;
  const mem = sample.memory_stats?.usage;
  if (typeof ns !== 'number' && typeof mem !== 'number') return null;
  const stats = sample.memory_stats?.stats ?? {};
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? 0;
  return { cpuMs: (ns ?? 0) / 1e6, rssBytes: Math.max(0, (mem ?? 0) - cache) };
}

/** Follows a container's stats stream from the first ask on; latest() is the last sample (null before the first). */
export class StatsFollower {
  private last: TreeUsage | null = null;
  private stream: NodeJS.ReadableStream | null = null;
  private started = false;
  private closed = false;

  constructor(private readonly container: Docker.Container) {}

  /** The latest usage; the first call starts the stream. */
  latest(): TreeUsage | null {
    if (!this.started) this.start();
    return this.last;
  }

  /** Ends the stream. */
  close(): void {
    this.closed = true;
    (this.stream as { destroy?: () => void } | null)?.destroy?.();
    this.stream = null;
  }

  private start(): void {
    this.started = true;
    this.container.stats({ stream: true }).then(
      (stream) => {
        if (this.closed) {
          (stream as { destroy?: () => void }).destroy?.();
          return;
        }
        this.stream = stream;
        let buffered = '';
        stream.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (!line) continue;
            try {
              this.last = usageOf(JSON.parse(line) as StatsSample) ?? this.last;
            } catch {
              // A sample cut short: the next one comes in a second.
            }
          }
        });
        stream.on('error', () => {});
      },
      () => {},
    );
  }
}
