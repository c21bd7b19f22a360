// What `operation: report` says at its end, as a StepReport: a log line per row, the outputs
// (`report-json`, `report-csv`, `changes` with `compare-to`, `results` while small) and the job
// summary. The files are written by the step; their paths come in here. Pure.
import { compareRows, type PreviousReport, type ReportChanges } from './access-compare.js';
import { inertRow } from './access-files.js';
import { classCounts, type AccessRow } from './access-rows.js';
import type { Named, ReportCover } from '../../engine/run/access-reader.js';
import type { Cloud } from '../../core/types.js';
import { countsText, emptyGroupLine, reportSummaryHtml, rowLine } from './access-summary.js';
import type { RunHeader } from '../../core/output/run-header.js';
import type { Annotation, OutputValue, StepReport } from '../../core/output/step.js';
import type { UsageEnding } from './access-usage.js';
import type { PruneEnding } from './prune-text.js';

/** `results` holds the rows only while they are this few: the files hold any number. */
export const MAX_RESULTS_ROWS = 200;
/** Rows whose warning is an annotation of its own; the rest are counted in one (the files hold every warning). */
const MAX_ROW_WARNINGS = 10;

export interface ReportEndingOptions {
  cloud: Cloud;
  header: RunHeader;
  readLine: string;
  files: { json: string; csv: string };
  previous?: { report: PreviousReport; path: string } | undefined;
  /** Where this report read, as its JSON keeps it. */
  cover?: ReportCover | undefined;
  /** With expand-groups: the groups holding a grant whose members include no user. */
  emptyGroups?: readonly Named[] | undefined;
  /** What a complete read found that the kept snapshot and its deltas missed (`missed`): none without. */
  missed?: readonly unknown[] | undefined;
  /** With `last-used: true`: what the usage evidence covers (./access-usage.ts). */
  usage?: UsageEnding | undefined;
  /** With `prune: pull-request`: what the prune did (./prune-pull.ts). */
  prune?: PruneEnding | undefined;
}

export function reportEnding(rows: readonly AccessRow[], options: ReportEndingOptions): StepReport {
  const counts = classCounts(rows);
  const changes: ReportChanges | undefined = options.previous
    ? compareRows(options.previous.report, rows, options.cover, options.cloud)
    : undefined;
  const lines = [
    ...rows.map(rowLine),
    ...(options.emptyGroups ?? []).map(emptyGroupLine),
    `report: ${rows.length} row(s): ${countsText(counts)}`,
    ...(changes && options.previous
      ? [`since ${options.previous.path}: ${changes.gained.length} gained, ${changes.lost.length} lost`]
      : []),
    ...(options.usage?.lines ?? []),
    ...(options.prune?.lines ?? []),
    `report files: ${options.files.json}, ${options.files.csv}`,
  ];
  const outputs: [string, OutputValue][] = [
    ['status', 'SUCCEEDED'],
    ['changed', 'false'],
    ['report-json', options.files.json],
    ['report-csv', options.files.csv],
    ['plan', { json: counts }],
    // A JSON list, empty when nothing was missed or no complete read ran.
    ['missed', { json: options.missed ?? [] }],
    ...(options.usage
      ? ([['evidence-complete', String(options.usage.complete)]] as [string, OutputValue][])
      : []),
    ...(options.prune ? ([['prune-pull-request', options.prune.url]] as [string, OutputValue][]) : []),
    ...(changes
      ? ([['changes', { json: changesOutput(changes, options.previous!.report) }]] as [string, OutputValue][])
      : []),
    ...(rows.length <= MAX_RESULTS_ROWS
      ? ([['results', { json: rows.map(inertRow) }]] as [string, OutputValue][])
      : []),
  ];
  return {
    lines,
    annotations: [
      ...rowWarnings(rows),
      ...(changes?.caveats ?? []).map(compareWarning),
      ...[...(options.usage?.warnings ?? []), ...(options.prune?.warnings ?? [])].map(
        (message): Annotation => ({ level: 'warning', message }),
      ),
    ],
    outputs,
    summaryHtml: reportSummaryHtml(rows, {
      header: options.header,
      readLine: options.readLine,
      counts,
      changes,
      comparedWith: options.previous?.path,
      emptyGroups: options.emptyGroups,
      ...(options.usage ? { usageHtml: options.usage.summaryHtml + (options.prune?.summaryHtml ?? '') } : {}),
    }),
    ...(options.prune?.failed ? { failed: options.prune.failed } : {}),
  };
}

/** `{"gained":n,"lost":n}`, and what of the earlier report was not compared when any was not. */
function changesOutput(changes: ReportChanges, previous: PreviousReport): Record<string, number> {
  return {
    gained: changes.gained.length,
    lost: changes.lost.length,
    ...(previous.unreadable > 0 ? { unreadable: previous.unreadable } : {}),
    ...(previous.duplicates > 0 ? { duplicates: previous.duplicates } : {}),
  };
}

const compareWarning = (caveat: string): Annotation => ({
  level: 'warning',
  message: `compare-to: ${caveat}`,
});

/** A warning per row that carries one, the first few each on its own, then how many more. */
function rowWarnings(rows: readonly AccessRow[]): Annotation[] {
  const warned = rows.filter((r) => r.warning !== null && r.viaGroupId === null);
  const shown = warned
    .slice(0, MAX_ROW_WARNINGS)
    .map((r): Annotation => ({ level: 'warning', message: `${rowLine(r)}` }));
  if (warned.length > MAX_ROW_WARNINGS)
    shown.push({
      level: 'warning',
      message: `${warned.length - MAX_ROW_WARNINGS} more row(s) carry a warning: the report files hold each in their \`warning\` column`,
    });
  return shown;
}
