// The config fuzzer's case generator: each case is a services.yaml (plus env files next to it and
// the --profile names to use), made by mutating a seed, generating a document, or building one
// around a hostile construct. Deterministic: case `index` under `seed` is always the same.
import { HOSTILE } from './hostile.js';
import { mutate } from './mutate.js';
import { PROTO_NAMES } from './pools.js';
import { caseRng, type Rng } from './prng.js';
import type { Seed } from './seeds.js';
import { synthDocument } from './synth.js';

/** One generated case. */
export interface FuzzCase {
  readonly index: number;
  /** How it was made, e.g. `seed examples/quickstart/services.yaml + swap-lines,bom`. */
  readonly kind: string;
  /** The services.yaml text. */
  readonly text: string;
  /** Write the text as latin1 (so characters above U+007F become invalid UTF-8 bytes). */
  readonly latin1: boolean;
  /** Other files in the case folder (name → text). */
  readonly files: Readonly<Record<string, string>>;
  /** --profile names. */
  readonly profiles: readonly string[];
  /** Run from this subfolder of the case folder ('' = the folder itself), so the file is found upward. */
  readonly cwd: string;
}

const HOSTILE_NAMES = Object.keys(HOSTILE);

function pickSeed(rng: Rng, seeds: readonly Seed[]): Seed {
  const main = seeds.filter((s) => s.name.startsWith('examples/') || s.name.includes('spec-example'));
  return rng.chance(0.6) && main.length > 0 ? rng.pick(main) : rng.pick(seeds);
}

/** Generates case `index` of the run seeded with `seed`. */
export function generateCase(seed: number, index: number, seeds: readonly Seed[]): FuzzCase {
  const rng = caseRng(seed, index);
  let kind: string;
  let text: string;
  let files: Readonly<Record<string, string>> = {};
  let profiles: readonly string[] = [];
  const route = rng.weighted<'seed' | 'synth' | 'hostile'>([
    [40, 'seed'],
    [32, 'synth'],
    [28, 'hostile'],
  ]);
  if (route === 'seed') {
    const s = pickSeed(rng, seeds);
    const m = rng.chance(0.03) ? { text: s.text, applied: ['none'] } : mutate(s.text, rng, 4);
    kind = `seed ${s.name} + ${m.applied.join(',')}`;
    text = m.text;
    files = s.files;
  } else if (route === 'synth') {
    const n = rng.size(1, 12);
    const wild = rng.pick([0, 0, 0.05, 0.2, 0.5]);
    const g = synthDocument(rng, { services: n, wild });
    const m = rng.chance(0.5) ? { text: g.text, applied: [] } : mutate(g.text, rng, 2);
    kind = `synth ${n} services, wild ${wild}${m.applied.length ? ` + ${m.applied.join(',')}` : ''}`;
    text = m.text;
    files = g.files;
  } else {
    const name = rng.pick(HOSTILE_NAMES);
    const big = rng.chance(0.02);
    const g = HOSTILE[name]!(rng, big);
    const m = rng.chance(0.2) ? mutate(g.text, rng, 1) : { text: g.text, applied: [] };
    kind = `hostile ${name}${big ? ' (big)' : ''}${m.applied.length ? ` + ${m.applied.join(',')}` : ''}`;
    text = m.text;
    files = g.files;
    profiles = g.profiles ?? [];
  }
  if (profiles.length === 0 && rng.chance(0.15)) profiles = [rng.pick(['full', 'dev', 'nope', '', ...PROTO_NAMES])];
  return { index, kind, text, files, profiles, latin1: rng.chance(0.02), cwd: rng.chance(0.05) ? 'sub' : '' };
}
