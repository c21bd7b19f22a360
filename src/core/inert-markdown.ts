// Server text (names, IDs, reasons a reviewer wrote) in Markdown GitHub renders (a campaign
// issue, a pull request's body), inert: first as every string that leaves the action
// (./inert.ts: no control, format or line-separator character, no workflow command), then inside
// a code span, where GitHub renders no markup, link, image, HTML, `@` mention or `#` reference,
// with a fence longer than any run of backticks in it; `|` escaped, which a table row would
// otherwise take for a cell's end, even in a code span. Pure.
import { inertText } from './inert.js';

/** The longest server text a cell shows; the record keeps it whole. */
export const SHOWN_CHARACTERS = 256;

/** Server text as one inert Markdown code span, safe in a table cell; empty text as `—`. */
export function code(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  const whole = inertText(text);
  const shown = whole.length > SHOWN_CHARACTERS ? `${whole.slice(0, SHOWN_CHARACTERS)}…` : whole;
  const inert = shown.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(inert.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = inert.startsWith('`') || inert.endsWith('`') || inert.startsWith(' ') ? ` ${inert} ` : inert;
  return `${fence}${padded}${fence}`;
}

/** A table row of cells already made safe. */
export const tableRow = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** A table's header and its delimiter row. */
export const tableHead = (names: readonly string[]): string[] => [
  tableRow(names),
  tableRow(names.map(() => '---')),
];

/** A time as the issue shows it: ISO 8601 to the minute, UTC, or `—`. */
export function shownTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return code(iso);
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An address GitHub gave (a comment's, a pull request's), and nothing that could break out of a link. */
const LINKABLE = /^https:\/\/[^\s()<>[\]`|\\]+$/;

/** `text` linked to `url` where the address is a plain https one; otherwise the text alone. */
export const linked = (text: string, url: string): string =>
  LINKABLE.test(url) ? `[${text}](${url})` : text;
