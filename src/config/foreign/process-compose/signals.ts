// shutdown.signal is a number (Linux numbering); msdev names its stop signals.

/** The Linux numbers of the signals msdev can stop with. */
const BY_NUMBER: Readonly<Record<number, string>> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 9: 'SIGKILL', 10: 'SIGUSR1', 12: 'SIGUSR2', 15: 'SIGTERM' };

/** The name msdev knows for signal number `n`, or null. */
export function signalName(n: number): string | null {
  return BY_NUMBER[n] ?? null;
}
