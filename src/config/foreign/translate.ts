// Reading another tool's file as it is: its text becomes msdev's document (positions kept), which then goes
// through the same validation and normalization as a services.yaml.
import type { YAMLMap } from 'yaml';
import type { ConfigFormat } from '../config-format.js';
import type { ConfigProblem } from '../errors.js';
import { parseYaml, type YamlSource } from '../yaml-source.js';
import { translateProcfile } from './procfile.js';

/** Where the file is and who reads it. */
export interface TranslateContext {
  /** The file as shown to the user. */
  readonly file: string;
  /** Its absolute path. */
  readonly path: string;
  /** Its folder (relative paths in it are relative to this). */
  readonly dir: string;
  readonly shell: NodeJS.ProcessEnv;
}

/** The file as msdev's document, and what was said about it. */
export interface Translation {
  /** msdev's document; its nodes carry ranges into the file's text, so problems point into the file. */
  readonly source: YamlSource;
  /** Problems that stop the load (positioned in the file); none when it can go on. */
  readonly errors: readonly ConfigProblem[];
  /** What msdev ignores or does differently (positioned in the file); the load goes on. */
  readonly warnings: readonly ConfigProblem[];
  /** Variables for `${VAR}` interpolation only, not given to the services (a compose file's `.env`). */
  readonly interpolationVars: Readonly<Record<string, string>>;
}

/** What a YAML format's translator makes of its parsed file. */
export interface YamlTranslation {
  /** msdev's top-level mapping (name, env_file, env, services), built with node-build.ts. */
  readonly root: YAMLMap;
  readonly errors: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
  readonly interpolationVars?: Readonly<Record<string, string>>;
}

/** Translates the parsed file of a YAML format (compose, process-compose). */
export type YamlTranslator = (parsed: YamlSource, ctx: TranslateContext) => Promise<YamlTranslation>;

/** The translators of the YAML formats, loaded when such a file is read. */
const YAML_TRANSLATORS: Readonly<Record<'compose' | 'process-compose', () => Promise<YamlTranslator | null>>> = {
  compose: () => Promise.resolve(null),
  'process-compose': async () => (await import('./process-compose/translate.js')).translateProcessCompose,
};

/** Reads a file of another tool as msdev's document. */
export async function translateForeign(format: Exclude<ConfigFormat, 'msdev'>, text: string, ctx: TranslateContext): Promise<Translation> {
  if (format === 'procfile') return translateProcfile(text, ctx);
  const parsed = parseYaml(text, ctx.file);
  if (parsed.problems.length > 0) return { source: parsed, errors: [], warnings: [], interpolationVars: {} };
  const translator = await YAML_TRANSLATORS[format]();
  if (!translator) {
    const what = format === 'compose' ? 'Compose files' : 'process-compose files';
    return { source: parsed, errors: [{ file: ctx.file, line: 0, col: 0, path: '', message: `${what} cannot be read by this msdev yet; write a services.yaml (msdev init)` }], warnings: [], interpolationVars: {} };
  }
  const t = await translator(parsed, ctx);
  parsed.doc.contents = t.root;
  return { source: parsed, errors: t.errors, warnings: t.warnings, interpolationVars: t.interpolationVars ?? {} };
}
