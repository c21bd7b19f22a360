// The report stage of `operation: reconcile`: from the plan's decisions and what the apply came
// to, everything the step says at its end — the summary's one table under its outcome, the
// outputs (`plan`, `drift`, `drift-remaining` beside every step's), the annotations and whether
// the step failed. Pure.
import { planSummaryHtml } from './reconcile-summary.js';
import { planCounts, type AnyPlan } from '../../core/plan/assignment-diff.js';
import { emptied, type ReconcileDecision } from './reconcile-plan.js';
import { summariseResults } from '../../core/output/results.js';
import type { RunHeader } from '../../core/output/run-header.js';
import {
  outputsOfResults,
  type Annotation,
  type OutputValue,
  type StepReport,
} from '../../core/output/step.js';
import {
  failuresOf,
  effectTablesHtml,
  rowWarningsOf,
  warningsHtml,
} from '../../core/output/grants-ending.js';
import type { GrantResult } from '../../core/grant-result.js';
import { checksHtml, withChecksOutputs } from '../../core/output/plan-checks.js';
import type { SectionPlan } from '../../engine/run/reconciler.js';
import type { Missed } from '../../core/snapshot/merge.js';
import type { Row } from './reconcile-report.js';
import { driftOutputs } from './reconcile-drift.js';

/** What the apply stage came to (./reconcile-apply.ts). */
export interface AppliedPlan {
  results: GrantResult[];
  /** Each delete's result, at its index in `plan.deletes`; undefined for one held back. */
  deleteResults: (GrantResult | undefined)[];
  /** Each update's result, at its index in `plan.updates`. */
  updateResults?: (GrantResult | undefined)[];
  /** Deletes not run: the create that replaces each did not succeed. */
  held: number;
  /** Deletes not run: they wait for a create, and none SUCCEEDED. */
  heldForNoCreate: number;
  /** The rows of each kind's section beside the assignments (AWS: its permission sets' changes), also at the end of `results`. */
  sectionResults?: GrantResult[][];
}

export interface ReconcileContext {
  cloud: string;
  /** The run's header; its title gets `: plan refused` when the plan is. */
  header: RunHeader;
  /**
   * `dry-run` as the input set it, or as an event that only plans makes it (a refused plan is a dry
   * run too, but not this).
   */
  dryRunInput: boolean;
  /** Why nothing was written on an event that only plans (core/check/events.ts planOnlyOn), said at notice level. */
  planned?: string;
  manifest: string;
  /** The plan's rows, as the log showed them. */
  rows: readonly Row[];
  management: string[];
  /**
   * The kinds' sections beside the assignments: the `plan` output's counts of each (AWS
   * `permissionSets`: create, update, delete, provision), its words, and each change as a dry run's
   * summary shows it (its reach and diff).
   */
  sections?: readonly Pick<SectionPlan, 'counts' | 'words' | 'shown' | 'checks'>[];
  /** What a complete read found that the kept snapshot and its deltas missed (`missed`). */
  missed?: readonly Missed[];
}

/** Each section of the plan with its rows, as the summary shows it. */
const sectionsWithResults = (context: ReconcileContext, applied: AppliedPlan) =>
  (context.sections ?? []).map((section, i) => ({ ...section, results: applied.sectionResults?.[i] ?? [] }));

/** A row as it is shown and reported: a refused plan's rows are FAILED, not run. */
export function shownResult(decision: ReconcileDecision): (r: GrantResult) => GrantResult {
  const refusal = decision.refusal;
  return refusal ? (r) => refusedResult(r, refusal.reason) : (r) => r;
}

/**
 * A refused plan's row: run as a dry run, it says what it would have done (`change`), and it is
 * FAILED, since the plan was not run. A row that could not even be planned keeps its own failure.
 */
export function refusedResult(result: GrantResult, reason: string): GrantResult {
  if (result.status === 'FAILED') return result;
  return { ...result, status: 'FAILED', failureReason: `the plan was refused: ${reason}`, refused: true };
}

export function reconcileEnding(
  decision: ReconcileDecision,
  applied: AppliedPlan,
  context: ReconcileContext,
): StepReport {
  const { plan, refusal } = decision;
  const shown = shownResult(decision);
  const results = applied.results.map(shown);
  const { status } = summariseResults(results);
  const noCreate = `${applied.heldForNoCreate} delete(s) did not run: no create succeeded, and ${emptied(context.cloud)}`;
  const outcome = outcomeLine(decision, applied, context, status, noCreate);
  const drift = driftOutputs(decision, context.sections, results, applied.sectionResults ?? []);
  const planHtml = planSummaryHtml(plan, {
    header: refusal ? { ...context.header, title: `${context.header.title}: plan refused` } : context.header,
    manifest: context.manifest,
    rows: context.rows,
    outcome,
    results: {
      mode: refusal ? 'refused' : context.dryRunInput ? 'dry-run' : 'apply',
      creates: applied.results.slice(0, plan.creates.length).map(shown),
      deletes: applied.deleteResults.map((r) => r && shown(r)),
      updates: (applied.updateResults ?? []).map((r) => r && shown(r)),
      sections: sectionsWithResults(context, applied),
    },
    management: context.management,
  });
  const resultsOutputs = outputsOfResults(results);
  const outputs: [string, OutputValue][] = withChecksOutputs(
    [
      // A plan of many writes has no first grant to stand for it (core/inputs/operation-inputs.ts:
      // only assign, revoke and request set these).
      ...(resultsOutputs.outputs ?? []).map(([name, value]): [string, OutputValue] =>
        name === 'assignment-id' || name === 'expires-at' ? [name, ''] : [name, value],
      ),
      ['plan', { json: planOutput(plan, context.sections) }],
      // A JSON list, empty when nothing was missed or no complete read ran.
      ['missed', { json: context.missed ?? [] }],
      ...drift,
      // One error for the refusal, not one for each row it held back.
      ...(refusal
        ? ([
            ['status', 'FAILED'],
            ['failure-reason', refusal.reason],
          ] as [string, string][])
        : []),
    ],
    checksOf(context.sections),
  );
  const failures = refusal
    ? { annotations: [], failed: `${refusal.reason}: ${refusal.fix}` }
    : failuresOf(results, { operation: 'assign', wait: true });
  const held: Annotation[] = [
    ...(applied.heldForNoCreate > 0 ? [{ level: 'error' as const, message: noCreate }] : []),
    ...(applied.held > 0
      ? [
          {
            level: 'error' as const,
            message: `${applied.held} delete(s) did not run: the create that replaces each (a change of role) did not succeed, and a principal is never left with neither`,
          },
        ]
      : []),
  ];
  // What the kinds' effects on its deletes did, after the plan's tables.
  const effectsHtml = effectTablesHtml(applied.deleteResults.flatMap((r) => (r ? [r] : [])));
  // The rows' own warnings (a group onboarded to PIM for good), once each: a line of the summary
  // and an annotation, as an assign gives them.
  const rowWarnings = rowWarningsOf(results);
  const after = [...checksHtml(checksOf(context.sections)), ...warningsHtml(results), ...effectsHtml];
  const summaryHtml = after.length > 0 ? `${planHtml.trimEnd()}\n${after.join('\n')}\n` : planHtml;
  return {
    summaryHtml,
    outputs,
    annotations: [
      ...(context.planned ? [{ level: 'notice' as const, message: context.planned }] : []),
      ...(failures.annotations ?? []),
      ...rowWarnings.map((message) => ({ level: 'warning' as const, message })),
      ...held,
    ],
    ...(failures.failed ? { failed: failures.failed } : {}),
  };
}

/** The `plan` output: the assignments' counts, and each section's under its name (AWS `permissionSets`) where it counts any. */
const planOutput = (plan: AnyPlan, sections: ReconcileContext['sections']) => ({
  ...planCounts(plan),
  ...Object.fromEntries(
    (sections ?? []).flatMap((s) => (s.counts ? [[s.counts.name, s.counts.counts]] : [])),
  ),
});

/** What each section proved of its changes (AWS: `policy-checks`), where it proves any. */
const checksOf = (sections: ReconcileContext['sections']) =>
  (sections ?? []).flatMap((s) => (s.checks ? [s.checks] : []));

/** The summary's one line on how the step ended. */
function outcomeLine(
  decision: ReconcileDecision,
  applied: AppliedPlan,
  context: ReconcileContext,
  status: string,
  noCreate: string,
): string {
  const { refusal, waiting } = decision;
  return refusal
    ? `FAILED: the plan was refused: ${refusal.reason}. To apply it: ${refusal.fix}.`
    : context.dryRunInput
      ? `Dry run${status === 'SUCCEEDED' ? '' : `, status ${status}`}: ${context.planned ?? 'nothing was written'}.${waiting ? ` On apply, ${waiting}.` : ''}`
      : applied.heldForNoCreate > 0
        ? `FAILED: ${noCreate}.`
        : applied.held > 0
          ? `FAILED: ${applied.held} delete(s) did not run: the create that replaces each did not succeed.`
          : `Applied, status ${status}.`;
}
