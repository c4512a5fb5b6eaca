// What `msdev init` guessed about one service: its services.yaml keys and why it thinks so.

/** A guessed service in msdev's own spelling (a subset of services.yaml keys). */
export interface GuessedService {
  command?: string;
  build?: string;
  cwd?: string;
  port?: 'auto';
  ports?: string[];
  env?: Record<string, string>;
  healthcheck?: { http?: string; tcp?: string };
  restart?: 'no';
  depends_on?: Record<string, 'healthy' | 'completed' | 'started'>;
  profiles?: string[];
}

/** One guess: a service, the comment lines that explain it, and the source text it came from. */
export interface Guess {
  readonly name: string;
  /** Comment lines written above the service, each one sentence. */
  readonly why: string[];
  readonly service: GuessedService;
  /** Text of the service's entry point (or manifest): searched for other services' registry variables (API_URL, …). */
  readonly text: string;
}

/** A name usable as a service name (letters, digits, `-`, `_`, starting with a letter or digit), or the fallback. */
export function serviceName(raw: string, fallback = 'app'): string {
  const name = raw
    .replace(/^@[^/]*\//, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  return name === '' ? fallback : name;
}

/** The health route a source mentions (`/health`, `/healthz`, `/api/health`, `/ping`, `/ready`, …), if any. */
function healthRoute(text: string): string | undefined {
  const m = /["'`](\/(?:api\/)?(?:health(?:z|check)?|healthy|ping|ready|readyz|livez|status))\/?["'`?]/.exec(text);
  return m?.[1];
}

/**
 * The health check of a server on `port: auto`: an http check on a route its source mentions, else on
 * `fallbackPath` when the framework is known to answer it, else none (msdev then checks that the port
 * accepts a connection); with the comment saying which.
 */
export function serverCheck(text: string, fallbackPath?: string): { check?: GuessedService['healthcheck']; why: string } {
  const route = healthRoute(text);
  if (route !== undefined) return { check: { http: route }, why: `ready when GET ${route} answers 2xx/3xx (the code mentions that route)` };
  if (fallbackPath !== undefined) return { check: { http: fallbackPath }, why: `ready when GET ${fallbackPath} answers 2xx/3xx` };
  return { why: 'ready when its port accepts a connection (no health route found; add `healthcheck: { http: /health }` once it has one)' };
}
