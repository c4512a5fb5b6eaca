// Renders docs/cli.md from the commander program of src/cli/main.ts (buildProgram) and its exit
// codes (EXIT_CODES, COMMAND_EXITS). Pure: the program, the exit data and the template come in, the
// Markdown goes out, so `npm run docs` (from dist/) and the docs test (from src/) render alike.
import { fill } from './services-doc.mjs';
import { slugger, table } from './markdown.mjs';

/** An option's default as the docs show it, or null (flags, and `--no-x` switches, have none). */
function optionDefault(option) {
  if (option.negate || option.defaultValue === undefined) return null;
  if (Array.isArray(option.defaultValue) && option.defaultValue.length === 0) return null;
  return `\`${Array.isArray(option.defaultValue) ? option.defaultValue.join(', ') : String(option.defaultValue)}\``;
}

/** A help text split into its words and the default it names in a trailing `(default: …)`, if any. */
function splitHelpDefault(text) {
  const m = /\s*\(default: ([^()]*(?:\([^()]*\)[^()]*)*)\)$/.exec(text ?? '');
  return m ? { text: text.slice(0, m.index), default: m[1] } : { text: text ?? '', default: null };
}

/** An option's description with its choices, if it has any. */
function optionText(option, text) {
  const choices = option.argChoices ? ` (one of ${option.argChoices.map((c) => `\`${c}\``).join(', ')})` : '';
  return `${text}${choices}`;
}

/** The rows of an options table: flags, description, default; --help left out (every command has it). */
function optionRows(help, cmd) {
  return help
    .visibleOptions(cmd)
    .filter((o) => o.long !== '--help')
    .map((o) => {
      const h = splitHelpDefault(o.description);
      return [`\`${o.flags}\``, optionText(o, h.text), optionDefault(o) ?? h.default ?? '—'];
    });
}

/** A sentence from a help text: capital first letter, full stop at the end. */
const sentence = (text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

/** An argument as the usage line writes it: `<services...>` or `[services...]`. */
const argumentTerm = (a) => {
  const name = `${a.name()}${a.variadic ? '...' : ''}`;
  return a.required ? `<${name}>` : `[${name}]`;
};

/**
 * The Markdown of docs/cli.md. `program` is buildProgram's commander program, `exitCodes` the list
 * of `{ code, meaning }`, `commandExits` each command's exit codes in words, `template` the frame with
 * `{{description}}`, `{{usage}}`, `{{contents}}`, `{{globals}}`, `{{commands}}` and `{{exitCodes}}`.
 */
export function cliDoc({ program, exitCodes, commandExits, template }) {
  const help = program.createHelp();
  const nextSlug = slugger();
  const commands = program.commands.filter((c) => !c._hidden);
  const missing = commands.map((c) => c.name()).filter((n) => commandExits[n] === undefined);
  if (missing.length > 0) throw new Error(`no exit codes for: ${missing.join(', ')} (add them to COMMAND_EXITS in src/cli/main.ts)`);

  const sections = commands.map((cmd) => {
    const title = `\`msdev ${cmd.name()}\``;
    const anchor = nextSlug(title);
    const lines = [`## ${title}`, '', sentence(cmd.description()), '', '```', help.commandUsage(cmd), '```', ''];
    const args = help.visibleArguments(cmd);
    if (args.length > 0) {
      lines.push(table(['Argument', 'Meaning', 'Default'], args.map((a) => {
        const h = splitHelpDefault(a.description);
        return [`\`${argumentTerm(a)}\``, h.text || '—', a.defaultValue === undefined ? (h.default ?? '—') : `\`${String(a.defaultValue)}\``];
      })), '');
    }
    const rows = optionRows(help, cmd);
    if (rows.length > 0) lines.push(table(['Option', 'Meaning', 'Default'], rows), '');
    lines.push(`Exit: ${commandExits[cmd.name()]}`, '');
    return { name: cmd.name(), anchor, summary: cmd.description(), text: lines.join('\n') };
  });

  return fill(template, {
    description: sentence(program.description()),
    usage: ['```', help.commandUsage(program), '```'].join('\n'),
    globals: table(['Option', 'Meaning', 'Default'], optionRows(help, program)),
    contents: table(
      ['Command', 'Does'],
      sections.map((s) => [`[\`msdev ${s.name}\`](#${s.anchor})`, s.summary]),
    ),
    commands: sections.map((s) => s.text).join('\n').trimEnd(),
    exitCodes: table(['Code', 'Meaning'], exitCodes.map((e) => [`\`${e.code}\``, e.meaning])),
  });
}
