// process-compose's `vars`: Go templates in command, working_dir, log_location and the probes' fields.
// msdev substitutes the simple `{{.NAME}}` (and `{{- .NAME -}}`) form; anything else is refused.

/** What a template renders to, or why it cannot. */
export type Rendered = { readonly text: string } | { readonly error: string };

const ACTION = /(\s*)\{\{(-\s)?\s*([\s\S]*?)\s*(\s-)?\}\}(\s*)/g;
const SIMPLE = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Substitutes every `{{.NAME}}` of `text` with its var (values as text); anything else is an error. */
export function renderTemplate(text: string, vars: ReadonlyMap<string, string | null>): Rendered {
  if (!text.includes('{{')) return { text };
  let error: string | null = null;
  const out = text.replace(ACTION, (whole, before: string, trimLeft: string | undefined, inner: string, trimRight: string | undefined, after: string) => {
    if (error) return whole;
    const m = SIMPLE.exec(inner);
    if (!m) {
      error = `the Go template {{${inner.length > 40 ? `${inner.slice(0, 40)}…` : inner}}} is more than msdev runs; only {{.NAME}} substitution of vars is read`;
      return whole;
    }
    const name = m[1]!;
    if (!vars.has(name)) {
      error = `{{.${name}}}: no var "${name}" (define it under vars, of the process or at the top)`;
      return whole;
    }
    const value = vars.get(name);
    if (value === null) {
      error = `{{.${name}}}: var "${name}" is not a plain value (a string, number or boolean)`;
      return whole;
    }
    return `${trimLeft ? '' : before}${value}${trimRight ? '' : after}`;
  });
  if (error) return { error };
  if (out.includes('{{')) return { error: 'an unclosed "{{" (a Go template action needs "}}")' };
  return { text: out };
}
