// The schema of services.yaml: the single source of the validator, the raw types and the JSON Schema.
import { DURATION_FORMS } from './duration.js';
import { PORT_ENTRY_FORMS, PORT_ENTRY_PATTERN, parsePortEntry } from './port-spec.js';
import { duration, int, lateStr, list, map, nul, obj, oneOf, scalar, str, union, type Infer } from './schema-dsl.js';

/** Accepted `stop_signal` spellings (with or without the SIG prefix). */
export const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGKILL', 'SIGUSR1', 'SIGUSR2'] as const;

/** Service names: usable in `${services.NAME.port}` and as env-var prefixes. */
export const SERVICE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]*$';

const port = int({ min: 1, max: 65535, description: 'A TCP port.', example: 8080 });
const oneOrMorePaths = (description: string, example: unknown) => union([str(), list(str())], { description, example, what: 'a path or a list of paths' });
/** Environment variable names: anything but empty or holding "=" (the shell may not take every name, but a process can). */
const ENV_NAME = { keyPattern: '^[^=]+$', keyRule: 'an environment variable name cannot be empty or contain "="' } as const;
const envMap = (description: string, example: unknown) => map(union([scalar(), nul()]), { ...ENV_NAME, description, example });
const ENV_VALUES = 'Values may use ${VAR}, ${port} and ${services.NAME.…}; numbers and booleans are taken as text; an empty value (`KEY:`) passes the shell value through.';
const CONDITION_WORDS = 'one of "started", "healthy", "completed"';
const CONDITION_MEANING =
  'started: the process or container has started; healthy: its health check passes (with no healthcheck: its port accepts TCP); completed: it exited 0 (a one-shot). The compose spellings service_started, service_healthy and service_completed_successfully are the same.';
const conditions = ['started', 'healthy', 'completed', 'service_started', 'service_healthy', 'service_completed_successfully'] as const;

const build = union(
  [
    lateStr({ description: 'The build context folder (relative to the config file).', example: './web' }),
    obj(
      {
        context: lateStr({ description: 'The build context folder (relative to the config file); its .dockerignore is honoured. Default: the config folder.', example: './web' }),
        dockerfile: lateStr({ description: 'The Dockerfile, relative to the context. Default: Dockerfile.', example: 'Dockerfile.dev' }),
        args: map(scalar(), { ...ENV_NAME, description: 'Build arguments, as `docker build --build-arg NAME=VALUE`. Default: none.', example: { NODE_VERSION: 20 } }),
        target: lateStr({ description: 'The stage of a multi-stage Dockerfile to build (`--target`). Default: the last stage.', example: 'dev' }),
      },
      { description: 'A Dockerfile build, in the long form.', example: { context: './web', dockerfile: 'Dockerfile.dev', args: { NODE_VERSION: 20 }, target: 'dev' } },
    ),
  ],
  {
    description: 'Containers: build the image from a Dockerfile (makes this a container service); with `image`, the built image gets that name. A context folder, or { context, dockerfile, args, target }. Default: none.',
    example: { context: './web', target: 'dev' },
    what: 'a context folder or a mapping { context, dockerfile, args, target }',
  },
);

const dependsOn = union(
  [
    list(str(), { description: 'Services that must have started first (the condition started).', example: ['db', 'cache'] }),
    map(
      union([
        oneOf(conditions, { description: CONDITION_MEANING, what: CONDITION_WORDS, example: 'healthy' }),
        obj(
          { condition: oneOf(conditions, { description: CONDITION_MEANING, what: CONDITION_WORDS, example: 'healthy' }) },
          { required: ['condition'], description: 'The long form of a condition, as compose writes it.', example: { condition: 'service_healthy' } },
        ),
        nul({ description: 'No value: the condition started.' }),
      ]),
      { description: 'Service name → what to wait for: a condition, { condition: … }, or nothing (= started).', example: { db: 'healthy', migrate: 'completed' } },
    ),
  ],
  {
    description: 'Services to wait for before this one starts: a list (each = started), or name → started | healthy | completed. Default: none.',
    example: { db: 'healthy', migrate: 'completed' },
    what: 'a list of service names or a mapping of name → condition' },
);

const healthcheck = obj(
  {
    http: lateStr({ description: 'GET this URL (or a path like /health on the service port); 2xx/3xx is healthy.', example: 'http://127.0.0.1:${port}/health' }),
    tcp: union([port, lateStr()], { description: 'Connect to this port (on 127.0.0.1) or "host:port"; a connection accepted is healthy.', what: 'a port or "host:port"', example: '${port}' }),
    exec: lateStr({ description: 'Run this command (sh -c; inside the container for containers); exit 0 is healthy.', example: 'pg_isready -U postgres' }),
    log: lateStr({ description: 'A regular expression; the service is healthy once one of its log lines matches.', example: 'listening on port \\d+' }),
    interval: duration({ description: 'Time between probes. Default: 1s.', example: '500ms' }),
    timeout: duration({ description: 'Time a probe may take before it counts as a failure. Default: 2s.', example: '1s' }),
    retries: int({ min: 1, description: 'Consecutive failures that make a ready service unhealthy. Default: 3.', example: 5 }),
    start_period: duration({ description: 'Failures inside this window after start do not count; the first success ends it. Default: 0.', example: '30s' }),
    start_interval: duration({ description: 'Time between probes until the first success (then interval). Default: 100ms, or interval when that is shorter.', example: '50ms' }),
  },
  {
    exactlyOne: ['http', 'tcp', 'exec', 'log'],
    description:
      'How to tell the service is healthy: exactly one of http, tcp, exec, log, plus timing. Default: none: a service with a port is healthy once the port accepts TCP, a container may use its image\'s HEALTHCHECK, any other service is ready once running.',
    example: { http: '/health', interval: '500ms', timeout: '1s', retries: 3, start_period: '30s' },
  },
);

const watch = obj(
  {
    paths: list(lateStr(), { description: 'Files or folders to watch (relative to the config file). Default: the service cwd (or build context).', example: ['src', 'package.json'] }),
    ignore: list(lateStr(), { description: 'Glob patterns to ignore, on top of .git, node_modules, dist, editor temp files and the patterns in .msdevignore. Default: none.', example: ['**/*.test.ts'] }),
    action: oneOf(['restart', 'sync', 'sync+restart', 'rebuild'], {
      description: 'restart: restart the service; sync: copy the changed files into the container; sync+restart: copy, then restart the container; rebuild: rebuild the image and replace the container (services with build). sync and sync+restart are for containers. Default: restart.',
      example: 'restart',
    }),
    debounce: duration({ description: 'Wait this long after the last change before acting. Default: 200ms.', example: '500ms' }),
    restart_dependents: oneOf([true, false], { description: 'Once it is ready again, restart the services that depend on it too. Default: false.', example: true }),
  },
  { description: 'Hot reload: what to do when files change (off under `msdev up --no-watch`). Default: none (no watching).', example: { paths: ['src'], ignore: ['**/*.test.ts'], action: 'restart', debounce: '200ms' } },
);

/** The schema of one service. */
export const serviceSchema = obj(
  {
    command: union([lateStr(), list(scalar())], {
      description:
        'What to run: a string runs through `sh -c`; a list is argv, no shell. Required for a process service; for a container, overrides the image command (CMD). Default: the image command (containers).',
      what: 'a string or a list of strings',
      example: 'node server.js',
    }),
    entrypoint: union([lateStr(), list(scalar())], {
      description:
        'Containers only: overrides the image entrypoint (ENTRYPOINT). A list is argv; a string is split into words as a shell would (quotes, backslashes), without running a shell. Default: the image entrypoint.',
      what: 'a string or a list of strings',
      example: ['/bin/httpd'],
    }),
    image: lateStr({
      description: 'The container image (makes this a container service): used if present locally, else pulled. With build, the name given to the built image. Default: none.',
      example: 'postgres:16',
    }),
    build,
    cwd: lateStr({ description: 'Working folder of a process service (relative to the config file). Default: the config folder.', example: './api' }),
    port: union([port, oneOf(['auto'])], {
      description:
        'The port a process service listens on: a number, or auto for a free one. It is ${port} in the file, PORT in its env (unless set), and S_PORT/S_URL in every service\'s env; with no healthcheck, healthy means it accepts TCP. Default: none.',
      what: 'a port from 1 to 65535 or "auto"',
      example: 'auto',
    }),
    ports: list(union([port, str({ pattern: PORT_ENTRY_PATTERN, check: portEntryProblem, what: PORT_ENTRY_FORMS })]), {
      description:
        'Containers: published ports, "HOST:CONTAINER", "IP:HOST:CONTAINER" or "CONTAINER" alone (a free host port); /udp for UDP. The host side binds 127.0.0.1 unless an IP is given; ${services.NAME.ports.CONTAINER} is the host port. The first TCP entry is how msdev reaches the container. Default: none.',
      example: ['8080:80', '5432'],
    }),
    env: envMap(`This service's environment variables; they win over the top-level env and the env files. ${ENV_VALUES} Default: none.`, { API_URL: '${services.api.url}', LOG_LEVEL: 'debug' }),
    env_file: oneOrMorePaths("Env files for this service (relative to the config file); its env wins over them. Default: none.", '.env.api'),
    volumes: list(lateStr(), {
      description:
        'Containers: "HOST:CONTAINER[:ro]". A host path starting with ./, ../ or ~/ is a bind mount (relative to the config file); a bare name is a named volume PROJECT_name, kept across runs; a container path alone is an anonymous volume, removed with the container. Default: none.',
      example: ['./data:/var/lib/postgresql/data', 'pgcache:/cache'],
    }),
    user: lateStr({ description: "Containers only: the user the container runs as (a name, or uid[:gid]), as docker run --user. Default: the image's USER.", example: '1000:1000' }),
    working_dir: lateStr({ description: "Containers only: the working folder inside the container (where a string command runs, and where watch sync copies files). Default: the image's WORKDIR.", example: '/app' }),
    labels: map(scalar(), { description: 'Containers only: labels put on the container, beside msdev\'s own dev.msdev.* labels (which win). Default: none.', example: { team: 'payments' } }),
    keep: oneOf([true, false], { description: 'Containers only: keep the container (stopped) when the run ends instead of removing it; the next run replaces it. Default: false.', example: true }),
    depends_on: dependsOn,
    healthcheck,
    restart: oneOf(['no', 'on-failure', 'always', false], {
      description: 'When to restart it (with back-off): no (a one-shot: exit 0 makes it completed), on-failure (after a non-zero exit), always (after any exit). Default: on-failure.',
      example: 'no',
    }),
    max_restarts: int({ min: 0, description: 'Restarts before the service is failed; 0 = unlimited. Default: 5.', example: 10 }),
    stop_all_on: oneOf(['exit', 'failure'], {
      description:
        'Stop the whole stack when this service exits (exit) or fails (failure: a non-zero exit), and end msdev with its exit code, as docker compose --abort-on-container-exit --exit-code-from and process-compose exit_on_end / exit_on_failure do. It is then not restarted. Default: none (msdev ends by itself only once every service has ended).',
      example: 'failure',
    }),
    stop_signal: oneOf([...SIGNALS, ...SIGNALS.map((s) => s.slice(3) as StripSig<typeof s>)], {
      description: 'Signal sent to stop it (to the whole process group, or to the container). Default: SIGTERM.',
      example: 'SIGINT',
      what: `a signal name (${SIGNALS.join(', ')}; the SIG prefix may be left out)`,
    }),
    stop_timeout: duration({ description: 'Wait this long after stop_signal, then SIGKILL. Default: 10s.', example: '30s' }),
    watch,
    profiles: list(str(), { description: 'Only start this service when one of these profiles is named (--profile), or when a started service depends on it. Default: none (not tied to a profile).', example: ['full'] }),
  },
  {
    extensions: true,
    description: 'A service: a process (command) or a container (image or build).',
    example: { command: 'node server.js', port: 'auto', depends_on: { db: 'healthy' }, healthcheck: { http: '/health' } },
  },
);

/** The schema of the whole file. */
export const projectSchema = obj(
  {
    name: str({ description: 'Project name: names the containers, their network and named volumes, and is MSDEV_PROJECT in every env. Default: the config folder name.', example: 'shop' }),
    env_file: oneOrMorePaths('Env files (relative to the config file) for every service and for ${VAR} interpolation; the shell environment wins over them. Default: none.', ['.env', '.env.local']),
    env: envMap(`Environment variables for every service; a service's own env wins. ${ENV_VALUES} Default: none.`, { LOG_LEVEL: 'debug' }),
    services: map(serviceSchema, {
      keyPattern: SERVICE_NAME_PATTERN,
      keyRule: 'use letters, digits, "-" and "_", starting with a letter or digit',
      description: 'The services, by name (the name is how others refer to it: ${services.NAME.url}, NAME_URL).',
      example: { api: { command: 'node server.js', port: 'auto' } },
    }),
  },
  { required: ['services'], extensions: true, description: `msdev project file. Durations: ${DURATION_FORMS}.`, example: { name: 'shop', env: { LOG_LEVEL: 'debug' }, services: { api: { command: 'node server.js', port: 'auto' } } } },
);

type StripSig<S extends string> = S extends `SIG${infer R}` ? R : S;

/** A service as validated, before normalization. */
export type RawService = Infer<typeof serviceSchema>;

/** The file as validated, before normalization. */
export type RawProject = Infer<typeof projectSchema>;

function portEntryProblem(text: string): string | null {
  const r = parsePortEntry(text);
  return 'error' in r ? r.error : null;
}
