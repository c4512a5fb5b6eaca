// Generated projects of N services for the scale benchmark: msdev's services.yaml in two shapes, and the
// same stacks as a compose file for a peer's config check (dclint).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './env.mjs';

/** How many services of a mix project get `port: auto` at most: each is a socket bound at load time. */
export const MIX_AUTO_PORTS = 20;
/** The size of one group of the mix shape. */
export const MIX_GROUP = 10;

/** A fresh folder under bench/.tmp (git-ignored); removed by the caller. */
export function scaleTempDir(prefix) {
  const base = join(ROOT, 'bench', '.tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

/** The name of service i of the sleep shape. */
export function sleepName(i) {
  return `s${String(i).padStart(5, '0')}`;
}

/**
 * The sleep shape: n independent services running `command`. Returns the YAML text.
 */
export function sleepYaml(n, command = 'sleep 1000') {
  const lines = ['name: bench-scale', 'services:'];
  const cmd = JSON.stringify(command);
  for (let i = 0; i < n; i++) lines.push(`  ${sleepName(i)}:`, `    command: ${cmd}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The mix shape, in groups of 10 (n must be a multiple of 10): per group g, a `db` with a log health
 * check and `restart: always`; a one-shot `migrate` waiting for db healthy; an `api` waiting for migrate
 * completed and db healthy (the first MIX_AUTO_PORTS groups: `port: auto` with an http health check on
 * ${port}; the others an exec check); a `cache`; five workers (`depends_on: [api]`, list form) whose env
 * refers to an api's URL (`${services.gK-api.url}`) and a default (`${LOG_LEVEL:-info}`); and a `gw`
 * depending on the nine others of its group (fan-in) and on the previous group's gw (a chain n/10 long).
 */
export function mixYaml(n) {
  if (n % MIX_GROUP !== 0) throw new Error(`mix shape: ${n} is not a multiple of ${MIX_GROUP}`);
  const groups = n / MIX_GROUP;
  const ported = Math.min(groups, MIX_AUTO_PORTS);
  const out = ['name: bench-scale-mix', 'env:', '  LOG_LEVEL: info', 'services:'];
  for (let g = 0; g < groups; g++) {
    const p = `g${g}-`;
    out.push(
      `  ${p}db:`,
      '    command: sleep 1000',
      '    restart: always',
      '    healthcheck: { log: "ready to accept", interval: 1s, retries: 3 }',
      `  ${p}migrate:`,
      '    command: sleep 1',
      '    restart: "no"',
      `    depends_on: { ${p}db: healthy }`,
      `  ${p}api:`,
      '    command: sleep 1000',
      `    depends_on: { ${p}migrate: completed, ${p}db: healthy }`,
      '    env:',
      `      DB_HOST: localhost`,
      `      LEVEL: "\${LOG_LEVEL:-debug}"`,
    );
    if (g < ported) {
      out.push('    port: auto', '    healthcheck: { http: "http://localhost:${port}/health", interval: 500ms, timeout: 1s }');
    } else {
      out.push('    healthcheck: { exec: "true", interval: 2s }');
    }
    out.push(`  ${p}cache:`, '    command: sleep 1000', '    stop_timeout: 2s');
    for (let w = 1; w <= 5; w++) {
      out.push(
        `  ${p}w${w}:`,
        '    command: sleep 1000',
        `    depends_on: [${p}api]`,
        '    env:',
        `      API_URL: "\${services.g${g % ported}-api.url}"`,
        `      LOG_LEVEL: "\${LOG_LEVEL:-info}"`,
        '      WORKER: "' + w + '"',
      );
    }
    const fanIn = ['db', 'migrate', 'api', 'cache', 'w1', 'w2', 'w3', 'w4', 'w5'].map((s) => `${p}${s}`);
    if (g > 0) fanIn.push(`g${g - 1}-gw`);
    out.push(`  ${p}gw:`, '    command: sleep 1000', `    depends_on: [${fanIn.join(', ')}]`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The same stack as a compose file that dclint accepts without a problem: the sleep shape as n
 * independent services, the mix shape with the same depends_on graph and conditions. Images are named
 * (busybox:1.36), never pulled.
 */
export function composeYaml(shape, n) {
  const out = ['name: bench-scale', 'services:'];
  const svc = (name, deps) => {
    out.push(`  ${name}:`, '    image: busybox:1.36');
    if (deps.length > 0) {
      out.push('    depends_on:');
      const sorted = [...deps].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [d, cond] of sorted) out.push(`      ${d}:`, `        condition: ${cond}`);
    }
    out.push('    command: sleep 1000');
  };
  if (shape === 'sleep') {
    for (let i = 0; i < n; i++) svc(sleepName(i), []);
  } else {
    for (let g = 0; g < n / MIX_GROUP; g++) {
      const p = `g${g}-`;
      svc(`${p}db`, []);
      svc(`${p}migrate`, [[`${p}db`, 'service_healthy']]);
      svc(`${p}api`, [[`${p}migrate`, 'service_completed_successfully'], [`${p}db`, 'service_healthy']]);
      svc(`${p}cache`, []);
      for (let w = 1; w <= 5; w++) svc(`${p}w${w}`, [[`${p}api`, 'service_started']]);
      const fanIn = ['db', 'migrate', 'api', 'cache', 'w1', 'w2', 'w3', 'w4', 'w5'].map((s) => [`${p}${s}`, 'service_started']);
      if (g > 0) fanIn.push([`g${g - 1}-gw`, 'service_started']);
      svc(`${p}gw`, fanIn);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Writes `text` as `file` in a new folder under parent; returns the folder. */
export function writeProject(parent, prefix, file, text) {
  const dir = mkdtempSync(join(parent, `${prefix}-`));
  writeFileSync(join(dir, file), text);
  return dir;
}
