// Renders docs/services-yaml.md from the schema of services.yaml (src/config/schema.ts), the same
// source as the validator and the JSON Schema. Pure: the schema, describe() and the template come in,
// the Markdown goes out, so `npm run docs` (from dist/) and the docs test (from src/) render alike.
import { stringify } from 'yaml';
import { slugger, table } from './markdown.mjs';

/** Splits a description into its text and the default named in its last sentence (`Default: ….`). */
export function splitDefault(description) {
  const text = description ?? '';
  const m = /(^|\s)Default: ([\s\S]*?)\.?$/.exec(text);
  if (!m) return { text, default: null };
  return { text: text.slice(0, m.index).trim(), default: m[2].trim() };
}

/** The place a node sits, as the docs spell it: `services.NAME.healthcheck`. */
const pathText = (path) => (path.length === 0 ? 'the top level' : path.join('.'));

/** Every mapping with known keys (an `obj` node) under root, with its path, in file order. */
function objects(node, path, out) {
  switch (node.kind) {
    case 'obj':
      out.push({ path, node });
      for (const [key, value] of Object.entries(node.props)) objects(value, [...path, key], out);
      break;
    case 'map':
      objects(node.values, [...path, 'NAME'], out);
      break;
    case 'list':
      objects(node.items, [...path, '[]'], out);
      break;
    case 'union':
      for (const branch of node.anyOf) objects(branch, path, out);
      break;
    default:
      break;
  }
  return out;
}

/** A value as one line of YAML (flow style), quoted where YAML 1.1 would read it as something else. */
function yamlValue(value) {
  return stringify(value, { collectionStyle: 'flow', version: '1.1', lineWidth: 0 }).trim();
}

/** A value under a key, as a YAML block (`key:` then the value indented), for a section's example. */
function yamlBlock(key, value) {
  const body = stringify(key === null ? value : { [key]: value }, { version: '1.1', lineWidth: 0 });
  return ['```yaml', body.trimEnd(), '```'].join('\n');
}

/** A section's example under its own key; a mapping in a NAME slot (a service, a dependency) under its parent key and a sample name. */
function sectionExample(path, example) {
  if (path.length === 0) return yamlBlock(null, example);
  if (path.at(-1) !== 'NAME') return yamlBlock(path.at(-1), example);
  const parent = path.at(-2);
  return yamlBlock(parent, { [parent === 'services' ? 'api' : 'db']: example });
}

/**
 * The Markdown of docs/services-yaml.md. `schema` is projectSchema, `describe` the DSL's words for a
 * node (schema-dsl.ts), `template` the hand-written frame with `{{contents}}` and `{{reference}}`.
 */
export function servicesDoc({ schema, describe, template }) {
  const sections = objects(schema, [], []);
  const anchorOf = new Map();
  const nextSlug = slugger();
  // Headings in the order they are written, so repeated ones get GitHub's -1, -2 suffixes.
  const headings = [];
  for (const s of sections) {
    const title = s.path.length === 0 ? 'Top level' : `\`${pathText(s.path)}\``;
    const anchor = nextSlug(title);
    anchorOf.set(s.node, anchor);
    const keys = Object.keys(s.node.props).map((key) => ({ key, anchor: nextSlug(`\`${key}\``) }));
    headings.push({ ...s, title, anchor, keys });
  }

  /** Words for the type of a node, with a link for a mapping that has its own section. */
  function typeWords(node) {
    switch (node.kind) {
      case 'str':
        return node.late ? `${describe(node)} (may use \`\${port}\` and \`\${services.NAME.…}\`)` : describe(node);
      case 'list':
        return `a list, each item ${typeWords(node.items)}`;
      case 'map':
        return `a mapping of NAME → ${typeWords(node.values)}${node.keyRule ? ` (NAME: ${node.keyRule})` : ''}`;
      case 'obj':
        return anchorOf.has(node) ? `a mapping (see [below](#${anchorOf.get(node)}))` : 'a mapping';
      case 'union':
        return node.what ?? node.anyOf.map(typeWords).join(' or ');
      default:
        return describe(node);
    }
  }

  /** The accepted forms of a union, one bullet each (nested unions of a map's values included). */
  function forms(node, indent = '') {
    const inner = node.kind === 'map' || node.kind === 'list' ? (node.kind === 'map' ? node.values : node.items) : null;
    if (node.kind !== 'union') return inner && inner.kind === 'union' ? forms(inner, indent) : [];
    return node.anyOf.flatMap((branch) => {
      const { text } = splitDefault(branch.description);
      const nested = branch.kind === 'map' || branch.kind === 'list' ? forms(branch, `${indent}  `) : [];
      const head = `${indent}- ${typeWords(branch)}${text ? `: ${text}` : ''}`;
      return [nested.length ? `${head} Each value one of:` : head, ...nested];
    });
  }

  const out = [];
  for (const h of headings) {
    const { node, path } = h;
    const required = new Set(node.required ?? []);
    const { text, default: dflt } = splitDefault(node.description);
    out.push(`## ${h.title}`, '');
    if (text || dflt) out.push(`${text}${dflt ? `${text ? ' ' : ''}Default: ${dflt}.` : ''}`, '');
    const rules = [];
    if (node.required?.length) rules.push(`Required: ${node.required.map((k) => `\`${k}\``).join(', ')}.`);
    if (node.exactlyOne?.length) rules.push(`Exactly one of ${node.exactlyOne.map((k) => `\`${k}\``).join(', ')}.`);
    if (node.extensions) rules.push('Keys starting with `x-` are allowed and ignored (extension fields, as in compose), e.g. for YAML anchors.');
    rules.push('Any other key is an error.');
    out.push(rules.join(' '), '');
    out.push(
      table(
        ['Key', 'Type', 'Default'],
        h.keys.map(({ key, anchor }) => {
          const prop = node.props[key];
          const d = splitDefault(prop.description).default;
          return [`[\`${key}\`](#${anchor})`, typeWords(prop), required.has(key) ? 'required' : (d ?? '—')];
        }),
      ),
      '',
    );
    if (node.example !== undefined) out.push('Example:', '', sectionExample(path, node.example), '');
    for (const { key } of h.keys) {
      const prop = node.props[key];
      const p = splitDefault(prop.description);
      out.push(`### \`${key}\``, '');
      if (p.text) out.push(p.text, '');
      out.push(`- Path: \`${pathText([...path, key])}\``);
      out.push(`- Type: ${typeWords(prop)}`);
      out.push(`- Default: ${required.has(key) ? 'none (required)' : (p.default ?? 'none')}`);
      const f = forms(prop, '  ');
      if (f.length > 0) out.push('- Forms:', ...f);
      if (prop.example !== undefined) out.push(`- Example: \`${key}: ${yamlValue(prop.example)}\``);
      out.push('');
    }
  }
  const contents = headings
    .map((h) => `- [${h.title}](#${h.anchor}): ${h.keys.map((k) => `[\`${k.key}\`](#${k.anchor})`).join(', ')}`)
    .join('\n');
  return fill(template, { contents, reference: out.join('\n').trimEnd() });
}

/** The template with every `{{name}}` replaced; a name with no value is an error. */
export function fill(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`template: no value for {{${name}}}`);
    return values[name];
  });
}
