// Pull progress: the engine's per-layer JSON events summed into layers and bytes, and a throttle for the log.

/** One JSON event of an image pull, as the engine streams it. */
export interface PullEvent {
  readonly status?: string;
  readonly id?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

/** Layers done out of known, and bytes downloaded out of the bytes known so far. */
export interface PullSnapshot {
  readonly layersDone: number;
  readonly layers: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

interface Layer {
  current: number;
  total: number;
  done: boolean;
}

/** Statuses that are about one layer (the rest are about the whole pull: `Pulling from …`, `Digest: …`). */
const LAYER_STATUS =
  /^(Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists|Retrying in .*)$/;

/** Sums a pull's events: feed every event to apply(), read snapshot() when a line is due. */
export class PullProgress {
  private readonly layers = new Map<string, Layer>();

  /** Takes one event into account; false for an event not about a layer (it is ignored). */
  apply(event: PullEvent): boolean {
    const { id, status } = event;
    if (id === undefined || status === undefined || !LAYER_STATUS.test(status)) return false;
    let layer = this.layers.get(id);
    if (!layer) {
      layer = { current: 0, total: 0, done: false };
      this.layers.set(id, layer);
    }
    const detail = event.progressDetail;
    if (status === 'Downloading' && detail) {
      if (typeof detail.total === 'number' && detail.total > 0) layer.total = detail.total;
      if (typeof detail.current === 'number') layer.current = Math.min(detail.current, layer.total || detail.current);
    } else if (status === 'Download complete' || status === 'Extracting' || status === 'Verifying Checksum') {
      layer.current = layer.total;
    } else if (status === 'Pull complete' || status === 'Already exists') {
      layer.current = layer.total;
      layer.done = true;
    }
    return true;
  }

  /** The sums now. */
  snapshot(): PullSnapshot {
    let layersDone = 0;
    let bytesDone = 0;
    let bytesTotal = 0;
    for (const layer of this.layers.values()) {
      if (layer.done) layersDone++;
      bytesDone += layer.current;
      bytesTotal += layer.total;
    }
    return { layersDone, layers: this.layers.size, bytesDone, bytesTotal };
  }
}

/** Bytes as megabytes (10^6) with one decimal: `12.1`. */
export function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** The progress line: `pulling postgres:16: 3/7 layers, 12.1/40.2 MB` (bytes left out until any are known). */
export function pullProgressLine(ref: string, s: PullSnapshot): string {
  const layers = `${s.layersDone}/${s.layers} layers`;
  return s.bytesTotal > 0
    ? `pulling ${ref}: ${layers}, ${megabytes(s.bytesDone)}/${megabytes(s.bytesTotal)} MB`
    : `pulling ${ref}: ${layers}`;
}

/** The line once a pull has finished: `pulled postgres:16 in 4.2s`. */
export function pulledLine(ref: string, elapsedMs: number): string {
  return `pulled ${ref} in ${(elapsedMs / 1000).toFixed(1)}s`;
}

/** A gate that opens at most once per intervalMs (the first call opens it): `if (gate()) log(...)`. */
export function throttle(intervalMs: number, now: () => number = Date.now): () => boolean {
  let last = -Infinity;
  return () => {
    const t = now();
    if (t - last < intervalMs) return false;
    last = t;
    return true;
  };
}
