// Step outputs, log groups, annotations and the job summary of the assign, revoke and provision
// steps: what core/report/step.ts and core/report/results.ts build, handed to the runner's effects
// (./runner-effects.ts, which makes every text inert: most of it carries text a server sent).
import { EOL } from 'node:os';
import { escapeHtml } from '../core/inert.js';
import { runSummaryLine, summaryHeadline, summaryTable } from '../core/report/results.js';
import { expansionSummaryHtml, type TargetExpansion } from '../core/inputs/org-expansion.js';
import type { WorkflowContext } from '../core/run-context.js';
import {
  emitOutputs,
  emitStepReport,
  failuresOf,
  grantLog,
  outputsOfResults,
  stoppedBeforeAnyGrant,
} from '../core/report/step.js';
import type { GrantResult, Operation } from '../core/types.js';
import { runnerEffects } from './runner-effects.js';
import { appendSummary } from './summary.js';

/** One collapsed group per grant, printed when the grant ends so concurrent grants do not interleave. */
export function logGrant(result: GrantResult, dryRun: boolean): void {
  const { title, lines } = grantLog(result, dryRun);
  runnerEffects.group(title, lines);
}

export function setStepOutputs(results: GrantResult[]): void {
  emitOutputs(outputsOfResults(results), runnerEffects);
}

/** How a step ends, for its summary and annotations. */
export interface StepEnding {
  title: string;
  /** What the rows are: grants, or permission sets for `provision`. */
  operation: Operation;
  dryRun: boolean;
  wait: boolean;
  /** The run the step belongs to, which the summary names and links to. */
  run: WorkflowContext;
  /** AWS OU, root and path targets: what each expanded to, shown before the table. */
  expansion?: TargetExpansion;
}

export async function writeJobSummary(
  results: GrantResult[],
  { title, operation, dryRun, run, expansion }: Omit<StepEnding, 'wait'>,
): Promise<void> {
  const cells = (tag: 'th' | 'td', row: string[]) => row.map((cell) => `<${tag}>${cell}</${tag}>`).join('');
  const { header, rows } = summaryTable(operation, results, dryRun);
  const table = [cells('th', header), ...rows.map((row) => cells('td', row))];
  const runLine = runSummaryLine(run);
  await appendSummary(
    [
      `<h3>${escapeHtml(title)}</h3>`,
      ...(runLine ? [`<p>${runLine}</p>`] : []),
      ...(expansion ? [expansionSummaryHtml(expansion, dryRun)] : []),
      `<p>${escapeHtml(summaryHeadline(operation, results, dryRun))}</p>`,
      `<table>${table.map((row) => `<tr>${row}</tr>`).join('')}</table>`,
      '',
    ].join(EOL),
  );
}

/**
 * The end of a step that stopped before its first grant (invalid inputs, a failed sign-in): every
 * output a failed step sets, a short job summary under `title` saying so, and the step failed.
 */
export async function finishBeforeAnyGrant(
  reasons: string[],
  headline: string,
  title: string,
): Promise<void> {
  await emitStepReport(stoppedBeforeAnyGrant(reasons, headline, title), runnerEffects);
}

/** The end of every step: outputs, job summary, annotations, and the step's exit status. */
export async function finish(results: GrantResult[], ending: StepEnding): Promise<void> {
  setStepOutputs(results);
  await writeJobSummary(results, ending);
  failOnResults(results, ending);
}

/** Annotations for the grants that did not succeed, and the step failed when any did not. */
export function failOnResults(results: GrantResult[], ending: Pick<StepEnding, 'operation' | 'wait'>): void {
  void emitStepReport(failuresOf(results, ending), runnerEffects);
}
