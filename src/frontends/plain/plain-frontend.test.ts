import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, LogEvent, StateEvent } from '../../core/events.js';
import { NAME_COLUMN_MAX, shortNames } from './name-column.js';
import { createPlainFrontend, type PlainFrontendOptions } from './plain-frontend.js';

function setup(options: Partial<PlainFrontendOptions> = {}): { emit: (e: EngineEvent) => void; writes: string[]; text: () => string } {
  const writes: string[] = [];
  const { listener } = createPlainFrontend({
    names: ['api', 'db'],
    color: false,
    raw: false,
    quiet: false,
    write: (s) => writes.push(s),
    ...options,
  });
  return { emit: listener, writes, text: () => writes.join('') };
}

const log = (service: string, lines: string[], stream: 'stdout' | 'stderr' = 'stdout'): LogEvent => ({ type: 'log', ts: 0, service, stream, text: lines.join('\n'), lines });
const state = (service: string, s: StateEvent['state'], extra: Partial<StateEvent> = {}): StateEvent => ({
  type: 'state', ts: 0, service, state: s, prev: 'running', reason: null, pid: null, restarts: 0, ready: false, userStopped: false, startedAt: null, ...extra,
});
const pinoCached = (): boolean => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('pino-pretty'));

describe('createPlainFrontend', () => {
  it('prints NAME | text, padded to the longest name including msdev, one write per batch', () => {
    const { emit, writes } = setup();
    emit(log('api', ['hello', '', 'world']));
    emit(log('db', ['ready'], 'stderr'));
    expect(writes).toEqual(['api   | hello\napi   | \napi   | world\n', 'db    | ready\n']);
  });

  it('pads to a service name longer than msdev', () => {
    const { emit, text } = setup({ names: ['payments-api', 'db'] });
    emit(log('db', ['x']));
    emit({ type: 'message', ts: 0, level: 'info', text: 'hi' });
    expect(text()).toBe('db           | x\nmsdev        | hi\n');
  });

  it('gives each service its own colour, msdev grey', () => {
    const { emit, text } = setup({ color: true });
    emit(log('api', ['a']));
    emit(log('db', ['b']));
    emit(log('late', ['c']));
    emit({ type: 'message', ts: 0, level: 'error', text: 'bad' });
    expect(text()).toBe(
      '\x1b[36mapi   |\x1b[39m a\n' +
        '\x1b[33mdb    |\x1b[39m b\n' +
        '\x1b[32mlate  |\x1b[39m c\n' +
        '\x1b[90mmsdev |\x1b[39m \x1b[31mbad\x1b[39m\n',
    );
  });

  it('pretty-prints pino/bunyan records, loading pino-pretty only then', () => {
    const { emit, text } = setup();
    emit(log('api', ['config {"level":30,"time":1,"msg":"mid-line, not a record"}']));
    emit(log('api', ['{"not":"a log record"}', 'plain']));
    expect(pinoCached()).toBe(false);
    emit(log('api', ['before', '{"level":30,"time":1700000000000,"pid":7,"hostname":"h","msg":"listening","port":3000}']));
    emit(log('api', ['{"name":"app","hostname":"h","pid":1,"level":50,"msg":"boom","time":"2024-01-01T00:00:00.000Z","v":0,"err":{"message":"x","stack":"Error: x\\n    at y"}}']));
    emit(log('api', ['{"level":30, broken']));
    expect(pinoCached()).toBe(true);
    expect(text().split('\n')).toEqual([
      'api   | config {"level":30,"time":1,"msg":"mid-line, not a record"}',
      'api   | {"not":"a log record"}',
      'api   | plain',
      'api   | before',
      'api   | INFO: listening {"port":3000}',
      'api   | ERROR (app): boom {"err":{"message":"x"}}',
      'api   |     Error: x',
      'api   |         at y',
      'api   | {"level":30, broken',
      '',
    ]);
  });

  it('shows an error field\'s stack as indented lines under the record; a message keeps its \\n on one line', () => {
    const { emit, text } = setup();
    emit(log('api', [
      '{"level":50,"time":1,"msg":"two\\nlines","error":{"type":"TypeError","message":"bad","stack":"TypeError: bad\\n    at f (a.js:1:1)\\n    at g (b.js:2:2)"}}',
      '{"level":30,"time":1,"msg":"no stack","err":{"message":"m"}}',
      'after',
    ]));
    expect(text().split('\n')).toEqual([
      'api   | ERROR: two\\nlines {"error":{"type":"TypeError","message":"bad"}}',
      'api   |     TypeError: bad',
      'api   |         at f (a.js:1:1)',
      'api   |         at g (b.js:2:2)',
      'api   | INFO: no stack {"err":{"message":"m"}}',
      'api   | after',
      '',
    ]);
  });

  it('leaves records alone under raw', () => {
    const { emit, text } = setup({ raw: true });
    const line = '{"level":30,"time":1,"msg":"hi"}';
    emit(log('api', [line]));
    expect(text()).toBe(`api   | ${line}\n`);
  });

  it('shows states, ready and messages under msdev', () => {
    const { emit, text } = setup();
    emit(state('api', 'pending', { prev: 'pending' }));
    emit(state('api', 'starting', { prev: 'pending' }));
    emit(state('api', 'running', { prev: 'starting', pid: 4242 }));
    emit(state('api', 'healthy'));
    emit(state('db', 'crashed', { exitCode: 1, reason: 'restart 2 in 2s' }));
    emit(state('db', 'failed', { reason: 'gave up after 5 restarts' }));
    emit({ type: 'ready', ts: 0, services: ['api', 'db'], ms: 812 });
    emit({ type: 'message', ts: 0, level: 'warn', text: 'two\nlines' });
    expect(text()).toBe(
      [
        'msdev | api: running (pid 4242)',
        'msdev | api: healthy',
        'msdev | db: crashed (exit code 1); restart 2 in 2s',
        'msdev | db: failed; gave up after 5 restarts',
        'msdev | ready in 812 ms: api, db',
        'msdev | two',
        'msdev | lines',
        '',
      ].join('\n'),
    );
  });

  it('under quiet shows only error messages and failed states, but every log line', () => {
    const { emit, text } = setup({ quiet: true });
    emit(state('api', 'healthy'));
    emit(state('api', 'crashed', { exitCode: 2 }));
    emit(state('api', 'failed', { exitCode: 2 }));
    emit({ type: 'ready', ts: 0, services: ['api'], ms: 1 });
    emit({ type: 'message', ts: 0, level: 'info', text: 'info' });
    emit({ type: 'message', ts: 0, level: 'error', text: 'error' });
    emit(log('api', ['still shown']));
    expect(text()).toBe('msdev | api: failed (exit code 2)\nmsdev | error\napi   | still shown\n');
  });

  it('formats msdev messages for the caller', () => {
    const { formatMessage } = createPlainFrontend({ names: ['a'], color: false, raw: false, quiet: false, write: () => undefined });
    expect(formatMessage('info', 'x')).toBe('msdev | x\n');
  });
});

describe('the name column', () => {
  it('is capped at NAME_COLUMN_MAX: a 200-character name is cut in the middle, the others stay apart', () => {
    const long = `svc-${'x'.repeat(190)}-a`;
    const twin = `svc-${'x'.repeat(190)}-b`;
    const { emit, text } = setup({ names: [long, twin, 'db'] });
    emit(log(long, ['one']));
    emit(log(twin, ['two']));
    emit(log('db', ['three']));
    emit({ type: 'message', ts: 0, level: 'info', text: 'hi' });
    const lines = text().split('\n').filter(Boolean);
    for (const line of lines) expect(line.indexOf(' | ')).toBe(NAME_COLUMN_MAX);
    const labels = lines.map((l) => l.slice(0, NAME_COLUMN_MAX).trimEnd());
    expect(labels[0]).toBe(`svc-xxxxxxxx…${'x'.repeat(9)}-a`);
    expect(labels[1]).toBe(`svc-xxxxxxxx…${'x'.repeat(9)}-b`);
    expect(labels[2]).toBe('db');
    expect(labels[3]).toBe('msdev');
  });

  it('gives names whose cut forms collide different labels', () => {
    const a = `${'p'.repeat(30)}-same-tail-1`;
    const b = `${'p'.repeat(31)}same-tail-1`;
    const labels = shortNames([a, b, 'api']);
    expect(labels.get(a)).toHaveLength(NAME_COLUMN_MAX);
    expect(labels.get(b)).toHaveLength(NAME_COLUMN_MAX);
    expect(labels.get(a)).not.toBe(labels.get(b));
    expect(labels.get('api')).toBe('api');
    const many = Array.from({ length: 30 }, (_, i) => `${'q'.repeat(40)}-${i}-${'z'.repeat(20)}`);
    expect(new Set(shortNames(many).values()).size).toBe(new Set(many).size);
  });

  it('cuts a service not named up front too', () => {
    const { emit, text } = setup({ names: ['api'] });
    emit(log('n'.repeat(100), ['late']));
    expect(text()).toBe(`${'n'.repeat(12)}…${'n'.repeat(11)} | late\n`);
  });
});
