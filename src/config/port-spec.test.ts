import { describe, expect, it } from 'vitest';
import { parsePortEntry } from './port-spec.js';

describe('parsePortEntry', () => {
  it.each([
    ['5432:5432', { ip: '127.0.0.1', host: 5432, container: 5432, protocol: 'tcp' }],
    ['8080:80', { ip: '127.0.0.1', host: 8080, container: 80, protocol: 'tcp' }],
    ['0.0.0.0:8080:80', { ip: '0.0.0.0', host: 8080, container: 80, protocol: 'tcp' }],
    ['127.0.0.1::80', { ip: '127.0.0.1', container: 80, protocol: 'tcp' }],
    ['80', { ip: '127.0.0.1', container: 80, protocol: 'tcp' }],
    [80, { ip: '127.0.0.1', container: 80, protocol: 'tcp' }],
    ['53:53/udp', { ip: '127.0.0.1', host: 53, container: 53, protocol: 'udp' }],
    ['9000/tcp', { ip: '127.0.0.1', container: 9000, protocol: 'tcp' }],
  ] as const)('%j', (entry, parsed) => {
    expect(parsePortEntry(entry)).toEqual(parsed);
  });

  it.each([
    ['abc', 'expected "HOST:CONTAINER", "IP:HOST:CONTAINER" or "CONTAINER" (optionally ending in /tcp or /udp), got "abc"'],
    ['70000:80', 'host port 70000 is out of range (1-65535)'],
    ['80:0', 'container port 0 is out of range (1-65535)'],
    ['300.1.1.1:80:80', '"300.1.1.1" is not an IP address'],
    ['80/sctp', 'expected "HOST:CONTAINER", "IP:HOST:CONTAINER" or "CONTAINER" (optionally ending in /tcp or /udp), got "80/sctp"'],
  ])('%j is a problem', (entry, error) => {
    expect(parsePortEntry(entry)).toEqual({ error });
  });
});
