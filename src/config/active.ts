// Which services run: the profiles and the names given on the command line decide.
import { dependencyClosure } from '../core/graph.js';
import { didYouMean, suggester } from './did-you-mean.js';
import type { Condition } from './model.js';
import type { ProblemList } from './problem-list.js';
import { quote } from './quote.js';
import type { RawService } from './schema.js';

/** What the user asked for. */
export interface Selection {
  readonly profiles: readonly string[];
  /** Services named on the command line (`msdev up api`); empty or absent: all of the active profiles. */
  readonly services?: readonly string[];
}

/**
 * The active services, in file order. Without names: every service without `profiles`, plus those
 * with a named profile. With names: those services. Either way their dependencies are added,
 * transitively, even when a dependency's profile is not named (a service never waits on one that
 * cannot start). Unknown names and profiles are problems (with a did-you-mean).
 */
export function selectActive(
  file: string,
  services: Readonly<Record<string, RawService>>,
  deps: Readonly<Record<string, Readonly<Record<string, Condition>>>>,
  selection: Selection,
  problems: ProblemList,
): string[] {
  const names = Object.keys(services);
  const known = new Set(names.flatMap((n) => services[n]!.profiles ?? []));
  for (const p of selection.profiles) {
    if (known.has(p)) continue;
    const hint = known.size ? didYouMean(p, known) || ` (profiles in this file: ${listSome([...known])})` : ' (no service in this file has profiles)';
    problems.addRaw({ file, line: 0, col: 0, path: '', message: `unknown profile ${quote(p)} named with --profile${hint}` });
  }
  const requested = selection.services ?? [];
  const hint = suggester(names);
  for (const s of requested) {
    if (!Object.hasOwn(services, s)) {
      problems.addRaw({ file, line: 0, col: 0, path: '', message: `unknown service ${quote(s)} named on the command line${hint(s)}` });
    }
  }
  const named = new Set(selection.profiles);
  const roots = requested.length
    ? requested.filter((s) => Object.hasOwn(services, s))
    : names.filter((n) => {
        const p = services[n]!.profiles ?? [];
        return p.length === 0 || p.some((x) => named.has(x));
      });
  const closure = new Set(dependencyClosure(roots, deps));
  return names.filter((n) => closure.has(n));
}

/** Up to ten names, quoted, then how many more. */
function listSome(names: readonly string[]): string {
  const shown = names.slice(0, 10).map((n) => quote(n)).join(', ');
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}
