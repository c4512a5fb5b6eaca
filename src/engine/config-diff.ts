// What changed between two configs of a running stack, service by service: a pure comparison.
import type { ProjectConfig, ServiceSpec } from '../config/model.js';

/** A service whose settings changed, with the keys that did (`env`, `command`, `depends_on` …). */
export interface ChangedService {
  readonly name: string;
  readonly keys: readonly string[];
}

/** The difference between the active services of two configs, each list in the new config's order (removed: the old one's). */
export interface ConfigDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedService[];
  readonly unchanged: readonly string[];
}

/** The model's field names as the config file spells them, for messages. */
const FILE_KEYS: Readonly<Record<string, string>> = {
  dependsOn: 'depends_on',
  stopSignal: 'stop_signal',
  stopTimeoutMs: 'stop_timeout',
  maxRestarts: 'max_restarts',
  envFile: 'env_file',
  oneShot: 'restart',
};

/** A value as stable text: object keys sorted, so two equal specs compare equal whatever their key order. */
function stable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stable(obj[k])}`)
    .join(',')}}`;
}

/** The keys (as the file spells them) whose values differ between two specs of one service. */
export function changedKeys(a: ServiceSpec, b: ServiceSpec): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const key of keys) {
    const x = (a as unknown as Record<string, unknown>)[key];
    const y = (b as unknown as Record<string, unknown>)[key];
    if (stable(x) !== stable(y)) {
      const shown = FILE_KEYS[key] ?? key;
      if (!out.includes(shown)) out.push(shown);
    }
  }
  return out;
}

/** Compares the active services of the running config with those of the new one. */
export function diffConfigs(before: ProjectConfig, after: ProjectConfig): ConfigDiff {
  const old = new Set(before.active);
  const now = new Set(after.active);
  const added: string[] = [];
  const changed: ChangedService[] = [];
  const unchanged: string[] = [];
  for (const name of after.active) {
    const b = after.services[name];
    const a = before.services[name];
    if (!b) continue;
    if (!old.has(name) || !a) added.push(name);
    else {
      const keys = a.kind === b.kind ? changedKeys(a, b) : ['image', 'command'];
      if (keys.length > 0) changed.push({ name, keys });
      else unchanged.push(name);
    }
  }
  const removed = before.active.filter((name) => !now.has(name));
  return { added, removed, changed, unchanged };
}
