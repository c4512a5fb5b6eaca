// The switch between msdev's output and the services' pipes: while msdev's own output is behind (a slow
// reader of a pipe), reading from the services pauses, so they block on their writes as in any pipeline.

/** Told whether output flows (true) or is paused (false). */
export type FlowListener = (flowing: boolean) => void;

/**
 * Whether service output may be read now. Front ends pause it while their output is behind and resume it
 * once it caught up; every reader of service output (the process runtime's pipes) follows it.
 */
export class OutputFlow {
  private paused = false;
  private readonly listeners = new Set<FlowListener>();

  /** True unless paused. */
  get flowing(): boolean {
    return !this.paused;
  }

  /** Stops reading service output until resume(). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const listener of [...this.listeners]) listener(false);
  }

  /** Reads service output again. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const listener of [...this.listeners]) listener(true);
  }

  /** Calls listener on every change; returns the function that stops that. */
  watch(listener: FlowListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once output has flowed for ms in a row (a pause restarts the wait); never resolves once
   * `signal` aborts, and leaves no timer or listener behind then.
   */
  flowFor(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = (flowing: boolean): void => {
        clearTimeout(timer);
        if (flowing) timer = setTimeout(finish, ms);
      };
      const unwatch = this.watch(arm);
      const cancel = (): void => {
        clearTimeout(timer);
        unwatch();
      };
      const finish = (): void => {
        cancel();
        signal.removeEventListener('abort', cancel);
        resolve();
      };
      if (signal.aborted) return cancel();
      signal.addEventListener('abort', cancel, { once: true });
      arm(this.flowing);
    });
  }
}
