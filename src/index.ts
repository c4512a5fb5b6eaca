// The public API of msdev as a library: load a services.yaml, run it with the engine, subscribe to its events.
export { loadConfig, type LoadOptions } from './config/load.js';
export { ConfigError, formatProblem, type ConfigProblem } from './config/errors.js';
export type * from './config/model.js';
export { createEngine, type CreateEngineOptions } from './create-engine.js';
export { Engine, type EngineOptions } from './engine/engine.js';
export { CommandError, type ReadyOutcome, type RestartOptions, type ServiceView, type SnapshotEvent, type StackControl, type StackEvent, type StackListener } from './core/control.js';
export type * from './core/events.js';
export type { ServiceState } from './core/states.js';
export type { Clock } from './core/clock.js';
