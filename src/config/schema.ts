// The schema of services.yaml: the single source of the validator, the raw types and the JSON Schema.
import { DURATION_FORMS } from './duration.js';
import { PORT_ENTRY_FORMS, PORT_ENTRY_PATTERN, parsePortEntry } from './port-spec.js';
import { duration, int, lateStr, list, map, nul, obj, oneOf, scalar, str, union, type Infer } from './schema-dsl.js';

/** Accepted `stop_signal` spellings (with or without the SIG prefix). */
export const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGKILL', 'SIGUSR1', 'SIGUSR2'] as const;

/** Service names: usable in `${services.NAME.port}` and as env-var prefixes. */
export const SERVICE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]*$';

const port = int({ min: 1, max: 65535, description: 'A TCP port.' });
const oneOrMorePaths = (description: string) => union([str(), list(str())], { description, what: 'a path or a list of paths' });
/** Environment variable names: anything but empty or holding "=" (the shell may not take every name, but a process can). */
const ENV_NAME = { keyPattern: '^[^=]+$', keyRule: 'an environment variable name cannot be empty or contain "="' } as const;
const envMap = map(union([scalar(), nul()]), {
  ...ENV_NAME,
  description: 'Environment variables. Values may use ${VAR}, ${port} and ${services.NAME.port}; an empty value passes the shell value through.',
});
const CONDITION_WORDS = 'one of "started", "healthy", "completed"';
const conditions = ['started', 'healthy', 'completed', 'service_started', 'service_healthy', 'service_completed_successfully'] as const;

const build = union(
  [
    lateStr({ description: 'The build context folder (relative to the config file).' }),
    obj(
      {
        context: lateStr({ description: 'The build context folder (relative to the config file). Default: the config folder.' }),
        dockerfile: lateStr({ description: 'The Dockerfile, relative to the context.' }),
        args: map(scalar(), { ...ENV_NAME, description: 'Build arguments (--build-arg).' }),
        target: lateStr({ description: 'The stage of a multi-stage Dockerfile to build (--target). Default: the last stage.' }),
      },
      { description: 'A Dockerfile build.' },
    ),
  ],
  {
    description: 'Build the image from a Dockerfile: a context folder, or { context, dockerfile, args, target }.',
    what: 'a context folder or a mapping { context, dockerfile, args, target }',
  },
);

const dependsOn = union(
  [
    list(str(), { description: 'Services that must have started first.' }),
    map(
      union([
        oneOf(conditions, { description: 'started | healthy | completed', what: CONDITION_WORDS }),
        obj({ condition: oneOf(conditions, { description: 'started | healthy | completed', what: CONDITION_WORDS }) }, { required: ['condition'] }),
        nul(),
      ]),
      { description: 'Service name → what to wait for: started, healthy or completed.' },
    ),
  ],
  { description: 'Services to wait for: a list (= started), or name → started | healthy | completed.', what: 'a list of service names or a mapping of name → condition' },
);

const healthcheck = obj(
  {
    http: lateStr({ description: 'GET this URL (or a path like /health on the service port); 2xx/3xx is healthy.' }),
    tcp: union([port, lateStr()], { description: 'Connect to this port (on 127.0.0.1) or "host:port".', what: 'a port or "host:port"' }),
    exec: lateStr({ description: 'Run this command (sh -c; inside the container for containers); exit 0 is healthy.' }),
    log: lateStr({ description: 'A regular expression; the service is healthy once a log line matches.' }),
    interval: duration({ description: 'Time between probes. Default: 1s.' }),
    timeout: duration({ description: 'Time a probe may take. Default: 2s.' }),
    retries: int({ min: 1, description: 'Consecutive failures that make a ready service unhealthy. Default: 3.' }),
    start_period: duration({ description: 'Failures inside this window after start do not count; the first success ends it. Default: 0.' }),
    start_interval: duration({ description: 'Time between probes until the first success (then interval). Default: 100ms, or interval when that is shorter.' }),
  },
  { exactlyOne: ['http', 'tcp', 'exec', 'log'], description: 'How to tell the service is healthy: exactly one of http, tcp, exec, log.' },
);

const watch = obj(
  {
    paths: list(lateStr(), { description: 'Files or folders to watch (relative to the config file). Default: the service cwd (or build context).' }),
    ignore: list(lateStr(), { description: 'Glob patterns to ignore, on top of .git, node_modules, dist and editor temp files.' }),
    action: oneOf(['restart', 'sync', 'sync+restart', 'rebuild'], {
      description: 'restart | sync | sync+restart (containers) | rebuild (containers with build). Default: restart.',
    }),
    debounce: duration({ description: 'Wait this long after the last change. Default: 200ms.' }),
    restart_dependents: oneOf([true, false], { description: 'Restart its dependents once it is ready again. Default: false.' }),
  },
  { description: 'Hot reload: what to do when files change.' },
);

/** The schema of one service. */
export const serviceSchema = obj(
  {
    command: union([lateStr(), list(scalar())], {
      description: 'What to run: a string runs through `sh -c`; a list is argv, no shell. For containers, overrides the image command.',
      what: 'a string or a list of strings',
    }),
    entrypoint: union([lateStr(), list(scalar())], {
      description: 'Containers only: overrides the image entrypoint. A string runs through `sh -c`; a list is argv, no shell.',
      what: 'a string or a list of strings',
    }),
    image: lateStr({ description: 'The container image (makes this a container service).' }),
    build,
    cwd: lateStr({ description: 'Working folder on the host (relative to the config file). Default: the config folder.' }),
    port: union([port, oneOf(['auto'])], {
      description: 'The service port: a number, or auto to pick a free one. Available as ${port} and $PORT.',
      what: 'a port from 1 to 65535 or "auto"',
    }),
    ports: list(union([port, str({ pattern: PORT_ENTRY_PATTERN, check: portEntryProblem, what: PORT_ENTRY_FORMS })]), {
      description: 'Published container ports: "HOST:CONTAINER", "IP:HOST:CONTAINER" or "CONTAINER" (a free host port).',
    }),
    env: envMap,
    env_file: oneOrMorePaths('Env files for this service (relative to the config file).'),
    volumes: list(lateStr(), { description: 'Container volumes, "HOST:CONTAINER[:ro]"; relative host paths are relative to the config file.' }),
    keep: oneOf([true, false], { description: 'Containers only: keep the container (stopped) when the run ends instead of removing it. Default: false.' }),
    depends_on: dependsOn,
    healthcheck,
    restart: oneOf(['no', 'on-failure', 'always', false], { description: 'no | on-failure | always. Default: on-failure.' }),
    max_restarts: int({ min: 0, description: 'Restarts before the service is failed; 0 = unlimited. Default: 5.' }),
    stop_signal: oneOf([...SIGNALS, ...SIGNALS.map((s) => s.slice(3) as StripSig<typeof s>)], {
      description: 'Signal sent to the process group to stop it. Default: SIGTERM.',
      what: `a signal name (${SIGNALS.join(', ')}; the SIG prefix may be left out)`,
    }),
    stop_timeout: duration({ description: 'Wait this long after stop_signal, then SIGKILL. Default: 10s.' }),
    watch,
    profiles: list(str(), { description: 'Only start this service when one of these profiles is named (--profile).' }),
  },
  { extensions: true, description: 'A service: a process (command) or a container (image or build).' },
);

/** The schema of the whole file. */
export const projectSchema = obj(
  {
    name: str({ description: 'Project name. Default: the config folder name.' }),
    env_file: oneOrMorePaths('Env files (relative to the config file) for every service and for ${VAR} interpolation.'),
    env: envMap,
    services: map(serviceSchema, {
      keyPattern: SERVICE_NAME_PATTERN,
      keyRule: 'use letters, digits, "-" and "_", starting with a letter or digit',
      description: 'The services, by name.',
    }),
  },
  { required: ['services'], extensions: true, description: `msdev project file. Durations: ${DURATION_FORMS}.` },
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
