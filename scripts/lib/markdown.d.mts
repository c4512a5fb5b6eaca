// Types for markdown.mjs, so test/docs.test.ts can import it.

/** Text safe inside a Markdown table cell. */
export function cell(text: unknown): string;
/** A Markdown table from a header row and body rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string;
/** The anchor GitHub gives a heading. */
export function slug(heading: string): string;
/** A slugger that numbers repeated headings as GitHub does. */
export function slugger(): (heading: string) => string;
/** Every anchor of a Markdown text's headings and `<a id>` tags. */
export function anchors(markdown: string): Set<string>;
/** The targets of a Markdown text's links and images, outside code. */
export function linkTargets(markdown: string): string[];
