// Problems said about a compose file while translating it: positioned in the file where the value was written
// (the compose file or its override), with the compose key path.
import type { ConfigProblem } from '../../errors.js';
import type { CNode, Loc } from './tree.js';

/** Collects errors (the load stops) and warnings (what msdev ignores or does differently). */
export class Notes {
  readonly errors: ConfigProblem[] = [];
  readonly warnings: ConfigProblem[] = [];

  /** A warning at a node or location. */
  warn(at: CNode | Loc, path: string, message: string): void {
    this.warnings.push(problem(at, path, message));
  }

  /** An error at a node or location. */
  error(at: CNode | Loc, path: string, message: string): void {
    this.errors.push(problem(at, path, message));
  }
}

function problem(at: CNode | Loc, path: string, message: string): ConfigProblem {
  const loc = 'kind' in at ? at.at : at;
  const p = loc.src.source.at(loc.node);
  return { file: loc.src.file, line: p.line, col: p.col, path, message };
}
