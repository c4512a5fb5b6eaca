import { describe, expect, it } from 'vitest';
import { testContainer } from '../../../test/helpers/specs.js';
import { commandArgv, createOptions, entrypointWords, volumeOptions } from './create-options.js';

const ctx = { project: 'shop', dir: '/src/shop', network: 'shop-msdev', image: 'postgres:16' };

describe('createOptions', () => {
  it('publishes ports on their host IP, labels the container, runs an init, joins the network under the service name', () => {
    const spec = testContainer('db', {
      ports: [
        { ip: '127.0.0.1', host: 15432, container: 5432, protocol: 'tcp' },
        { ip: '0.0.0.0', host: 9000, container: 9000, protocol: 'udp' },
      ],
      env: { POSTGRES_PASSWORD: 'dev', EMPTY: '' },
      stopSignal: 'SIGINT',
      stopTimeoutMs: 2500,
    });
    const o = createOptions(spec, ctx);
    expect(o.name).toBe('shop-db');
    expect(o.Image).toBe('postgres:16');
    expect(o.Env).toEqual(['POSTGRES_PASSWORD=dev', 'EMPTY=']);
    expect(o.Labels).toEqual({ 'dev.msdev.project': 'shop', 'dev.msdev.dir': '/src/shop', 'dev.msdev.service': 'db' });
    expect(o.ExposedPorts).toEqual({ '5432/tcp': {}, '9000/udp': {} });
    expect(o.HostConfig?.PortBindings).toEqual({ '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '15432' }], '9000/udp': [{ HostIp: '0.0.0.0', HostPort: '9000' }] });
    expect(o.HostConfig?.Init).toBe(true);
    expect(o.HostConfig?.ExtraHosts).toEqual(['host.docker.internal:host-gateway']);
    expect(o.NetworkingConfig?.EndpointsConfig).toEqual({ 'shop-msdev': { Aliases: ['db'] } });
    expect(o.StopSignal).toBe('SIGINT');
    expect(o.StopTimeout).toBe(3);
    expect(o.Cmd).toBeUndefined();
    expect(o.Entrypoint).toBeUndefined();
  });

  it('overrides command (a string through sh -c, a list as argv) and entrypoint (a string split into words)', () => {
    expect(createOptions(testContainer('a', { command: 'echo $HOME && sleep 1' }), ctx).Cmd).toEqual(['sh', '-c', 'echo $HOME && sleep 1']);
    expect(createOptions(testContainer('a', { command: ['redis-server', '--save', ''] }), ctx).Cmd).toEqual(['redis-server', '--save', '']);
    expect(createOptions(testContainer('a', { entrypoint: 'docker-entrypoint.sh "a b" c\\ d' }), ctx).Entrypoint).toEqual(['docker-entrypoint.sh', 'a b', 'c d']);
    expect(createOptions(testContainer('a', { entrypoint: ['/bin/sh', '-c'] }), ctx).Entrypoint).toEqual(['/bin/sh', '-c']);
    expect(commandArgv('x')).toEqual(['sh', '-c', 'x']);
  });

  it('makes names the engine accepts from any project name', () => {
    expect(createOptions(testContainer('api'), { ...ctx, project: '.My Shop!' }).name).toBe('My-Shop-api');
  });
});

describe('volumeOptions', () => {
  it('keeps binds, prefixes named volumes with the project, and makes a bare path an anonymous volume', () => {
    expect(volumeOptions(['/abs/data:/var/lib/data', '/abs/conf:/etc/conf:ro', 'pgdata:/var/lib/postgresql/data', '/cache'], 'shop')).toEqual({
      binds: ['/abs/data:/var/lib/data', '/abs/conf:/etc/conf:ro', 'shop_pgdata:/var/lib/postgresql/data'],
      anonymous: { '/cache': {} },
    });
  });
});

describe('entrypointWords', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ["'a b' \"c d\"", ['a b', 'c d']],
    ['"say \\"hi\\""', ['say "hi"']],
    ["''", ['']],
    ['  ', []],
    ['a "b c', ['a', '"b', 'c']],
  ])('%s', (text, words) => {
    expect(entrypointWords(text)).toEqual(words);
  });
});
