// `msdev init` without --from: looks at the folder (and, when its top says nothing, at each
// sub-folder) and guesses its services, then how they depend on each other.
import type { FolderView } from './folder-view.js';
import { serviceName, type Guess } from './guess.js';
import { detectNode, detectNodeScripts, packageGuess, packageManager } from './detect-node.js';
import { detectCargo, detectDockerfile, detectGo, detectRuby } from './detect-other.js';
import { detectDjango, detectPythonApp, detectPythonScripts } from './detect-python.js';

/** The services of one folder from its manifests (not loose scripts); `name` names a service of the folder. */
function detectProject(view: FolderView, dir: string, name: string): Guess[] {
  const found: Guess[] = [];
  const node = dir === '' ? detectNode(view, name) : [packageGuess(view, dir, packageManager(view, dir), name)].filter((g): g is Guess => g !== undefined);
  found.push(...node);
  const django = detectDjango(view, dir, name);
  const pyApp = django ? undefined : detectPythonApp(view, dir, name);
  for (const g of [django, pyApp, ...detectGo(view, dir, name), detectCargo(view, dir, name), detectRuby(view, dir, name)]) if (g) found.push(g);
  const docker = detectDockerfile(view, dir, name);
  if (docker) {
    if (found.length > 0) {
      // The Dockerfile most likely packs the same app: keep it behind a profile instead of running it twice.
      docker.service.profiles = ['docker'];
      docker.why.push(`the same app as "${found[0]!.name}" in a container, so only under --profile docker`);
      found.push({ ...docker, name: `${found[0]!.name}-docker` });
    } else found.push(docker);
  }
  return found;
}

/** Every guess for the folder: its top's manifests, else its sub-folders' manifests, plus loose scripts at the top when no manifest names a command. */
export function detectServices(view: FolderView, folderName: string): Guess[] {
  const rootName = serviceName(folderName);
  let guesses = detectProject(view, '', rootName);
  if (guesses.length === 0) {
    for (const sub of view.list('').filter((n) => n.endsWith('/') && !n.startsWith('.'))) {
      const dir = sub.slice(0, -1);
      guesses.push(...detectProject(view, dir, serviceName(dir)));
    }
  }
  if (!guesses.some((g) => g.service.command !== undefined)) guesses = [...guesses, ...detectNodeScripts(view), ...detectPythonScripts(view)];
  return linkDependencies(uniqueNames(guesses));
}

/** Gives guesses that share a name `-2`, `-3`, … suffixes. */
function uniqueNames(guesses: readonly Guess[]): Guess[] {
  const seen = new Map<string, number>();
  return guesses.map((g) => {
    const n = (seen.get(g.name) ?? 0) + 1;
    seen.set(g.name, n);
    return n === 1 ? g : { ...g, name: `${g.name}-${n}` };
  });
}

/** The registry prefix of a service name (`my-db` → `MY_DB`), as msdev sets `MY_DB_URL`. */
function prefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * Dependencies: a service whose code names another's registry variable (API_URL, DB_HOST, …) waits
 * for it to be healthy; a one-shot named migrate… runs before the servers that do not feed it.
 */
function linkDependencies(guesses: readonly Guess[]): Guess[] {
  const reachable = new Set(guesses.filter((g) => g.service.port !== undefined || g.service.ports !== undefined).map((g) => g.name));
  const deps = new Map<string, Map<string, 'healthy' | 'completed'>>(guesses.map((g) => [g.name, new Map()]));
  for (const g of guesses) {
    for (const other of reachable) {
      if (other === g.name || g.service.profiles || guesses.find((x) => x.name === other)?.service.profiles) continue;
      // An edge that would close a cycle (two services naming each other) is left out.
      if (new RegExp(`\\b${prefix(other)}_(URL|HOST|PORT)\\b`).test(g.text) && !upstream(other, deps).has(g.name)) deps.get(g.name)!.set(other, 'healthy');
    }
  }
  for (const m of guesses.filter((g) => g.service.restart === 'no' && /^migrat/i.test(g.name))) {
    const feeds = upstream(m.name, deps);
    for (const g of guesses) {
      if (g.name === m.name || g.service.restart === 'no' || g.service.profiles || !reachable.has(g.name) || feeds.has(g.name)) continue;
      deps.get(g.name)!.set(m.name, 'completed');
    }
  }
  return guesses.map((g) => {
    const d = deps.get(g.name)!;
    if (d.size === 0) return g;
    const names = [...d.keys()];
    const why = [...g.why];
    const viaEnv = names.filter((n) => d.get(n) === 'healthy');
    if (viaEnv.length > 0) why.push(`waits for ${viaEnv.join(', ')} to be healthy: its code uses ${viaEnv.map((n) => `${prefix(n)}_*`).join(', ')} (msdev's registry)`);
    const migrations = names.filter((n) => d.get(n) === 'completed');
    if (migrations.length > 0) why.push(`starts after ${migrations.join(', ')} completed (a migration runs before the servers)`);
    return { ...g, why, service: { ...g.service, depends_on: Object.fromEntries(d) } };
  });
}

/** Everything `name` waits for, transitively. */
function upstream(name: string, deps: ReadonlyMap<string, ReadonlyMap<string, string>>): Set<string> {
  const out = new Set<string>();
  const todo = [name];
  while (todo.length > 0) {
    for (const d of deps.get(todo.pop()!)?.keys() ?? []) {
      if (!out.has(d)) {
        out.add(d);
        todo.push(d);
      }
    }
  }
  return out;
}
