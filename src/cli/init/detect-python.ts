// Python projects: Django (manage.py), Flask or FastAPI apps (app.py, main.py), and loose
// top-level scripts (catalog.py, worker.py, …) that no other script imports.
import { joinRel, type FolderView } from './folder-view.js';
import { serverCheck, serviceName, type Guess, type GuessedService } from './guess.js';

/** Python source that serves on a port. */
const SERVES = /serve_forever\s*\(|HTTPServer\s*\(|\bsocketserver\b|uvicorn\.run\s*\(|web\.run_app\s*\(|asyncio\.start_server\s*\(|\bapp\.run\s*\(|environ(?:\.get)?\s*[[(]\s*["']PORT["']|getenv\s*\(\s*["']PORT["']/;

/** Python source that keeps running without serving (a worker or a poller). */
const LOOPS = /\bwhile\s+(True|1)\s*:|run_forever\s*\(|start_consuming\s*\(|\.subscribe\s*\(/;

/** Django: `manage.py` in the folder. */
export function detectDjango(view: FolderView, dir: string, name: string): Guess | undefined {
  const manage = view.read(joinRel(dir, 'manage.py'));
  if (manage === undefined) return undefined;
  const urls = findUrls(view, dir);
  const service: GuessedService = { command: 'python3 manage.py runserver 127.0.0.1:${port}', port: 'auto' };
  if (dir !== '') service.cwd = `./${dir}`;
  const where = joinRel(dir, 'manage.py');
  const { check, why } = serverCheck(urls, /admin\.site\.urls/.test(urls) ? '/admin/login/' : undefined);
  if (check) service.healthcheck = check;
  return { name, why: [`${where}: a Django project, run with runserver on port auto; ${why}`], service, text: `${manage}\n${urls}` };
}

/** The text of the urls.py files a Django project has (its top folder and one level down). */
function findUrls(view: FolderView, dir: string): string {
  const out: string[] = [];
  for (const n of view.list(dir)) {
    if (n === 'urls.py') out.push(view.read(joinRel(dir, n)) ?? '');
    if (n.endsWith('/')) out.push(view.read(joinRel(dir, `${n}urls.py`)) ?? '');
  }
  return out.join('\n');
}

/** Flask or FastAPI in app.py or main.py (or a uvicorn/flask hint there). */
export function detectPythonApp(view: FolderView, dir: string, name: string): Guess | undefined {
  for (const file of ['app.py', 'main.py', 'server.py', 'wsgi.py', 'asgi.py']) {
    const text = view.read(joinRel(dir, file));
    if (text === undefined) continue;
    const module = file.slice(0, -3);
    const where = joinRel(dir, file);
    const fastapi = /^(\w+)\s*=\s*(FastAPI|Starlette)\s*\(/m.exec(text);
    const flask = /^(\w+)\s*=\s*Flask\s*\(/m.exec(text);
    let service: GuessedService;
    let why: string;
    if (fastapi) {
      service = { command: `uvicorn ${module}:${fastapi[1]} --host 127.0.0.1 --port \${port}`, port: 'auto' };
      const c = serverCheck(text, fastapi[2] === 'FastAPI' && !/docs_url\s*=\s*None/.test(text) ? '/docs' : undefined);
      if (c.check) service.healthcheck = c.check;
      why = `${where} creates a ${fastapi[2]} app "${fastapi[1]}": run with uvicorn on port auto; ${c.why}`;
    } else if (flask) {
      service = { command: `flask --app ${module}:${flask[1]} run --host 127.0.0.1 --port \${port}`, port: 'auto' };
      const c = serverCheck(text);
      if (c.check) service.healthcheck = c.check;
      why = `${where} creates a Flask app "${flask[1]}": run with flask on port auto; ${c.why}`;
    } else if (/\buvicorn\b/.test(text)) {
      service = { command: `python3 -u ${file}`, port: 'auto' };
      const c = serverCheck(text);
      if (c.check) service.healthcheck = c.check;
      why = `${where} runs uvicorn: port auto (it should listen on $PORT); ${c.why}`;
    } else continue;
    if (dir !== '') service.cwd = `./${dir}`;
    return { name, why: [why], service, text };
  }
  return undefined;
}

/** Files that are not services. */
const NOT_ENTRY = /^(setup|conftest|__init__|manage|noxfile|fabfile|tasks)\.py$|^test_|_test\.py$/;

/** The names a script imports from local modules: module → names (`import m` gives ['*']). */
function localImports(text: string, modules: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // `from m import a, b as c` on one line, or `from m import (a,\n b)`.
  for (const m of text.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(?:\(([\w\s,]+)\)|([\w \t,]+))/gm)) {
    if (modules.has(m[1]!)) out.set(m[1]!, (m[2] ?? m[3]!).split(',').map((s) => s.trim().split(/\s+/)[0]!).filter(Boolean));
  }
  for (const m of text.matchAll(/^[ \t]*import[ \t]+([\w \t,]+)$/gm)) for (const mod of m[1]!.split(',').map((s) => s.trim().split(/\s+/)[0]!)) if (modules.has(mod)) out.set(mod, ['*']);
  return out;
}

/** The body of a top-level `def NAME` in a module (up to the next top-level statement), or the whole module for '*'. */
function defBody(module: string, name: string): string {
  if (name === '*') return module;
  const start = new RegExp(`^def ${name}\\s*\\(`, 'm').exec(module);
  if (!start) return '';
  const rest = module.slice(start.index);
  const end = /\n(?=[^\s#])/.exec(rest.slice(1));
  return end ? rest.slice(0, end.index + 1) : rest;
}

/** Top-level .py scripts (a `__main__` guard, or imported by no other script); helpers they import count for what they do. */
export function detectPythonScripts(view: FolderView): Guess[] {
  const files = view.list('').filter((n) => n.endsWith('.py') && !NOT_ENTRY.test(n));
  const texts = new Map(files.map((f) => [f, view.read(f) ?? '']));
  const modules = new Set(files.map((f) => f.slice(0, -3)));
  const imported = new Set<string>();
  const used = new Map<string, string>();
  for (const [f, text] of texts) {
    const parts: string[] = [];
    for (const [mod, names] of localImports(text, modules)) {
      imported.add(`${mod}.py`);
      for (const n of names) parts.push(defBody(texts.get(`${mod}.py`) ?? '', n));
    }
    used.set(f, parts.join('\n'));
  }
  const out: Guess[] = [];
  for (const [file, text] of texts) {
    if (imported.has(file) && !/__name__\s*==\s*["']__main__["']/.test(text)) continue;
    const name = serviceName(file.slice(0, -3).replace(/[-_](service|server|svc)$/, ''));
    const service: GuessedService = { command: `python3 -u ${file}` };
    const helpers = used.get(file) ?? '';
    let why = `${file}: a Python script (-u: its lines show at once)`;
    if (SERVES.test(text) || SERVES.test(helpers)) {
      service.port = 'auto';
      const { check, why: how } = serverCheck(text);
      if (check) service.healthcheck = check;
      why += ` that serves: port auto (it should listen on $PORT); ${how}`;
    } else if (!LOOPS.test(text) && !LOOPS.test(helpers)) {
      service.restart = 'no';
      why += ' with no server and no loop: a one-shot (restart: "no"), expected to exit 0';
    } else why += ' that keeps running (a loop) with no port';
    out.push({ name, why: [why], service, text });
  }
  return out;
}
