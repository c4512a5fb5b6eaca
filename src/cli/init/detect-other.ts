// Go (go.mod), Rust (Cargo.toml), Ruby (Rails, Rack) and Dockerfiles.
import { joinRel, type FolderView } from './folder-view.js';
import { serverCheck, type Guess, type GuessedService } from './guess.js';

/** Go: `go run .` (or `go run ./cmd/NAME` for each command when the module root has no main package). */
export function detectGo(view: FolderView, dir: string, name: string): Guess[] {
  if (view.read(joinRel(dir, 'go.mod')) === undefined) return [];
  const rootGo = goSources(view, dir);
  const targets: { readonly name: string; readonly pkg: string; readonly text: string }[] = [];
  if (/^package main\b/m.test(rootGo)) targets.push({ name, pkg: '.', text: rootGo });
  else {
    for (const n of view.list(joinRel(dir, 'cmd')).filter((x) => x.endsWith('/'))) {
      const text = goSources(view, joinRel(dir, `cmd/${n.slice(0, -1)}`));
      if (/^package main\b/m.test(text)) targets.push({ name: n.slice(0, -1), pkg: `./cmd/${n.slice(0, -1)}`, text });
    }
  }
  return targets.map((t) => {
    const service: GuessedService = { command: `go run ${t.pkg}` };
    if (dir !== '') service.cwd = `./${dir}`;
    const why = [`${joinRel(dir, 'go.mod')}: a Go module; \`go run ${t.pkg}\` builds and runs its main package`];
    if (/Getenv\(\s*"PORT"\s*\)|LookupEnv\(\s*"PORT"\s*\)/.test(t.text)) {
      service.port = 'auto';
      const c = serverCheck(t.text);
      if (c.check) service.healthcheck = c.check;
      why.push(`it reads $PORT: port auto; ${c.why}`);
    } else if (/ListenAndServe|net\.Listen\(/.test(t.text)) why.push('it listens, but on a port it does not take from $PORT: add `port: N` with that port for a health check');
    return { name: t.name, why, service, text: t.text };
  });
}

function goSources(view: FolderView, dir: string): string {
  return view
    .list(dir)
    .filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'))
    .map((n) => view.read(joinRel(dir, n)) ?? '')
    .join('\n');
}

/** Rust: `cargo run`; a web framework among the dependencies makes it a server on $PORT. */
export function detectCargo(view: FolderView, dir: string, name: string): Guess | undefined {
  const toml = view.read(joinRel(dir, 'Cargo.toml'));
  if (toml === undefined) return undefined;
  const service: GuessedService = { command: 'cargo run' };
  if (dir !== '') service.cwd = `./${dir}`;
  const why = [`${joinRel(dir, 'Cargo.toml')}: a Rust crate; \`cargo run\` builds and runs it`];
  const web = /^\s*(axum|actix-web|rocket|warp|poem|tide|salvo|hyper)\s*=/m.exec(toml);
  if (web) {
    service.port = 'auto';
    if (web[1] === 'rocket') service.env = { ROCKET_PORT: '${port}', ROCKET_ADDRESS: '127.0.0.1' };
    const c = serverCheck(toml);
    if (c.check) service.healthcheck = c.check;
    why.push(`it depends on ${web[1]}: port auto (${web[1] === 'rocket' ? 'passed as ROCKET_PORT' : 'it should listen on $PORT'}); ${c.why}`);
  }
  return { name, why, service, text: toml };
}

/** Ruby: Rails (`bin/rails server`) or a Rack app (`config.ru`, rackup). */
export function detectRuby(view: FolderView, dir: string, name: string): Guess | undefined {
  const gemfile = view.read(joinRel(dir, 'Gemfile'));
  if (gemfile === undefined) return undefined;
  const cwd = dir !== '' ? { cwd: `./${dir}` } : {};
  if (/^\s*gem\s+["']rails["']/m.test(gemfile)) {
    const routes = view.read(joinRel(dir, 'config/routes.rb')) ?? '';
    const c = serverCheck(routes, /rails\/health/.test(routes) ? '/up' : undefined);
    const service: GuessedService = { command: 'bin/rails server -b 127.0.0.1 -p ${port}', port: 'auto', ...cwd };
    if (c.check) service.healthcheck = c.check;
    return { name, why: [`${joinRel(dir, 'Gemfile')} has rails: \`rails server\` on port auto; ${c.why}`], service, text: `${gemfile}\n${routes}` };
  }
  if (view.read(joinRel(dir, 'config.ru')) !== undefined) {
    const service: GuessedService = { command: 'bundle exec rackup -o 127.0.0.1 -p ${port}', port: 'auto', ...cwd };
    return { name, why: [`${joinRel(dir, 'config.ru')}: a Rack app, run with rackup on port auto; ready when its port accepts a connection`], service, text: gemfile };
  }
  return undefined;
}

/** A Dockerfile: a container service built from the folder, its EXPOSEd ports published on free host ports. */
export function detectDockerfile(view: FolderView, dir: string, name: string): Guess | undefined {
  const text = view.read(joinRel(dir, 'Dockerfile'));
  if (text === undefined) return undefined;
  const exposed: string[] = [];
  for (const m of text.matchAll(/^\s*EXPOSE\s+(.+)$/gim)) {
    for (const p of m[1]!.trim().split(/\s+/)) {
      const e = /^(\d{1,5})(\/(tcp|udp))?$/.exec(p);
      if (e && !exposed.includes(p)) exposed.push(e[3] === 'udp' ? `${e[1]}/udp` : e[1]!);
    }
  }
  const service: GuessedService = { build: dir === '' ? '.' : `./${dir}` };
  const why = [`${joinRel(dir, 'Dockerfile')}: a container built from ${service.build}`];
  if (exposed.length > 0) {
    service.ports = exposed;
    why.push(`it EXPOSEs ${exposed.join(', ')}: published on free host ports (write "HOST:${exposed[0]}" to fix one); ready when the first accepts a connection${/^\s*HEALTHCHECK\s/im.test(text) ? ' and the image\'s HEALTHCHECK passes' : ''}`);
  }
  return { name, why, service, text };
}
