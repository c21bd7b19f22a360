// The one way a job summary draws a table. A column whose every cell is empty (or `—`, the
// summaries' "none") says nothing, so it is left out here, for every summary alike. Pure.
import { escapeHtml } from '../inert.js';

/** What a cell holds when there is nothing to say. */
const EMPTY = new Set(['', '—']);

/**
 * One HTML table: `header` is plain text (escaped here), each row's cells are HTML already escaped
 * by the caller (they may hold <code> or a link). A column whose every cell is empty is left out;
 * no rows, no table ('').
 */
export function htmlTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const kept = header.map((_, i) => i).filter((i) => rows.some((row) => !EMPTY.has((row[i] ?? '').trim())));
  if (rows.length === 0 || kept.length === 0) return '';
  const line = (tag: 'th' | 'td', cells: readonly string[]) =>
    `<tr>${kept.map((i) => `<${tag}>${cells[i] ?? ''}</${tag}>`).join('')}</tr>`;
  return `<table>${line('th', header.map(escapeHtml))}${rows.map((row) => line('td', row)).join('')}</table>`;
}
