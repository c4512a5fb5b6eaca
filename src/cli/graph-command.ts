// `msdev graph`: the dependency graph of the active services as text, Graphviz dot or Mermaid.
import type { ProjectConfig } from '../config/model.js';
import { topoLayers } from '../core/graph.js';
import type { GlobalOptions } from './options.js';
import { loadForCommand, type CommandIo } from './validate-command.js';

/** Output formats of `msdev graph`. */
export type GraphFormat = 'text' | 'dot' | 'mermaid';

/** Runs `msdev graph`: prints the graph, 0; config problems → 2. */
export async function graphCommand(opts: GlobalOptions, format: GraphFormat, io: CommandIo): Promise<number> {
  const loaded = await loadForCommand(opts, io);
  if (typeof loaded === 'number') return loaded;
  io.stdout(renderGraph(loaded.config, format));
  return 0;
}

function edges(config: ProjectConfig): [from: string, to: string, condition: string][] {
  const active = new Set(config.active);
  return config.active.flatMap((n) =>
    Object.entries(config.services[n]!.dependsOn)
      .filter(([d]) => active.has(d))
      .map(([d, c]) => [n, d, c] as [string, string, string]),
  );
}

/** The graph of the active services in one format (text ends with a newline). */
export function renderGraph(config: ProjectConfig, format: GraphFormat): string {
  const deps = Object.fromEntries(config.active.map((n) => [n, config.services[n]!.dependsOn]));
  if (format === 'dot') {
    const lines = [`digraph ${JSON.stringify(config.name)} {`, '  rankdir=LR;'];
    for (const n of config.active) lines.push(`  ${JSON.stringify(n)};`);
    for (const [a, b, c] of edges(config)) lines.push(`  ${JSON.stringify(a)} -> ${JSON.stringify(b)} [label=${JSON.stringify(c)}];`);
    return `${lines.concat('}').join('\n')}\n`;
  }
  if (format === 'mermaid') {
    const id = new Map(config.active.map((n, i) => [n, `s${i}`]));
    const lines = ['graph LR'];
    for (const n of config.active) lines.push(`  ${id.get(n)}["${n}"]`);
    for (const [a, b, c] of edges(config)) lines.push(`  ${id.get(a)} -->|${c}| ${id.get(b)}`);
    return `${lines.join('\n')}\n`;
  }
  // text: one line per service, by start wave: `2  api       needs db (healthy), migrate (completed)`
  const layers = topoLayers(config.active, deps);
  const width = Math.max(0, ...config.active.map((n) => n.length));
  const lines: string[] = [];
  layers.forEach((layer, i) => {
    for (const n of layer) {
      const needs = Object.entries(deps[n] ?? {})
        .filter(([d]) => deps[d] !== undefined)
        .map(([d, c]) => `${d} (${c})`);
      const tail = needs.length ? `needs ${needs.join(', ')}` : '';
      lines.push(`${String(i + 1).padEnd(3)}${tail ? n.padEnd(width + 2) + tail : n}`);
    }
  });
  return lines.length ? `${lines.join('\n')}\n` : '(no active services)\n';
}
