// Which front end `msdev up` shows (SPEC §4): a pure choice from the flags, the terminal and CI.

/** The front ends `up` can show. */
export type FrontendKind = 'json' | 'plain' | 'tui';

/** What the choice depends on. */
export interface FrontendInputs {
  /** `--json` was given. */
  readonly json: boolean;
  /** `--no-tui` was given. */
  readonly noTui: boolean;
  /** stdout is a terminal. */
  readonly stdoutIsTTY: boolean;
  /** Running under CI (see isCi). */
  readonly ci: boolean;
}

/** `--json` wins; otherwise the TUI when stdout is a terminal, unless `--no-tui` or CI; else plain lines. */
export function pickFrontend(inputs: FrontendInputs): FrontendKind {
  if (inputs.json) return 'json';
  if (inputs.stdoutIsTTY && !inputs.noTui && !inputs.ci) return 'tui';
  return 'plain';
}

/** True when the environment says CI: `CI` set to anything but empty, `0` or `false` (SPEC's `CI=true`, and `CI=1`). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}
