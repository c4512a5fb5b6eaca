// Lists the exports of src/ that nothing outside tests imports: no non-test file in src/ imports them,
// src/index.ts does not re-export them (its re-exports are the public API), and no script in bin/,
// scripts/ or bench/ imports them (from dist/). Each is dead code, or code kept only for its tests.
// With --local, also lists the exports used only inside their own file (the `export` could go).
// Reads the import statements with regexes, not a parser: check a name before deleting it.
// Usage: node scripts/unused-exports.mjs [--local]; exits 1 when it lists anything.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const showLocal = process.argv.includes('--local');

/** Every file under dir whose name passes keep. */
function walk(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : walk(p, keep);
    return keep(e.name) ? [p] : [];
  });
}

/** The text without block and line comments (a // inside a string such as a URL is kept). */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const sources = walk(src, (n) => n.endsWith('.ts') && !n.endsWith('.test.ts') && !n.endsWith('.d.ts'));
const scripts = ['bin', 'scripts', 'bench'].flatMap((d) => walk(join(root, d), (n) => /\.[cm]?js$/.test(n)));
const text = new Map([...sources, ...scripts].map((f) => [f, stripComments(readFileSync(f, 'utf8'))]));

/** The src file an import specifier names, or null when it is a package or outside src (dist/X.js counts as src/X.ts). */
function target(from, spec) {
  if (!spec.startsWith('.')) return null;
  let p = resolve(dirname(from), spec);
  if (p.startsWith(dist + '/')) p = join(src, relative(dist, p));
  for (const candidate of [p.replace(/\.js$/, '.ts'), join(p, 'index.ts')]) if (sources.includes(candidate)) return candidate;
  return null;
}

/** The names in an import or export list `{ a, type B, c as d }`, as the exporting file spells them. */
const listNames = (list) =>
  list
    .split(',')
    .map((s) => s.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0])
    .filter(Boolean);

const DECL = /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm;
const NAMED = /\b(import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;
const DEFAULT_AND_NAMED = /\bimport\s+[A-Za-z_$][\w$]*\s*,\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;
const WHOLE = /\b(?:import\s+(?:type\s+)?\*\s+as\s+[\w$]+\s+from|export\s+(?:type\s+)?\*(?:\s+as\s+[\w$]+)?\s+from|import\s*\()\s*['"]([^'"]+)['"]/g;

const declared = new Map(sources.map((f) => [f, [...text.get(f).matchAll(DECL)].map((m) => m[1])]));
/** file → names some other file imports from it (or '*' for all of them). */
const used = new Map(sources.map((f) => [f, new Set()]));
/** [re-exporting file, name, origin file]: the origin's name is used when the re-exporter's is. */
const reexports = [];
const index = join(src, 'index.ts');

for (const [file, body] of text) {
  for (const m of body.matchAll(NAMED)) {
    const to = target(file, m[3]);
    if (!to) continue;
    for (const name of listNames(m[2])) {
      if (m[1] === 'export' && file !== index) reexports.push([file, name, to]);
      else used.get(to).add(name);
    }
  }
  for (const m of body.matchAll(DEFAULT_AND_NAMED)) {
    const to = target(file, m[2]);
    if (to) for (const name of listNames(m[1])) used.get(to).add(name);
  }
  for (const m of body.matchAll(WHOLE)) {
    const to = target(file, m[1]);
    if (to) used.get(to).add('*');
  }
}
for (let changed = true; changed; ) {
  changed = false;
  for (const [via, name, origin] of reexports) {
    const u = used.get(via);
    if ((u.has(name) || u.has('*')) && !used.get(origin).has(name)) {
      used.get(origin).add(name);
      changed = true;
    }
  }
}

// A name as a word, not as a property (`x.name`); a spread (`...name`) counts.
const word = (name) => new RegExp(`(?<![\\w$])(?<![^.]\\.)${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
const dead = [];
const local = [];
for (const [file, names] of declared) {
  const u = used.get(file);
  if (u.has('*')) continue;
  for (const name of names) {
    if (u.has(name)) continue;
    const inOwnFile = (text.get(file).match(word(name))?.length ?? 0) > 1;
    (inOwnFile ? local : dead).push(`${relative(root, file)}: ${name}`);
  }
}

const show = (title, list) => console.log(`${title} (${list.length}):\n${list.map((l) => `  ${l}`).join('\n')}`);
if (dead.length > 0) show('Exports of src/ nothing outside tests uses', dead);
if (showLocal && local.length > 0) show('Exports used only inside their own file', local);
process.exitCode = dead.length > 0 || (showLocal && local.length > 0) ? 1 : 0;
