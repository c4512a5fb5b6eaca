// Dockerfile instructions and their lines, so a failed build step can be named by its Dockerfile line.

/** One instruction of a Dockerfile. */
export interface DockerfileInstruction {
  /** 1-based line where the instruction starts. */
  readonly line: number;
  /** The instruction word, uppercase: `RUN`. */
  readonly keyword: string;
}

/** A `Step N/M : TEXT` line of the classic builder (or Podman's `STEP N/M: TEXT`). */
export interface BuildStep {
  readonly step: number;
  readonly text: string;
}

const DIRECTIVE = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/**
 * The instructions of a Dockerfile in order, with the line each starts on. Follows Docker's parser:
 * parser directives (`# escape=`\``) only before anything else, comment and blank lines skipped (also
 * inside a continuation), a line ending in the escape character continues on the next, and the
 * heredocs of RUN/COPY/ADD (`<<EOF … EOF`) belong to their instruction.
 */
export function dockerfileInstructions(text: string): DockerfileInstruction[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: the leading `# key=value` comments; the first other line ends them.
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i] ?? '');
    if (!m) break;
    if (m[1]?.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const out: DockerfileInstruction[] = [];
  while (i < lines.length) {
    const first = (lines[i] ?? '').trim();
    if (first === '' || first.startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    let joined = '';
    let line = first;
    // Continuations: comment and blank lines inside are dropped, as Docker does.
    for (;;) {
      const continues = line.endsWith(escape);
      joined += continues ? line.slice(0, -1) : line;
      i++;
      if (!continues) break;
      while (i < lines.length && /^\s*(#.*)?$/.test(lines[i] ?? '')) i++;
      if (i >= lines.length) break;
      line = (lines[i] ?? '').trim();
    }
    const keyword = (/^\S+/.exec(joined)?.[0] ?? '').toUpperCase();
    out.push({ line: start + 1, keyword });
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') i = skipHeredocs(lines, i, joined);
  }
  return out;
}

/** Skips the bodies of the heredocs an instruction opens; returns the index of the line after them. */
function skipHeredocs(lines: readonly string[], from: number, instruction: string): number {
  let i = from;
  for (const m of instruction.matchAll(HEREDOC)) {
    const stripTabs = m[1] === '-';
    const word = m[3];
    while (i < lines.length) {
      const body = lines[i] ?? '';
      i++;
      if ((stripTabs ? body.replace(/^\t+/, '') : body) === word) break;
    }
  }
  return i;
}

/** Reads a build output line that starts a step: classic `Step 2/5 : RUN make`, Podman `STEP 2/5: RUN make`. */
export function parseBuildStep(line: string): BuildStep | null {
  const m = /^(?:Step|STEP) (\d+)(?:\/\d+)? ?: (.*)$/.exec(line.trim());
  return m ? { step: Number(m[1]), text: (m[2] ?? '').trim() } : null;
}

/**
 * The one-line reason of a failed build: `build failed at Dockerfile:3 (RUN exit 3): <engine's words>`
 * when the failing step is known and maps to an instruction, else `build failed: <engine's words>`.
 */
export function buildFailureReason(
  dockerfileName: string,
  instructions: readonly DockerfileInstruction[],
  step: BuildStep | null,
  message: string,
): string {
  const at = step ? instructions[step.step - 1] : undefined;
  if (!step || !at) return `build failed: ${message}`;
  return `build failed at ${dockerfileName}:${at.line} (${step.text}): ${message}`;
}
