// The plan stage of `operation: reconcile`: the diff (core/plan/assignment-diff.ts) decided on:
// whether it may be written (max-deletions, a section left managing nothing), and whether its
// deletes wait for a create. Pure.
import type { AnyPlan, ReconcilePlan } from '../../core/plan/assignment-diff.js';
import type { SectionPlan } from '../../engine/run/reconciler.js';

/** What the limits weigh of each kind's section beside the assignments: its deletes, in its own words, and its own refusal. */
type SectionDeletes = Pick<SectionPlan, 'deletes' | 'words' | 'refusal'>;

export interface DeleteLimits {
  /** `max-deletions`. */
  maxDeletions: number;
  /** The section's `manages.allow-delete-all`. */
  allowDeleteAll: boolean;
  /** `aws` or `azure`, for the message. */
  section: string;
}

/**
 * Why the plan must not be applied, or undefined when it may: more deletes than `max-deletions`,
 * or a plan after which the section manages nothing (every managed assignment deleted and none
 * created: an emptied or mistyped file looks just like that) without `allow-delete-all`. Either way nothing is written, the plan is reported.
 */
export function refusalOf(
  plan: AnyPlan,
  limits: DeleteLimits & {
    /** The kinds' sections beside the assignments: their deletes count too. */
    sections?: readonly SectionDeletes[];
  },
): { reason: string; fix: string } | undefined {
  const sections = limits.sections ?? [];
  // A delete of a section that would leave assignments refuses the whole plan, as too many deletes do.
  const refused = sections.find((s) => s.refusal)?.refusal;
  if (refused) return refused;
  const kindDeletes = sections.reduce((sum, s) => sum + s.deletes, 0);
  if (plan.deletes.length + kindDeletes > limits.maxDeletions) {
    const deletes = plan.deletes.length + kindDeletes;
    const ofKind = sections
      .filter((s) => s.deletes > 0)
      .map((s) => ` and ${s.deletes} ${s.words.noun}(s)`)
      .join('');
    return {
      reason: `the plan deletes ${plan.deletes.length} assignments${ofKind}, more than \`max-deletions\` (${limits.maxDeletions}); nothing was written`,
      fix: `review the plan above; if it is meant, raise \`max-deletions\` to ${deletes} for one run`,
    };
  }
  const deletes = plan.deletes.length;
  // Nothing the section manages would be left: every managed assignment deleted, none created.
  // A claimed assignment stays only until its claim ends (an unknown one, until its claim is read):
  // it is not what the file leaves managed.
  const leftManaged =
    plan.managedNow -
    deletes -
    plan.claimed.length -
    plan.unknown.length +
    plan.creates.filter((c) => c.managed).length;
  if (deletes > 0 && leftManaged === 0 && !limits.allowDeleteAll) {
    return {
      reason: `the plan deletes every one of the ${deletes} assignments the \`${limits.section}\` section manages; nothing was written`,
      fix: `an emptied or mistyped manifest looks like this; if it is meant, set \`${limits.section}.manages.allow-delete-all: true\``,
    };
  }
  return undefined;
}

/**
 * Whether the plan's deletes must wait until a create has SUCCEEDED: without the creates, they
 * would leave the section managing nothing. refusalOf lets such a plan through because a managed
 * create would be left; were the deletes to run beside that create and it then FAILED, the file
 * cut to one new entry would have deleted everything. `allow-delete-all` says
 * an empty section is meant, and nothing waits.
 */
export function deletesAwaitCreate(plan: AnyPlan, allowDeleteAll: boolean): boolean {
  const deletes = plan.deletes.length;
  return (
    !allowDeleteAll &&
    deletes > 0 &&
    plan.managedNow - deletes - plan.claimed.length - plan.unknown.length === 0
  );
}

/** The plan stage's decisions: whether the plan may be written, and how. */
export interface ReconcileDecision {
  plan: ReconcilePlan;
  /**
   * Why the plan must not be written (the event's refusal, else refusalOf): it runs as a dry run,
   * every row FAILED.
   */
  refusal?: { reason: string; fix: string };
  /** Nothing is written: `dry-run`, an event that may not write, or a refused plan. */
  dryRun: boolean;
  /** The deletes wait for a create that SUCCEEDED (deletesAwaitCreate). */
  awaitCreate: boolean;
  /** Why they wait, when they do: for the log before the apply and a dry run's outcome. */
  waiting?: string;
}

export function decideReconcile(
  plan: ReconcilePlan,
  options: DeleteLimits & {
    sections?: readonly SectionDeletes[];
    dryRun: boolean;
    /** The run's event may not write, and is no pull request's plan (core/check/events.ts planOnlyOn). */
    eventRefusal?: { reason: string; fix: string };
  },
): ReconcileDecision {
  // The event first: whatever the plan, it is not applied on this event, which is the fix to make.
  const refusal = options.eventRefusal ?? refusalOf(plan, options);
  const awaitCreate = !refusal && deletesAwaitCreate(plan, options.allowDeleteAll);
  return {
    plan,
    ...(refusal ? { refusal } : {}),
    dryRun: options.dryRun || refusal !== undefined,
    awaitCreate,
    ...(awaitCreate
      ? {
          waiting: `the ${plan.deletes.length} delete(s) wait until a create has SUCCEEDED: without one, ${emptied(options.section)}`,
        }
      : {}),
  };
}

/** What a plan whose every delete is written leaves: the section managing nothing. */
export const emptied = (section: string) => `they would leave the \`${section}\` section managing nothing`;
