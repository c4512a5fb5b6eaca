// Writes a services.yaml text with comments: a header, then each service with the lines that explain it.
import { Document, isMap, isScalar, isSeq, Scalar, type Pair } from 'yaml';

/** One service to write: its keys in msdev's spelling and the comment lines above it. */
export interface ServiceBlock {
  readonly name: string;
  readonly comments: readonly string[];
  readonly body: object;
}

/** A whole file to write. */
export interface YamlFile {
  /** Comment lines at the top. */
  readonly header: readonly string[];
  readonly name?: string;
  readonly envFile?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly services: readonly ServiceBlock[];
}

/** Strings a YAML 1.1 reader would take for a boolean or null: quoted, so every tool reads them as text. */
const AMBIGUOUS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$|^\d+(:\d+)+$/;

/** A list of scalars is written on one line (`[a, b]`) when it is this short. */
const FLOW_MAX = 60;

/** The text of a services.yaml: header comment, top-level keys, then the services, a blank line between them. */
export function renderYaml(file: YamlFile): string {
  const top: Record<string, unknown> = {};
  if (file.name !== undefined) top.name = file.name;
  if (file.envFile !== undefined && file.envFile.length > 0) top.env_file = file.envFile.length === 1 ? file.envFile[0] : file.envFile;
  if (file.env !== undefined && Object.keys(file.env).length > 0) top.env = file.env;
  top.services = Object.fromEntries(file.services.map((s) => [s.name, s.body]));
  const doc = new Document(top);
  if (file.header.length > 0) doc.commentBefore = file.header.map((l) => ` ${l}`).join('\n');
  quoteAmbiguous(doc.contents);
  const services = doc.get('services', true);
  if (isMap(services)) {
    services.items.forEach((pair: Pair, i) => {
      const block = file.services[i]!;
      if (!isScalar(pair.key)) return;
      if (i > 0) pair.key.spaceBefore = true;
      if (block.comments.length > 0) pair.key.commentBefore = block.comments.flatMap((l) => wrap(l, COMMENT_WIDTH)).map((l) => ` ${l}`).join('\n');
    });
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Comment lines longer than this are wrapped (at spaces). */
const COMMENT_WIDTH = 96;

/** Splits a line at spaces into lines of at most `width` characters (a longer word stays whole); later lines are indented. */
function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) break;
    out.push(rest.slice(0, cut));
    rest = `  ${rest.slice(cut + 1)}`;
  }
  out.push(rest);
  return out;
}

/** Quotes every string value that YAML 1.1 readers would take for something else. */
function quoteAmbiguous(node: unknown): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && AMBIGUOUS.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    return;
  }
  if (isSeq(node) && node.items.every(isScalar) && node.items.reduce((n, i) => n + String(isScalar(i) ? i.value : '').length + 2, 0) <= FLOW_MAX) node.flow = true;
  if (node !== null && typeof node === 'object' && 'items' in node && Array.isArray(node.items)) {
    for (const item of node.items as unknown[]) {
      if (item !== null && typeof item === 'object' && 'value' in item && 'key' in item) quoteAmbiguous((item as Pair).value);
      else quoteAmbiguous(item);
    }
  }
}
