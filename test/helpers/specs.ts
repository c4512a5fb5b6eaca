// Builders of resolved specs for engine unit tests.
import type { ContainerServiceSpec, HealthcheckSpec, ProcessServiceSpec, ProjectConfig, ServiceSpec, ServiceSpecBase } from '../../src/config/model.js';

/** What every test spec shares unless overridden. */
function base(name: string): ServiceSpecBase {
  return {
    name,
    cwd: '/tmp',
    ports: [],
    env: {},
    dependsOn: {},
    restart: 'on-failure',
    maxRestarts: 5,
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 10_000,
    oneShot: false,
    profiles: [],
  };
}

/** A process service spec with test defaults; override what matters. */
export function testService(name: string, over: Partial<Omit<ProcessServiceSpec, 'kind'>> = {}): ProcessServiceSpec {
  return { ...base(name), kind: 'process', command: `run-${name}`, ...over };
}

/** A container service spec with test defaults (image `NAME:test`); override what matters. */
export function testContainer(name: string, over: Partial<Omit<ContainerServiceSpec, 'kind'>> = {}): ContainerServiceSpec {
  return { ...base(name), kind: 'container', image: `${name}:test`, volumes: [], keep: false, labels: {}, ...over };
}

/** A `log` health check that passes on a line matching `pattern`. */
export function logCheck(pattern: string): HealthcheckSpec {
  return { kind: 'log', target: pattern, intervalMs: 1000, timeoutMs: 1000, retries: 3, startPeriodMs: 0, startIntervalMs: 1000, implicit: false };
}

/** A project of the given services, all active. */
export function testProject(services: ServiceSpec[]): ProjectConfig {
  return {
    name: 'test',
    file: '/tmp/services.yaml',
    dir: '/tmp',
    services: Object.fromEntries(services.map((s) => [s.name, s])),
    envFiles: [],
    active: services.map((s) => s.name),
  };
}
