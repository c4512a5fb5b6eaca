// depends_on: both forms normalized, unknown names and cycles reported.
import { findCycles } from '../core/graph.js';
import { suggester } from './did-you-mean.js';
import { emptyRecord } from './records.js';
import type { Condition } from './model.js';
import type { ProblemList } from './problem-list.js';
import { quote } from './quote.js';
import type { RawService } from './schema.js';
import type { Path } from './schema-dsl.js';

/** One dependency as written: its condition and where it is in the file. */
export interface DependencyEntry {
  readonly condition: Condition;
  /** Path of the list item, or of the mapping key. */
  readonly path: Path;
  /** True when the position to report is a mapping key. */
  readonly isKey: boolean;
}

/** Service → dependency → entry, for known dependencies only. */
export type DependencyTable = Record<string, Record<string, DependencyEntry>>;

const CONDITIONS: ReadonlyMap<string, Condition> = new Map([
  ['started', 'started'],
  ['healthy', 'healthy'],
  ['completed', 'completed'],
  ['service_started', 'started'],
  ['service_healthy', 'healthy'],
  ['service_completed_successfully', 'completed'],
]);

/** At most this many cycles are reported (each names its services). */
const MAX_CYCLES = 20;

/** A cycle as a message shows it: every name when short, else the first few, a count, and the last. */
export function showCycle(cycle: readonly string[]): string {
  if (cycle.length <= 12) return cycle.join(' -> ');
  const services = cycle.length - 1;
  return [...cycle.slice(0, 4), `… (${services} services) …`, ...cycle.slice(-2)].join(' -> ');
}

type RawDependsOn = NonNullable<RawService['depends_on']>;

function entriesOf(name: string, raw: RawDependsOn): [string, DependencyEntry][] {
  const base: Path = ['services', name, 'depends_on'];
  if (Array.isArray(raw)) return raw.map((dep, i) => [dep, { condition: 'started', path: [...base, i], isKey: false }]);
  return Object.entries(raw).map(([dep, v]) => {
    const word = v === null ? 'started' : typeof v === 'string' ? v : (v.condition ?? 'started');
    return [dep, { condition: CONDITIONS.get(word) ?? 'started', path: [...base, dep], isKey: true }];
  });
}

/** Reads every service's depends_on; reports unknown services (with did-you-mean), repeats and cycles. */
export function readDependencies(services: Readonly<Record<string, RawService>>, problems: ProblemList): DependencyTable {
  const hint = suggester(Object.keys(services));
  const table: DependencyTable = emptyRecord();
  for (const [name, svc] of Object.entries(services)) {
    const mine = emptyRecord<DependencyEntry>();
    for (const [dep, entry] of svc.depends_on ? entriesOf(name, svc.depends_on) : []) {
      if (!Object.hasOwn(services, dep)) {
        problems.add(['services', name, 'depends_on'], `unknown service ${quote(dep)}${hint(dep)}`, problemsAt(problems, entry));
        continue;
      }
      if (Object.hasOwn(mine, dep)) {
        problems.add(['services', name, 'depends_on'], `${quote(dep)} is listed twice`, problemsAt(problems, entry));
        continue;
      }
      mine[dep] = entry;
    }
    table[name] = mine;
  }
  for (const cycle of findCycles(table, MAX_CYCLES)) {
    const [from, to] = [cycle[0]!, cycle[1]!];
    problems.add(['services', from, 'depends_on'], `cycle: ${showCycle(cycle)}`, problemsAt(problems, table[from]![to]!));
  }
  return table;
}

/** Condition-only view of a dependency table (what ServiceSpec.dependsOn holds). */
export function conditionsOf(table: DependencyTable): Record<string, Record<string, Condition>> {
  const out = emptyRecord<Record<string, Condition>>();
  for (const [name, deps] of Object.entries(table)) {
    const conditions = emptyRecord<Condition>();
    for (const [d, e] of Object.entries(deps)) conditions[d] = e.condition;
    out[name] = conditions;
  }
  return out;
}

function problemsAt(problems: ProblemList, entry: DependencyEntry): { line: number; col: number } {
  return problems.locate(entry.path, entry.isKey);
}
