// Container `ports` entries: "HOST:CONTAINER", "IP:HOST:CONTAINER", "IP::CONTAINER" or
// "CONTAINER" alone (ephemeral host port), each optionally ending in /tcp or /udp; a YAML
// integer is a container port alone.
import { quote, shorten } from './quote.js';

/** A parsed `ports` entry; `host` is absent when a free port is to be picked. */
export interface PortEntry {
  readonly ip: string;
  readonly host?: number;
  readonly container: number;
  readonly protocol: 'tcp' | 'udp';
}

/** The accepted forms, for problem messages. */
export const PORT_ENTRY_FORMS = '"HOST:CONTAINER", "IP:HOST:CONTAINER" or "CONTAINER" (optionally ending in /tcp or /udp)';

/** Regex source (JSON Schema `pattern`) of a `ports` entry string. */
export const PORT_ENTRY_PATTERN = '^((\\d{1,3}\\.){3}\\d{1,3}:)?(\\d{1,5}:)?\\d{1,5}(/(tcp|udp))?$|^(\\d{1,3}\\.){3}\\d{1,3}::\\d{1,5}(/(tcp|udp))?$';

const ENTRY = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(?:(\d*):)?(\d+)(?:\/(tcp|udp))?$/;

/** True for an integer port from 1 to 65535. */
export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Parses one `ports` entry, or returns the problem with it. */
export function parsePortEntry(entry: string | number): PortEntry | { readonly error: string } {
  const text = String(entry).trim();
  const m = ENTRY.exec(text);
  if (!m) return { error: `expected ${PORT_ENTRY_FORMS}, got ${quote(text)}` };
  const [, ip, hostText, containerText, proto] = m;
  if (ip !== undefined && hostText === undefined) return { error: `expected ${PORT_ENTRY_FORMS}, got ${quote(text)}` };
  if (ip !== undefined && ip.split('.').some((o) => Number(o) > 255)) return { error: `${quote(ip)} is not an IP address` };
  const container = Number(containerText);
  if (!isPort(container)) return { error: `container port ${shorten(containerText ?? '', 12)} is out of range (1-65535)` };
  const base = { ip: ip ?? '127.0.0.1', container, protocol: proto === 'udp' ? ('udp' as const) : ('tcp' as const) };
  if (hostText === undefined || hostText === '') return base;
  const host = Number(hostText);
  if (!isPort(host)) return { error: `host port ${shorten(hostText, 12)} is out of range (1-65535)` };
  return { ...base, host };
}
