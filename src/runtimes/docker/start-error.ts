// The engine's refusals to create or start a container, in words that say what to do.
import type { ContainerServiceSpec } from '../../config/model.js';
import { engineMessage } from './engine-message.js';

/** Why a container could not start: a host port in use, a missing bind folder, or the engine's own words. */
export function describeStartError(spec: ContainerServiceSpec, err: unknown): string {
  const text = engineMessage(err);
  if (/port is already allocated|address already in use/i.test(text)) {
    const m = /(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\]|0\.0\.0\.0):(\d+)/i.exec(text);
    const taken = m ? `${m[1]}:${m[2]}` : spec.ports.map((p) => `${p.ip}:${p.host}`).join(', ');
    return `host port ${taken} is already in use; stop what listens there or change "ports" of ${spec.name} (${text})`;
  }
  if (/bind source path does not exist|invalid mount config/i.test(text)) return `a volume of ${spec.name} cannot be mounted: ${text}; fix "volumes"`;
  return `the Docker engine could not start ${spec.name}: ${text}`;
}
