// The one way a job summary draws a table, and a section of one under its heading. A column whose every cell is empty (or `—`, the
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

/** A table of a summary's section: its heading, the rows shown (cells as HTML, as htmlTable takes them), and how many there are. */
export interface SummaryTable {
  heading: string;
  columns: string[];
  rows: string[][];
  /** How many there are, shown or not: those beyond `rows` are the log's. */
  total: number;
}

/** The section: `Heading (total)`, the table, and how many more the log has; nothing when there are none. */
export function tableSection(table: SummaryTable): string[] {
  if (table.total === 0) return [];
  return [
    `<h4>${escapeHtml(`${table.heading} (${table.total})`)}</h4>`,
    htmlTable(table.columns, table.rows),
    ...(table.total > table.rows.length
      ? [`<p>${table.total - table.rows.length} more are in the log.</p>`]
      : []),
  ];
}
