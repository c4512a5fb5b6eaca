// Flags common to every command (SPEC §3).

/** The global options every command receives. */
export interface GlobalOptions {
  /** -f/--file: the config file; otherwise msdev.yaml then services.yaml are searched upward from cwd. */
  readonly file?: string;
  /** --profile NAME, repeatable. */
  readonly profiles: readonly string[];
  /** False under --no-color or NO_COLOR; each output still checks that its stream is a terminal. */
  readonly color: boolean;
  /** -q/--quiet: msdev's own messages only on error. */
  readonly quiet: boolean;
  /** The folder commands run from. */
  readonly cwd: string;
}
