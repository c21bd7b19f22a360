// The permission sets a reconcile's manifest defines, as the kind's plan beside a reconcile's
// assignments (engine/run/reconciler.ts SectionPlan): each definition's content checked with its
// inline policy's file, planned against the instance (./plan-sets.ts), its lines and counts for the
// plan, the deletes that would leave assignments refused, naming them (every assignment of the
// set, read where the reconcile did not: ./holders.ts), and the writes in their kind's order
// (./apply-sets.ts), each change one result carrying its `change` (./set-results.ts). The
// AWS-managed policies it names are checked with IAM beside the plan's reads
// (./managed-policies.ts). What each created or updated set's change allows is proven before any
// write (./policy-checks.ts), its checks in the set's lines.
import { fenceRecord, removalOf } from './fence-record.js';
import { accountsOf } from '../../core/permission-sets/session-fence.js';
import { desiredContents, type PermissionSetDefinition } from '../../core/permission-sets/definition.js';
import { deleteRefusal, type PermissionSetPlan } from '../../core/permission-sets/plan.js';
import { planShown, planWords } from '../../core/permission-sets/plan-words.js';
import type { CeilingEntry } from '../../core/permission-sets/ceiling.js';
import type { PolicyChecksMode } from '../../core/permission-sets/policy-checks.js';
import { planCheckLines } from '../../core/permission-sets/policy-check-words.js';
import { inertText } from '../../core/inert.js';
import type { CurrentAssignment } from '../../core/plan/assignment-diff.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { SectionPlan, KindWords } from '../../engine/run/reconciler.js';
import { plannedSetEntry, setChangeRecord } from './set-change-record.js';
import type { SsoSession } from '../sso/session.js';
import { setWriter } from './apply-sets.js';
import { asChange, asResults, plannedChange, previewResults } from './set-results.js';
import { holdersOf, type HolderSources } from './holders.js';
import type { KnownContent } from './known-contents.js';
import { checkAwsManagedPolicies } from './managed-policies.js';
import { planDefinedSets } from './plan-sets.js';
import { checkSetPolicies, checksShown } from './policy-checks.js';

const ZERO = { create: 0, update: 0, delete: 0, provision: 0 };

/** What the step calls a set's changes: a provisioning's row names its accounts, comma-separated. */
export const SET_WORDS: KindWords = {
  noun: 'permission set',
  heading: 'Permission sets',
  columns: ['permission set', 'accounts'],
  cells: (r) => [r.role, r.target.split(',').filter(Boolean).join(', ')],
};

export async function definedSetsPlan(
  session: SsoSession,
  definitions: readonly PermissionSetDefinition[],
  read: HolderSources & {
    current: CurrentAssignment<string>[];
    deletes: CurrentAssignment<string>[];
    /** The assignments this run creates: one of a set the plan deletes would be left behind. */
    creates: { roleId: string; target: string; written: { principal: string } }[];
    files: ReadonlyMap<string, { text: string } | { error: string }>;
    owner: string;
    /** The defined sets' content the step knows already (./known-contents.ts). */
    known?: ReadonlyMap<string, KnownContent> | undefined;
  },
  bound: WaitBound & { deadline: Deadline },
  /** Input `policy-checks`, and `aws.must-not-grant`. */
  policy: { mode: PolicyChecksMode; mustNotGrant: readonly CeilingEntry[] } = {
    mode: 'off',
    mustNotGrant: [],
  },
): Promise<SectionPlan> {
  const { contents, problems } = desiredContents(definitions, read.files, read.owner);
  const empty = {
    counts: { name: 'permissionSets', counts: ZERO },
    words: SET_WORDS,
    lines: [],
    deletes: 0,
    preview: () => [],
  };
  const none = setWrites(session, [], bound);
  if (problems.length > 0) return { ...empty, problems, ...none };
  const [policies, planned] = await Promise.all([
    checkAwsManagedPolicies(session, definitions, contents),
    planDefinedSets(session, {
      definitions,
      contents,
      own: read.owner,
      holders: (arn, accounts) => holdersOf(session, arn, accounts, read),
      ...(read.known ? { known: read.known } : {}),
    }),
  ]);
  const found = [...planned.problems, ...policies.problems].sort((a, b) => a.line - b.line);
  if (found.length > 0) return { ...empty, problems: found, ...none };
  const { plans } = planned;
  const checks = await checkSetPolicies(session, { plans, definitions, ...policy, files: read.files });
  const proofs = { checks: checksShown(checks, policy.mode) };
  if (checks.problems.length > 0) return { ...empty, problems: checks.problems, ...none, ...proofs };
  const checkLines = (p: PermissionSetPlan) =>
    p.change === 'create' || p.change === 'update'
      ? planCheckLines(checks.sets.find((s) => s.name === p.name))
      : [];
  const counts = { ...ZERO };
  for (const p of plans) counts[p.change]++;
  const upkeep = plans.filter((p) => 'upkeep' in p && p.upkeep).length;
  const refusals = deleteRefusals(plans, planned.held, read);
  return {
    counts: { name: 'permissionSets', counts, ...(upkeep > 0 ? { upkeep } : {}) },
    words: SET_WORDS,
    lines: plans.flatMap((p) => [...planWords(p, policies.unchecked), ...checkLines(p).map(inertText)]),
    deletes: counts.delete,
    ...(refusals.length > 0
      ? {
          refusal: {
            reason: `${refusals.map((r) => r.message).join('; ')}; nothing was written`,
            fix: refusals[0]!.fix,
          },
        }
      : {}),
    problems: [],
    planned: plans.map((plan) => plannedSetEntry(plannedChange(plan))),
    ...setWrites(session, plans, bound),
    preview: () => plans.flatMap((plan) => previewResults(plan, plans)),
    ...proofs,
    shown: plans.map((plan) => ({
      change: plan.change,
      name: plan.name,
      ...withChecks(planShown(plan, policies.unchecked), checkLines(plan)),
    })),
  };
}

/**
 * The section of a manifest that defines no set: nothing planned, nothing counted, and its checks
 * (output `policy-checks`) saying that none was needed.
 */
export function noDefinedSetsPlan(
  session: SsoSession,
  bound: WaitBound & { deadline: Deadline },
  mode: PolicyChecksMode,
): SectionPlan {
  return {
    words: SET_WORDS,
    lines: [],
    deletes: 0,
    problems: [],
    preview: () => [],
    ...setWrites(session, [], bound),
    checks: checksShown({ sets: [], calls: 0, problems: [] }, mode),
  };
}

const withChecks = (shown: ReturnType<typeof planShown>, lines: string[]) => ({
  ...shown,
  lines: [...shown.lines, ...lines],
});

/** The plans as writes of the permission-set kind in the reconcile's write plan, and their writer. */
function setWrites(
  session: SsoSession,
  plans: readonly PermissionSetPlan[],
  bound: WaitBound & { deadline: Deadline },
): Pick<SectionPlan, 'writes' | 'writer'> {
  return {
    writes: plans.map((plan) => ({
      kind: 'aws-permission-set',
      change: plan.change,
      item: plan,
      // A set still to be created has only its name; every other change, its ARN.
      key: plan.change === 'create' ? plan.name : plan.arn,
      // A provisioning pushes its set's new content: not after an update that failed.
      ...(plan.change === 'provision' && updated(plans, plan.arn)
        ? { needs: { of: [{ kind: 'aws-permission-set', change: 'update', key: plan.arn }] } }
        : {}),
    })),
    writer: (record, say, dryRun) =>
      setWriter(
        session,
        bound,
        (result) => {
          const change = asChange(result, plans);
          record(`${change.change} of the permission set ${change.name}`, setChangeRecord(change));
          for (const fence of result.expiredFencesRemoved ?? [])
            record(
              `removal of the expired session fence of ${change.name} in ${accountsOf(fence).join(', ')}`,
              fenceRecord({ ...removalOf(fence, change.name), status: 'SUCCEEDED' }),
            );
          const rows = asResults(result, plans);
          rows.forEach(say);
          return rows;
        },
        (plan) => previewResults(plan, plans),
        dryRun,
      ),
  };
}

/**
 * A set is deleted only with none of its assignments left once this run's deletes are done, in
 * any account (the plan read every one of them), and none made by this run's creates.
 */
function deleteRefusals(
  plans: readonly PermissionSetPlan[],
  held: ReadonlyMap<
    string,
    readonly { key: string; principal: string; accountId: string; managed: boolean }[]
  >,
  run: {
    deletes: readonly CurrentAssignment<string>[];
    creates: readonly { roleId: string; target: string; written: { principal: string } }[];
  },
) {
  const deleted = new Set(run.deletes.map((d) => d.key));
  return plans.flatMap((p) => {
    if (p.change !== 'delete') return [];
    const remaining = [
      ...(held.get(p.arn) ?? []).filter((h) => !deleted.has(h.key)),
      ...run.creates
        .filter((c) => c.roleId === p.arn)
        .map((c) => ({ principal: c.written.principal, accountId: c.target, managed: true })),
    ];
    return deleteRefusal(p.name, remaining) ?? [];
  });
}

/** Whether the plan updates the set at `arn` (a provisioning pushes that update). */
const updated = (plans: readonly PermissionSetPlan[], arn: string): boolean =>
  plans.some((p) => p.change === 'update' && p.arn === arn);
