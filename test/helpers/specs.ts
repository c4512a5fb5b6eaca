// Builders of resolved specs for engine unit tests.
import type { HealthcheckSpec, ProjectConfig, ServiceSpec } from '../../src/config/model.js';

/** A process service spec with test defaults; override what matters. */
export function testService(name: string, over: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    kind: 'process',
    command: `run-${name}`,
    cwd: '/tmp',
    ports: [],
    volumes: [],
    env: {},
    dependsOn: {},
    restart: 'on-failure',
    maxRestarts: 5,
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 10_000,
    oneShot: false,
    profiles: [],
    ...over,
  };
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
    active: services.map((s) => s.name),
  };
}
