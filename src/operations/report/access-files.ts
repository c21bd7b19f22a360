// `operation: report`'s files, for actions/upload-artifact and a reviewer's spreadsheet: the JSON
// (which a later report's `compare-to` reads back, ./access-compare.ts) and the CSV. Every text in
// them came from a cloud, so each is made inert first (a workflow may `cat` either), and a CSV cell
// that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, and the tab and carriage return
// OWASP's CSV injection advice adds) is prefixed with a single quote inside its quotes. Pure.
import { inertJson, inertText } from '../../core/inert.js';
import type { Cloud } from '../../core/types.js';
import {
  classCounts,
  ROW_COLUMNS,
  USAGE_COLUMNS,
  writtenRow,
  type AccessRow,
  type HoldingClass,
  type WrittenRow,
} from './access-rows.js';
import type { ReadWindow, ReportCover } from '../../engine/run/access-reader.js';

/** The JSON file's shape; `version` changes only when a reader of the old one would misread it. */
export interface ReportDocument {
  version: 1;
  cloud: Cloud;
  /** ISO 8601 UTC. */
  generatedAt: string;
  /** What was read, in words (the scopes, the accounts and permission sets). */
  scope: string;
  /** What was read, as data: a later `compare-to` compares only what both read (absent before it was written). */
  cover?: ReportCover;
  /** When each source was read: the rows are as of then, not as of `generatedAt`. */
  windows?: ReadWindow[];
  counts: Record<HoldingClass, number>;
  rows: WrittenRow[];
}

/** A row as the files write it (its kind as the kind's word), every string made inert, so the files say what the log and summary say. */
export function inertRow(row: AccessRow): WrittenRow {
  return Object.fromEntries(
    Object.entries(writtenRow(row)).map(([k, v]) => [k, typeof v === 'string' ? inertText(v) : v]),
  ) as unknown as WrittenRow;
}

export function reportDocument(
  cloud: Cloud,
  rows: readonly AccessRow[],
  scope: string,
  generatedAt: number,
  cover?: ReportCover,
  windows?: readonly ReadWindow[],
): ReportDocument {
  return {
    version: 1,
    cloud,
    generatedAt: new Date(generatedAt).toISOString(),
    scope: inertText(scope),
    ...(cover ? { cover } : {}),
    ...(windows?.length ? { windows: windows.map((w) => ({ ...w, source: inertText(w.source) })) } : {}),
    counts: classCounts(rows),
    rows: rows.map(inertRow),
  };
}

/** The JSON file's text: one inert line per row, so a diff of two reports reads row by row. */
export function reportJson(document: ReportDocument): string {
  const { rows, ...head } = document;
  const lines = rows.map((r) => `    ${inertJson(r)}`);
  return `${inertJson(head).slice(0, -1)},\n  "rows": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

/**
 * The CSV's name: its cloud and when it was read (`access-report-aws-20250101T060000Z.csv`), so a
 * CSV kept alone still says it; what it covered, its `covered` column (./access-covered.ts). A
 * leading comment row would be taken for the header by a spreadsheet.
 */
export function csvFileName(cloud: Cloud, generatedAt: number): string {
  const date = new Date(generatedAt);
  const stamp = Number.isFinite(date.getTime())
    ? date
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')
    : 'unknown-time';
  return `access-report-${cloud}-${stamp}.csv`;
}

/** A spreadsheet's formula starts: OWASP's list (CSV Injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: quoted always, `"` doubled, a formula start defused with a leading `'`. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : inertText(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The CSV's columns: the rows' (the JSON's), then `covered`, the same statement on every row of
 * what the report read, and `readAt`, when it read it (ISO 8601 UTC), last so that a reader of an
 * earlier version's columns by position reads them still. A column on every row, not a `#` line
 * above the header: spreadsheets, Athena and pandas take a file's first line for its header, and
 * a cell stays with its row when rows are filtered, sorted or pasted elsewhere. The JSON says both
 * once, as `cover` and `windows`.
 */
export const CSV_COLUMNS: readonly (keyof AccessRow | 'covered' | 'readAt')[] = [
  ...ROW_COLUMNS.filter((c) => c !== 'live'),
  'covered',
  'readAt',
  // Added after `readAt`, last for the same reason.
  'live',
];

/**
 * When a CSV's rows were read: the end of the read of the grants themselves (the first window;
 * a history read after them, CloudTrail's, says only since when they are held), or, where no
 * window was said, when the report was written. ISO 8601 UTC, as the other times of a row.
 */
export function csvReadAt(windows: readonly ReadWindow[] | undefined, generatedAt: number): string {
  const end = windows?.[0]?.end;
  if (end !== undefined && Number.isFinite(Date.parse(end))) return new Date(Date.parse(end)).toISOString();
  return new Date(generatedAt).toISOString();
}

/**
 * The `held` of the one row an empty report's CSV has, so that it still says what it read: no
 * grant was found there. Only the CSV has it; the JSON's rows, its counts and every output count
 * grants.
 */
export const EMPTY_REPORT_HELD = 'none';

export function reportCsv(
  cloud: Cloud,
  rows: readonly AccessRow[],
  covered: string,
  /** When the rows were read (csvReadAt). */
  readAt: string,
): string {
  // `last-used: true` adds its columns after every other (the rows carry them then).
  const columns: readonly string[] = rows.some((r) => r.lastUsed !== undefined)
    ? [...CSV_COLUMNS, ...USAGE_COLUMNS]
    : CSV_COLUMNS;
  const header = columns.join(',');
  const cells = (r: Partial<Record<string, string | number | boolean | null>>) =>
    columns
      .map((c) => {
        const value = r[c] ?? null;
        return csvCell(typeof value === 'boolean' ? String(value) : value);
      })
      .join(',');
  const lines = rows.length
    ? rows.map((r) => cells({ ...writtenRow(r), covered, readAt }))
    : [cells({ cloud, held: EMPTY_REPORT_HELD, covered, readAt })];
  return `${[header, ...lines].join('\r\n')}\r\n`;
}
