// The service states of SPEC §2 and which of them count as what.

/** Every state a service can be in. */
export type ServiceState =
  | 'pending'
  | 'starting'
  | 'running'
  | 'healthy'
  | 'unhealthy'
  | 'completed'
  | 'crashed'
  | 'failed'
  | 'stopping'
  | 'stopped';

/** States from which nothing more happens unless a user command starts the service again. */
export const TERMINAL_STATES: ReadonlySet<ServiceState> = new Set(['completed', 'failed', 'stopped']);
