// The frozen, fully-resolved project model that the engine runs. Produced by config/load.ts.

/** What a dependent waits for on a dependency. */
export type Condition = 'started' | 'healthy' | 'completed';

/** When a service that exited is started again. */
export type RestartPolicy = 'no' | 'on-failure' | 'always';

/** What a file change does to a service. */
export type WatchAction = 'restart' | 'sync' | 'sync+restart' | 'rebuild';

/** A resolved health check: one probe kind with its timing. */
export interface HealthcheckSpec {
  /** http: GET url, 2xx/3xx is healthy; tcp: connect to host:port; exec: command exits 0; log: a line matches. */
  readonly kind: 'http' | 'tcp' | 'exec' | 'log';
  /** http: the URL; tcp: "host:port"; exec: the command (run through sh -c); log: the regex source. */
  readonly target: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failures that make a service unhealthy. */
  readonly retries: number;
  /** Failures inside this window after start don't count; the first success ends it. */
  readonly startPeriodMs: number;
  /** Time between probes until the first success; then intervalMs. */
  readonly startIntervalMs: number;
  /** True when msdev made this probe up (a port with no healthcheck): a TCP connect. */
  readonly implicit: boolean;
}

/** One published container port. */
export interface PortMapping {
  /** Host IP to bind; 127.0.0.1 unless the entry names one. */
  readonly ip: string;
  /** Host port; an ephemeral entry gets a free port picked at load time. */
  readonly host: number;
  readonly container: number;
  readonly protocol: 'tcp' | 'udp';
}

/** A Dockerfile build for a container service. */
export interface BuildSpec {
  /** Absolute path of the build context. */
  readonly context: string;
  readonly dockerfile?: string;
  readonly args: Readonly<Record<string, string>>;
  /** The stage of a multi-stage Dockerfile to build (--target). */
  readonly target?: string;
}

/** Hot-reload settings. */
export interface WatchSpec {
  /** Absolute paths to watch. */
  readonly paths: readonly string[];
  /** Glob patterns to ignore (on top of the built-in ones). */
  readonly ignore: readonly string[];
  readonly action: WatchAction;
  readonly debounceMs: number;
  /** Restart its dependents once it is ready again. */
  readonly restartDependents: boolean;
}

/** What every fully-resolved service has, whatever runs it. */
export interface ServiceSpecBase {
  readonly name: string;
  /** Absolute working directory (of a process; of exec probes; the default watch path). */
  readonly cwd: string;
  /** The service's own port (`port:`), resolved to a number when `auto`. */
  readonly port?: number;
  /** Published ports (`ports:`), host ports resolved; the first TCP one is how a container is reached. */
  readonly ports: readonly PortMapping[];
  /**
   * The environment msdev adds on top of its own process environment: env files, global env,
   * the registry (PORT, MSDEV_*, S_HOST/S_PORT/S_URL) and the service's env, all interpolated.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly dependsOn: Readonly<Record<string, Condition>>;
  readonly healthcheck?: HealthcheckSpec;
  readonly restart: RestartPolicy;
  /** 0 = unlimited. */
  readonly maxRestarts: number;
  /** Stop the whole stack when it exits (any code) or fails (a non-zero code), and end with its exit code; absent: never. */
  readonly stopAllOn?: 'exit' | 'failure';
  readonly stopSignal: NodeJS.Signals;
  readonly stopTimeoutMs: number;
  /** Expected to exit: `restart: no`, or waited on with `completed`. Exit 0 → completed, else failed. */
  readonly oneShot: boolean;
  readonly watch?: WatchSpec;
  readonly profiles: readonly string[];
}

/** A service run as a local process (it has `command` and no `image`/`build`). */
export interface ProcessServiceSpec extends ServiceSpecBase {
  readonly kind: 'process';
  /** A string runs through `sh -c`; an array is argv. */
  readonly command: string | readonly string[];
}

/** A service run in a container (it has `image` or `build`, or both). */
export interface ContainerServiceSpec extends ServiceSpecBase {
  readonly kind: 'container';
  /** Overrides the image's command: a string runs through `sh -c`, an array is argv. Absent: the image's own. */
  readonly command?: string | readonly string[];
  /** Overrides the image's entrypoint: a string runs through `sh -c`, an array is argv. Absent: the image's own. */
  readonly entrypoint?: string | readonly string[];
  readonly image?: string;
  readonly build?: BuildSpec;
  /** `HOST:CONTAINER[:ro]`, relative host paths made absolute; named volumes as written. */
  readonly volumes: readonly string[];
  /** Keep the container when the run ends (it is stopped, not removed); the next run replaces it. */
  readonly keep: boolean;
  /** The user it runs as (`name` or `uid[:gid]`); absent: the image's. */
  readonly user?: string;
  /** Its working folder inside the container; absent: the image's WORKDIR. */
  readonly workingDir?: string;
  /** Labels beside msdev's own. */
  readonly labels: Readonly<Record<string, string>>;
}

/** One fully-resolved service: narrow on `kind`. */
export type ServiceSpec = ProcessServiceSpec | ContainerServiceSpec;

/** The whole resolved project. */
export interface ProjectConfig {
  readonly name: string;
  /** Absolute path of the config file. */
  readonly file: string;
  /** Absolute folder of the config file; `.msdev/` lives here. */
  readonly dir: string;
  /** Every service of the file, including those outside the active profiles. */
  readonly services: Readonly<Record<string, ServiceSpec>>;
  /** Names of the services active under the chosen profiles, in file order. */
  readonly active: readonly string[];
  /** Absolute paths of the env files the config reads (top-level and per service), watched with it while `up` runs. */
  readonly envFiles: readonly string[];
}
