// The reconcile's `drift` and `drift-remaining` outputs (./reconcile-ending.ts sets them): whether
// the cloud differed from the file when the step read it, in the assignments or in what a kind's
// section beside them counts (AWS: the permission sets' content), and whether it still differs
// once the step is done. Upkeep of what the action wrote before is no drift. Pure.
import type { ReconcileDecision } from './reconcile-plan.js';
import type { AnyPlan } from '../../core/plan/assignment-diff.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { SectionPlan } from '../../engine/run/reconciler.js';

/** `drift` and `drift-remaining`: the assignments', and each section's beside them (AWS: the sets' content). */
export function driftOutputs(
  decision: ReconcileDecision,
  /** The kinds' sections beside the assignments, with what each counts. */
  sections: readonly Pick<SectionPlan, 'counts'>[] | undefined,
  results: GrantResult[],
  sectionResults: GrantResult[][],
): [string, string][] {
  const { plan } = decision;
  const wrote = !decision.dryRun;
  const defined = (sections ?? []).map((section, i) =>
    sectionDrift(
      section.counts?.counts,
      { wrote, refused: decision.refusal !== undefined, results: sectionResults[i] ?? [] },
      section.counts?.upkeep,
    ),
  );
  return [
    ['drift', String(hasDrift(plan) || defined.some((d) => d.drift))],
    ['drift-remaining', String(driftRemaining(plan, { wrote, results }) || defined.some((d) => d.remaining))],
  ];
}

/**
 * The `drift` output: when the step read, the cloud differed from the file in what the file lists
 * or the section manages (a create, a delete or an update planned; unmanaged assignments are not
 * drift).
 */
export function hasDrift(plan: AnyPlan): boolean {
  return plan.creates.length > 0 || plan.deletes.length > 0 || plan.updates.length > 0;
}

/**
 * The `drift-remaining` output: whether the cloud still differs from the file once the step is
 * done. No drift found, none remains; found, it remains unless every planned create, delete and
 * update ran and SUCCEEDED (a dry run, a refused plan, a failed, unfinished or held-back write
 * leave it).
 */
export function driftRemaining(plan: AnyPlan, applied: { wrote: boolean; results: GrantResult[] }): boolean {
  if (!hasDrift(plan)) return false;
  if (!applied.wrote) return true;
  const planned = plan.creates.length + plan.deletes.length + plan.updates.length;
  return applied.results.length < planned || applied.results.some((r) => r.status !== 'SUCCEEDED');
}

/**
 * The drift outputs over what a kind's section beside the assignments counts (AWS `permissionSets`:
 * create, update, delete, provision; a set's content edited by hand, or an account not on its
 * latest version): drift as much as an assignment is; it remains unless every planned change ran
 * and SUCCEEDED.
 */
export function sectionDrift(
  counts: Record<string, number> | undefined,
  /** `results`: the rows of the section's changes alone. */
  applied: { wrote: boolean; refused: boolean; results: GrantResult[] },
  /** Of the planned changes, those that are the action's upkeep of what it wrote before, not drift. */
  upkeep = 0,
): { drift: boolean; remaining: boolean } {
  const planned = Object.values(counts ?? {}).reduce((sum, n) => sum + n, 0);
  if (planned - upkeep <= 0) return { drift: false, remaining: false };
  const { results } = applied;
  const remaining =
    !applied.wrote ||
    applied.refused ||
    results.length < planned ||
    results.some((r) => r.status !== 'SUCCEEDED');
  return { drift: true, remaining };
}
