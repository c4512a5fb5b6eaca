// The documents the fuzzer mutates: the examples, the SPEC sample and every config fixture, each with
// the files next to it that it refers to (the SPEC sample's .env).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One seed document. */
export interface Seed {
  /** Where it came from, relative to the repository. */
  readonly name: string;
  readonly text: string;
  /** Files next to it (name → text), written beside the case. */
  readonly files: Readonly<Record<string, string>>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (name.endsWith('.yaml')) out.push(p);
  }
  return out;
}

/** Every seed, in a fixed order. */
export function loadSeeds(): Seed[] {
  const paths = [
    join(ROOT, 'examples/quickstart/services.yaml'),
    join(ROOT, 'examples/python-shop/services.yaml'),
    ...yamlFiles(join(ROOT, 'test/fixtures/config')),
  ];
  return paths.map((p) => {
    const dotenv = join(p, '..', '.env');
    const files: Record<string, string> = existsSync(dotenv) && p.endsWith('services.yaml') ? { '.env': readFileSync(dotenv, 'utf8') } : {};
    return { name: relative(ROOT, p), text: readFileSync(p, 'utf8'), files };
  });
}
