// RESULTS.md as parts: the header, the targets and the sections, each target and section marked with the
// benchmark that wrote it (`<!-- bench:NAME -->`, invisible when rendered), so that a run of some
// benchmarks (BENCH_ONLY) replaces only their parts and keeps the rest.
import { renderSection, renderTargets } from './env.mjs';

const MARK = /^<!-- bench:([A-Za-z0-9_]+) -->$/;
const TARGET_MARK = / <!-- bench:([A-Za-z0-9_]+) -->$/;

/** A marker naming the benchmark that wrote what follows. */
export function benchMark(name) {
  return `<!-- bench:${name} -->`;
}

/** The target lines of a benchmark, each ending with its marker. */
export function renderMarkedTargets(name, targets) {
  if (!targets?.length) return [];
  return renderTargets(targets)
    .split('\n')
    .map((line) => `${line} ${benchMark(name)}`);
}

/** A section as markdown, preceded by its marker. */
export function renderMarkedSection(name, result) {
  return `${benchMark(name)}\n${renderSection(result)}`;
}

/**
 * Splits a RESULTS.md into { header, targets: [{ bench, line }], sections: [{ bench, title, text }] }.
 * header is everything before `## Targets`; a target line is a list item of that block (bench from its
 * marker, null when unmarked); a section starts at a marker line or at a `## ` heading not preceded by one.
 */
export function parseResults(md) {
  const lines = md.split('\n');
  const targetsAt = lines.indexOf('## Targets');
  if (targetsAt === -1) throw new Error('RESULTS.md has no "## Targets" block');
  const header = lines.slice(0, targetsAt).join('\n');
  const targets = [];
  let i = targetsAt + 1;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('## ') || MARK.test(line)) break;
    if (!line.startsWith('- ')) continue;
    const m = TARGET_MARK.exec(line);
    targets.push({ bench: m ? m[1] : null, line });
  }
  const sections = [];
  let current = null;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const m = MARK.exec(line);
    if (m) {
      current = { bench: m[1], title: null, body: [] };
      sections.push(current);
      continue;
    }
    if (line.startsWith('## ')) {
      if (current && current.title === null) {
        current.title = line.slice(3);
      } else {
        current = { bench: null, title: line.slice(3), body: [] };
        sections.push(current);
      }
    }
    current?.body.push(line);
  }
  return {
    header,
    targets,
    sections: sections.map((s) => ({ bench: s.bench, title: s.title, text: `${s.body.join('\n').trim()}\n` })),
  };
}

/** Markdown from parts ({ header, targets, sections } as parseResults returns them). */
export function joinResults({ header, targets, sections }) {
  const body = sections.map((s) => (s.bench ? `${benchMark(s.bench)}\n${s.text}` : s.text));
  return `${header.trimEnd()}\n\n## Targets\n\n${targets.map((t) => t.line).join('\n')}\n\n${body.join('\n')}`;
}

/**
 * Replaces the parts of `fresh` benchmarks in `old` (both parsed): each fresh benchmark's targets and
 * section take the place of the old ones of the same benchmark (a section also matches an unmarked one
 * of the same title); a benchmark new to the file goes after the nearest earlier one in `order` (the
 * benchmark names in run order), else at the end. fresh: [{ bench, targets: [lines], section: { title, text } }].
 * headerNote (a markdown list item) replaces the header's line that starts the same way up to its first ':' or is added.
 */
export function mergeResults(old, fresh, order, headerNote) {
  const targets = [...old.targets];
  const sections = [...old.sections];
  for (const f of fresh) {
    const mine = targets.filter((t) => t.bench === f.bench);
    const newLines = f.targets.map((line) => ({ bench: f.bench, line }));
    const at = mine.length ? targets.indexOf(mine[0]) : insertionPoint(targets, order, f.bench);
    for (const t of mine) targets.splice(targets.indexOf(t), 1);
    targets.splice(at, 0, ...newLines);
    const section = { bench: f.bench, title: f.section.title, text: f.section.text };
    const oldAt = sections.findIndex((s) => s.bench === f.bench || (s.bench === null && s.title === f.section.title));
    if (oldAt !== -1) sections[oldAt] = section;
    else sections.splice(insertionPoint(sections, order, f.bench), 0, section);
  }
  return { header: withHeaderNote(old.header, headerNote), targets, sections };
}

/** Where a benchmark's first item goes: after the last item of the nearest earlier benchmark in order. */
function insertionPoint(items, order, bench) {
  for (let k = order.indexOf(bench) - 1; k >= 0; k--) {
    const last = items.map((x) => x.bench).lastIndexOf(order[k]);
    if (last !== -1) return last + 1;
  }
  return items.length;
}

/** The header with `note` replacing a line with the same lead (text up to its first ':'), or after the last list item. */
function withHeaderNote(header, note) {
  if (!note) return header;
  const lines = header.trimEnd().split('\n');
  const lead = note.slice(0, note.indexOf(':') + 1);
  const same = lines.findIndex((l) => l.startsWith(lead));
  if (same !== -1) lines[same] = note;
  else {
    let last = -1;
    lines.forEach((l, k) => l.startsWith('- ') && (last = k));
    lines.splice(last + 1, 0, note);
  }
  return `${lines.join('\n')}\n`;
}
