// The fuzz harness itself: cases are reproducible, and the oracles neither miss nor invent problems.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkResult, writeCase, type CaseResult } from './check-case.js';
import { generateCase, type FuzzCase } from './config-gen.js';
import { atFallbackPosition, durationMs, overlongDurations, unknownMerges } from './oracles.js';
import { caseRng } from './prng.js';
import { loadSeeds } from './seeds.js';

const seeds = loadSeeds();
const plain: FuzzCase = { index: 0, kind: 'test', text: 'services:\n  a:\n    command: x\n', latin1: false, files: {}, profiles: [], cwd: '' };
const result = (code: number, stdout: string, stderr: string): CaseResult => ({ code, stdout, stderr, ms: 1 });

describe('config fuzz harness', () => {
  it('regenerates the same case from (seed, index), whatever ran before', () => {
    const a = generateCase(7, 123, seeds);
    generateCase(7, 5, seeds);
    expect(generateCase(7, 123, seeds)).toEqual(a);
    expect(generateCase(8, 123, seeds)).not.toEqual(a);
    expect(caseRng(1, 2).next()).toBe(caseRng(1, 2).next());
  });

  it('seeds from the examples, the SPEC sample and the fixtures', () => {
    const names = seeds.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['examples/quickstart/services.yaml', 'examples/python-shop/services.yaml', 'test/fixtures/config/valid/spec-example/services.yaml']));
    expect(seeds.find((s) => s.name.includes('spec-example'))!.files['.env']).toContain('SHOP_MODE');
  });

  it('accepts exit 2 with positioned lines and exit 0 with the success line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'msdev-fuzz-harness-'));
    try {
      writeCase(plain, dir);
      expect(checkResult(plain, result(0, '✓ services.yaml: 1 service\n', ''), dir, 2000)).toEqual([]);
      expect(checkResult(plain, result(2, '', 'services.yaml:2:3: services.a: bad\nservices.yaml:3:5: services.a.command: worse\n'), dir, 2000)).toEqual([]);
      expect(checkResult(plain, result(2, '', 'services.yaml:9:1: services.a: past the end\n'), dir, 2000).map((v) => v.rule)).toEqual(['bad-position']);
      expect(checkResult(plain, result(2, '', 'missing.env:1:1: bad\n'), dir, 2000).map((v) => v.rule)).toEqual(['bad-position']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('flags other exit codes, stack traces, unpositioned and split lines, and slow cases', () => {
    const rules = (r: CaseResult) => checkResult(plain, r, '/nonexistent', 10).map((v) => v.rule);
    expect(rules(result(1, '', 'msdev: boom\n'))).toEqual(['exit-code']);
    expect(rules(result(2, '', 'TypeError: x\n    at f (a.js:1:1)\n'))).toEqual(['stack-trace', 'unpositioned', 'unpositioned']);
    expect(checkResult(plain, result(2, '', 'services.yaml:2:3: services: "a\nb" is bad\n'), '/nonexistent', 10)[1]!.detail).toMatch(/^\(split\)/);
    expect(rules({ ...result(0, '✓ services.yaml: 1 service\n', ''), ms: 11 })).toEqual(['slow']);
  });

  it('finds merges of missing anchors, the 1:1 fallback, and durations past the timer limit', () => {
    expect(unknownMerges('x: &base {a: 1}\nservices:\n  api:\n    <<: [*base, *bsae]\n')).toEqual(['bsae']);
    expect(unknownMerges('x: &base {a: 1}\nservices:\n  api:\n    <<: *base\n# <<: *nope\n')).toEqual([]);
    expect(atFallbackPosition('services.yaml:1:1: services.api.env: expected a mapping, got nothing')).toBe(true);
    expect(atFallbackPosition('services.yaml:1:1: unknown key "x"')).toBe(false);
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('10 secs')).toBeNull();
    expect(overlongDurations('services:\n  a:\n    stop_timeout: 600h\n    healthcheck: {interval: 1s}\n')).toEqual(['stop_timeout']);
    expect(overlongDurations('x-a: {stop_timeout: 600h}\nservices: {}\n')).toEqual([]);
    expect(overlongDurations('services:\n  a: {healthcheck: {interval: 1e9}}\n')).toEqual(['interval']);
  });
});
