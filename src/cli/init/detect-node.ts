// Node projects: a package.json's `dev` or `start` script (and each workspace package's), and
// loose top-level scripts (api.mjs, worker.js, …) when no script names what to run.
import { joinRel, type FolderView } from './folder-view.js';
import { serverCheck, serviceName, type Guess, type GuessedService } from './guess.js';

/** Dev servers that answer GET / once they are up, and how each is told its port. */
const FRONTENDS: readonly { readonly re: RegExp; readonly name: string; readonly portArgs?: string }[] = [
  { re: /\bnext\b/, name: 'Next.js' },
  { re: /\bnuxt\b/, name: 'Nuxt' },
  { re: /\breact-scripts\b/, name: 'Create React App' },
  { re: /\bastro\b/, name: 'Astro', portArgs: '--port ${port} --host 127.0.0.1' },
  { re: /\bvite\b/, name: 'Vite', portArgs: '--port ${port} --strictPort --host 127.0.0.1' },
  { re: /\bng serve\b/, name: 'Angular', portArgs: '--port ${port} --host 127.0.0.1' },
];

/** Packages and commands that make a script a server (listening on $PORT). */
const BACKEND = /\b(express|fastify|koa|@hapi\/hapi|@nestjs\/core|nest start|hono|@remix-run\/serve|polka|restify)\b/;

/** Source that listens on a port. */
const LISTENS = /\bcreateServer\s*\(|\.listen\s*\(|\bexpress\s*\(\s*\)|\bfastify\s*\(|new Hono\b|Bun\.serve\s*\(|process\.env\.PORT\b/;

/** Source that keeps running without listening (a worker or a poller). */
const LOOPS = /\bsetInterval\s*\(|while\s*\(\s*(true|1)\s*\)|for\s*\(\s*;\s*;\s*\)|\.subscribe\s*\(|\.consume\s*\(|\.on\(\s*['"](message|data)['"]/;

/** The package manager of a folder, from its lock file. */
export function packageManager(view: FolderView, dir: string): 'npm' | 'pnpm' | 'yarn' | 'bun' {
  const names = new Set(view.list(dir));
  if (names.has('pnpm-lock.yaml')) return 'pnpm';
  if (names.has('yarn.lock')) return 'yarn';
  if (names.has('bun.lockb') || names.has('bun.lock')) return 'bun';
  return 'npm';
}

interface PackageJson {
  readonly name?: unknown;
  readonly main?: unknown;
  readonly scripts?: Readonly<Record<string, unknown>>;
  readonly dependencies?: Readonly<Record<string, unknown>>;
  readonly devDependencies?: Readonly<Record<string, unknown>>;
  readonly workspaces?: unknown;
}

/** The parsed package.json of a folder, or undefined. */
function readPackageJson(view: FolderView, dir: string): PackageJson | undefined {
  const text = view.read(joinRel(dir, 'package.json'));
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The `dev` script, else the `start` script, of a package.json. */
function runScript(pkg: PackageJson): { readonly script: 'dev' | 'start'; readonly text: string } | undefined {
  for (const script of ['dev', 'start'] as const) {
    const text = pkg.scripts?.[script];
    if (typeof text === 'string' && text.trim() !== '') return { script, text };
  }
  return undefined;
}

/** The file a script runs with node (`node server.js`, `nodemon src/index.js`), else the package's main. */
function entryText(view: FolderView, dir: string, pkg: PackageJson, script: string): string {
  const m = /\b(?:node|nodemon|tsx|ts-node|bun)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w./-]+\.[cm]?[jt]s)\b/.exec(script);
  const candidates = [m?.[1], typeof pkg.main === 'string' ? pkg.main : undefined, 'server.js', 'index.js', 'app.js', 'src/index.ts', 'src/index.js', 'src/main.ts', 'src/server.ts'];
  for (const c of candidates) {
    if (c === undefined) continue;
    const text = view.read(joinRel(dir, c.replace(/^\.\//, '')));
    if (text !== undefined) return text;
  }
  return '';
}

/** The service of one package.json folder with a `dev` or `start` script, or undefined. */
export function packageGuess(view: FolderView, dir: string, pm: string, fallbackName: string): Guess | undefined {
  const pkg = readPackageJson(view, dir);
  if (!pkg) return undefined;
  const run = runScript(pkg);
  if (!run) return undefined;
  const where = dir === '' ? 'package.json' : `${dir}/package.json`;
  const deps = Object.keys({ ...(pkg.dependencies ?? {}), ...(pkg.devDependencies ?? {}) }).join(' ');
  const base = pm === 'npm' ? (run.script === 'dev' ? 'npm run dev' : 'npm start') : pm === 'yarn' ? `yarn ${run.script}` : `${pm} run ${run.script}`;
  const why = [`${where} has a "${run.script}" script: ${oneLine(run.text)}`];
  const service: GuessedService = { command: base };
  if (dir !== '') service.cwd = `./${dir}`;
  const source = entryText(view, dir, pkg, run.text);
  const frontend = FRONTENDS.find((f) => f.re.test(run.text));
  if (frontend) {
    if (frontend.portArgs) service.command = `${base} -- ${frontend.portArgs}`;
    service.port = 'auto';
    const { check, why: how } = serverCheck(source, '/');
    if (check) service.healthcheck = check;
    why.push(`a ${frontend.name} dev server: port auto (${frontend.portArgs ? 'passed as --port' : 'it reads $PORT'}); ${how}`);
  } else if (BACKEND.test(run.text) || BACKEND.test(deps) || LISTENS.test(source)) {
    service.port = 'auto';
    const { check, why: how } = serverCheck(source);
    if (check) service.healthcheck = check;
    why.push(`looks like a server: port auto (it should listen on $PORT); ${how}`);
  }
  const name = serviceName(typeof pkg.name === 'string' ? pkg.name : fallbackName, serviceName(fallbackName));
  return { name, why, service, text: `${run.text}\n${source}` };
}

/** The workspace package folders: the `workspaces` globs of the root package.json (`dir/*` forms), else packages/* and apps/*. */
function workspaceDirs(view: FolderView, root: PackageJson | undefined): string[] {
  const ws = root?.workspaces;
  const globs = Array.isArray(ws) ? ws : ws !== null && typeof ws === 'object' && Array.isArray((ws as { packages?: unknown }).packages) ? (ws as { packages: unknown[] }).packages : [];
  const patterns = globs.filter((g): g is string => typeof g === 'string');
  const parents = patterns.length > 0 ? patterns : ['packages/*', 'apps/*'];
  const out: string[] = [];
  for (const p of parents) {
    const m = /^([\w.-]+(?:\/[\w.-]+)*)\/\*$/.exec(p.replace(/^\.\//, ''));
    if (m) out.push(...view.list(m[1]!).filter((n) => n.endsWith('/')).map((n) => joinRel(m[1]!, n.slice(0, -1))));
    else if (/^[\w.-]+(\/[\w.-]+)*$/.test(p)) out.push(p);
  }
  return out.filter((d) => view.read(joinRel(d, 'package.json')) !== undefined);
}

/** The root package.json's service, or its workspace packages' services when it has some with scripts. */
export function detectNode(view: FolderView, rootName: string): Guess[] {
  const root = readPackageJson(view, '');
  const pm = packageManager(view, '');
  const packages = workspaceDirs(view, root)
    .map((d) => packageGuess(view, d, pm, d.slice(d.lastIndexOf('/') + 1)))
    .filter((g): g is Guess => g !== undefined);
  if (packages.length > 0) {
    if (root && runScript(root)) packages[0]!.why.unshift(`the root package.json's "${runScript(root)!.script}" script is left out: it likely starts these packages itself`);
    return packages;
  }
  const own = root ? packageGuess(view, '', pm, rootName) : undefined;
  return own ? [own] : [];
}

/** Config, test and build files that are not services. */
const NOT_ENTRY = /(^|[.-])(config|conf|rc|test|spec|setup|jest|vitest|eslint|prettier|babel|webpack|rollup|esbuild|gulpfile|gruntfile)\.[cm]?js$|^\./;

/** Top-level .js/.mjs/.cjs scripts that no other top-level script imports: each is a service. */
export function detectNodeScripts(view: FolderView): Guess[] {
  const files = view.list('').filter((n) => /\.[cm]?js$/.test(n) && !NOT_ENTRY.test(n));
  const texts = new Map(files.map((f) => [f, view.read(f) ?? '']));
  const imported = new Set<string>();
  for (const text of texts.values()) {
    for (const m of text.matchAll(/(?:from\s*|require\s*\(\s*|import\s*\(?\s*)['"]\.\/([\w.-]+)['"]/g)) {
      const spec = m[1]!;
      for (const f of files) if (f === spec || f.replace(/\.[cm]?js$/, '') === spec) imported.add(f);
    }
  }
  const out: Guess[] = [];
  for (const [file, text] of texts) {
    if (imported.has(file)) continue;
    const name = serviceName(file.replace(/\.[cm]?js$/, '').replace(/[-_](service|server|svc)$/, ''));
    const service: GuessedService = { command: `node ${file}` };
    const why = [`${file}: a Node script`];
    if (LISTENS.test(text)) {
      service.port = 'auto';
      const { check, why: how } = serverCheck(text);
      if (check) service.healthcheck = check;
      why[0] += ` that listens: port auto (it should listen on $PORT); ${how}`;
    } else if (!LOOPS.test(text)) {
      service.restart = 'no';
      why[0] += ' with no server and no loop: a one-shot (restart: "no"), expected to exit 0';
    } else why[0] += ' that keeps running (a loop) with no port';
    out.push({ name, why, service, text });
  }
  return out;
}

/** A script's text on one line, shortened. */
function oneLine(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}
