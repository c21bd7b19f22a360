// What `operation: report` says at its end, as a StepReport: a log line per row, the outputs
// (`report-json`, `report-csv`, `changes` with `compare-to`, `results` while small) and the job
// summary. The files are written by the step; their paths come in here. Pure.
import { inertJson } from '../../core/inert.js';
import { compareRows, type ReportChanges } from './access-compare.js';
import { inertRow } from './access-files.js';
import { classCounts, type AccessRow, type Named } from '../../core/report/access-rows.js';
import { countsText, emptyGroupLine, reportSummaryHtml, rowLine } from './access-summary.js';
import type { RunHeader } from '../../core/report/run-header.js';
import type { StepReport } from '../../core/report/step.js';

/** `results` holds the rows only while they are this few: the files hold any number. */
export const MAX_RESULTS_ROWS = 200;

export interface ReportEndingOptions {
  header: RunHeader;
  readLine: string;
  files: { json: string; csv: string };
  previous?: { rows: readonly AccessRow[]; path: string } | undefined;
  /** With expand-groups: the groups holding a grant whose members include no user. */
  emptyGroups?: readonly Named[] | undefined;
}

export function reportEnding(rows: readonly AccessRow[], options: ReportEndingOptions): StepReport {
  const counts = classCounts(rows);
  const changes: ReportChanges | undefined = options.previous
    ? compareRows(options.previous.rows, rows)
    : undefined;
  const lines = [
    ...rows.map(rowLine),
    ...(options.emptyGroups ?? []).map(emptyGroupLine),
    `report: ${rows.length} row(s): ${countsText(counts)}`,
    ...(changes && options.previous
      ? [`since ${options.previous.path}: ${changes.gained.length} gained, ${changes.lost.length} lost`]
      : []),
    `report files: ${options.files.json}, ${options.files.csv}`,
  ];
  const outputs: [string, string][] = [
    ['status', 'SUCCEEDED'],
    ['changed', 'false'],
    ['report-json', options.files.json],
    ['report-csv', options.files.csv],
    ['plan', inertJson(counts)],
    ...(changes
      ? ([['changes', inertJson({ gained: changes.gained.length, lost: changes.lost.length })]] as [
          string,
          string,
        ][])
      : []),
    ...(rows.length <= MAX_RESULTS_ROWS
      ? ([['results', inertJson(rows.map(inertRow))]] as [string, string][])
      : []),
  ];
  return {
    lines,
    outputs,
    jsonOutputs: ['plan', 'changes', 'results'],
    summaryHtml: reportSummaryHtml(rows, {
      header: options.header,
      readLine: options.readLine,
      counts,
      changes,
      comparedWith: options.previous?.path,
      emptyGroups: options.emptyGroups,
    }),
  };
}
