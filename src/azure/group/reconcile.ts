// A reconcile's memberships of groups (`azure.groups`, `azure.manages.groups`), planned beside the
// section's role assignments as what it defines: the memberships the file lists are created
// (adminAssign); those of a managed group it does not list are drift, deleted (adminRemove), but
// one a live, proven claim holds (a running job's ephemeral membership, made by `created-by`) and
// one whose claim cannot be weighed now; groups not managed are read only where the file makes a
// membership, and never deleted from. Before any write: every group and principal resolves, and
// each create's group is managed by PIM (or `pim-onboard` allows its onboarding, which cannot be
// undone) and its policy allows the `duration`. Nothing here writes; ./writer.ts does.
import { groupShown } from '../../core/inputs/azure-group-refs.js';
import { runsDecidingVerdicts, claimVerdict, type ClaimVerdict } from '../../core/claims/live.js';
import type { GroupMembershipShape } from '../../core/kinds/azure-pim-group.js';
import { keyedBy } from '../../core/kinds/index.js';
import type { ManifestProblem } from '../../core/manifest/problems.js';
import type { AzureManifestSection } from '../../core/manifest/types.js';
import {
  planReconcile,
  type CurrentAssignment,
  type DesiredAssignment,
  type ReconcilePlan,
} from '../../core/plan/assignment-diff.js';
import { withClaims } from '../../core/plan/claimed-deletes.js';
import type { ReadRuns } from '../../engine/calls/driver.js';
import type { KindWriter } from '../../engine/calls/write-plan.js';
import type { SectionPlan, KindWords } from '../../engine/run/reconciler.js';
import type { Directory } from '../graph/directory.js';
import {
  heldDirectly,
  readGroupPolicy,
  policyRefusal,
  type GroupPimPolicy,
} from '../graph/group-pim-reads.js';
import { desiredGroups, groupKindOf, type DesiredMembership } from './desired.js';
import { groupHeld, type GroupJudge } from './held.js';
import { readGroupHoldings, type GroupHolding } from './holdings.js';
import { membershipRow, membershipWriter, type MembershipWrite } from './writer.js';
import { groupPimOf } from '../graph/group-pim.js';

type Shape = GroupMembershipShape;
type Settings = Pick<DesiredMembership, 'type' | 'duration'>;
type Current = CurrentAssignment<string, Shape> & { holding: GroupHolding };
export type GroupPlan = ReconcilePlan<Settings, string, Shape>;

export interface GroupPlanContext {
  directory: Directory;
  section: AzureManifestSection;
  /** `cloud-access:<owner>/<repo>:<manifest path>`. */
  marker: string;
  judge: GroupJudge;
  readRuns?: ReadRuns | undefined;
  now: number;
  /** `pim-onboard: true`: a create may onboard a group PIM does not manage yet. */
  pimOnboard: boolean;
  runUrl?: string | undefined;
}

/** What the step calls a membership's changes: who holds which access, and in which group. */
export const MEMBERSHIP_WORDS: KindWords = {
  noun: 'PIM for groups membership',
  heading: 'PIM for groups memberships',
  columns: ['membership', 'group'],
  cells: (r) => [`${r.principal} as ${r.assignmentType ?? 'active'} ${r.role}`, r.target],
};

const NONE: Omit<SectionPlan, 'problems'> = {
  counts: {
    name: 'groupMemberships',
    counts: { create: 0, delete: 0, unchanged: 0, claimed: 0, unknown: 0 },
  },
  words: MEMBERSHIP_WORDS,
  lines: [],
  deletes: 0,
  writes: [],
  writer: () => ({
    write: () => Promise.reject(new Error('no membership is planned')),
    unsent: () => ({ status: 'FAILED', rows: [] }),
  }),
  preview: () => [],
};

/** The section's memberships planned, or the problems (at their lines) that stop the step before any write. */
export async function planGroupMemberships(ctx: GroupPlanContext): Promise<SectionPlan | undefined> {
  const { section, directory } = ctx;
  if (section.groups.length === 0 && section.manages.groups.length === 0) return undefined;
  const wanted = await desiredGroups(directory, section);
  if (wanted.problems.length > 0) return { ...NONE, problems: wanted.problems };
  const nameOf = (id: string) => wanted.groupNames.get(id) ?? id;
  const ids = [...new Set([...wanted.managed, ...wanted.desired.map((d) => d.groupId)])];
  const pim = groupPimOf(directory);
  const { holdings, unread } = await readGroupHoldings(pim, ids);
  const problems = [...unread].map(([id, why]) => ({
    line: wanted.desired.find((d) => d.groupId === id)?.line ?? section.manages.line,
    message: `the PIM for groups memberships of group ${nameOf(id)} (${id}) could not be read: ${why}`,
    fix: "grant the reconcile's identity PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup and PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup, with admin consent (docs/azure-setup.md)",
  }));
  if (problems.length > 0) return { ...NONE, problems };
  const desired = wanted.desired.map((d): DesiredAssignment<Settings, string, Shape> => ({
    ...keyedBy(groupKindOf(d.type), { principalId: d.principalId, groupId: d.groupId, access: d.access }),
    target: d.groupId,
    written: { principal: d.written.principal, role: d.access, target: groupShown(d.written.group) },
    line: d.line,
    managed: wanted.managed.has(d.groupId),
    settings: { type: d.type, duration: d.duration },
  }));
  // A membership held through another group is that group's, not one to write; one whose access
  // Graph names neither member nor owner is not known: kept, and said (an unknown is no delete).
  const odd = holdings.filter((h) => h.membership.accessUnknown !== undefined);
  const oddNotes = odd.map(
    ({ membership: m }) =>
      `= ${m.principalId} as ${m.accessUnknown} of ${groupShown(nameOf(m.groupId))}: kept, Graph names its access neither member nor owner`,
  );
  const current = holdings
    .filter((h) => heldDirectly(h.membership) && h.membership.accessUnknown === undefined)
    .map((h): Current => {
      const m = h.membership;
      return {
        ...keyedBy(groupKindOf(m.kind), { principalId: m.principalId, groupId: m.groupId, access: m.access }),
        target: m.groupId,
        managed: wanted.managed.has(m.groupId),
        shown: { principal: m.principalId, role: m.access, target: groupShown(nameOf(m.groupId)) },
        holding: h,
      };
    });
  const planned = planReconcile(desired, current);
  const { plan, notes } = await withGroupClaims(planned, ctx);
  const refusals = await createRefusals(ctx, plan, nameOf);
  if (refusals.problems.length > 0) return { ...NONE, problems: refusals.problems };
  return kindPlanOf(plan, ctx, nameOf, [...notes, ...refusals.notes, ...oddNotes], refusals.onboarding);
}

/** The deletes a live claim holds, or one that cannot be weighed now, left in place (core/claims/live.ts). */
async function withGroupClaims(plan: GroupPlan, ctx: GroupPlanContext) {
  const claims = new Map(
    plan.deletes.flatMap((d) => {
      const claim = groupHeld((d as Current).holding, new Map(), ctx.judge).runClaim;
      return claim ? [[d.key, claim] as const] : [];
    }),
  );
  const asked = runsDecidingVerdicts([...claims.values()], ctx.now);
  const runs = asked.length > 0 && ctx.readRuns ? await ctx.readRuns(asked) : undefined;
  const states = runs ?? new Map();
  const verdictOf = (d: CurrentAssignment<string, Shape>): ClaimVerdict | undefined => {
    const claim = claims.get(d.key);
    return claim && claimVerdict(claim, states, ctx.now);
  };
  const notes =
    asked.length > 0 && !runs
      ? [
          `${asked.length} run(s) claim a membership the plan would end, and their state could not be read: those are left in place`,
        ]
      : [];
  return { plan: withClaims(plan, verdictOf).plan, notes };
}

/** Each create's group read once: managed by PIM (or `pim-onboard`), its policy allowing the duration. */
async function createRefusals(ctx: GroupPlanContext, plan: GroupPlan, nameOf: (id: string) => string) {
  const problems: ManifestProblem[] = [];
  const notes: string[] = [];
  const policies = new Map<string, Promise<GroupPimPolicy>>();
  for (const c of plan.creates) {
    if (!policies.has(c.groupId))
      policies.set(c.groupId, readGroupPolicy(groupPimOf(ctx.directory), c.groupId));
  }
  const onboarding = new Set<string>();
  for (const c of plan.creates) {
    const policy = await policies.get(c.groupId)!;
    const group = `${nameOf(c.groupId)} (${c.groupId})`;
    if (!policy.onboarded) {
      if (onboarding.has(c.groupId)) continue;
      onboarding.add(c.groupId);
      const said = `group ${group} is not managed by PIM yet: the first membership request onboards it to PIM for groups, which cannot be undone`;
      if (ctx.pimOnboard) notes.push(`${said} (\`pim-onboard: true\`)`);
      else
        problems.push({
          line: c.line,
          message: said,
          fix: 'set `pim-onboard: true` to allow it, or onboard the group in Privileged Identity Management → Groups first',
        });
      continue;
    }
    const refused = policyRefusal(policy, c.access, c.settings.type, c.settings.duration);
    if (refused) problems.push({ line: c.line, message: refused });
  }
  return { problems, notes, onboarding };
}

/** The plan as the kind's plan beside the reconcile's assignments: counts, lines, the writes and their writer. */
function kindPlanOf(
  plan: GroupPlan,
  ctx: GroupPlanContext,
  nameOf: (id: string) => string,
  notes: string[],
  /** Groups PIM does not manage yet that a create onboards (`pim-onboard: true`), by ID. */
  onboarding: ReadonlySet<string>,
): SectionPlan {
  const item = (
    m: { principalId: string; groupId: string; access: MembershipWrite['access'] },
    type: MembershipWrite['type'],
    duration: MembershipWrite['duration'],
    principal: string,
  ): MembershipWrite => ({
    type,
    principalId: m.principalId,
    groupId: m.groupId,
    access: m.access,
    duration,
    shown: { principal, group: nameOf(m.groupId) },
  });
  const writes = [
    ...plan.creates.map((c) => ({
      kind: c.kind,
      change: 'create' as const,
      item: item(c, c.settings.type, c.settings.duration, c.written.principal),
    })),
    ...plan.deletes.map((d) => ({
      kind: d.kind,
      change: 'delete' as const,
      item: item(d, (d as Current).holding.membership.kind, undefined, d.shown.principal),
    })),
  ];
  const word = (w: (typeof writes)[number]) =>
    `${w.item.shown.principal} as ${w.item.type} ${w.item.access} of ${groupShown(w.item.shown.group)}${w.item.duration ? ` for ${w.item.duration.iso}` : ''}`;
  const lines = [
    ...notes,
    ...writes.map((w) => `${w.change === 'create' ? '+' : '-'} ${word(w)}`),
    ...plan.claimed.map(
      (c) => `= ${c.shown.principal} as ${c.access} of ${c.shown.target}: kept, ${c.claim.reason}`,
    ),
    ...plan.unknown.map(
      (c) => `= ${c.shown.principal} as ${c.access} of ${c.shown.target}: kept, ${c.unknown.reason}`,
    ),
  ];
  return {
    counts: {
      name: 'groupMemberships',
      // As the top level counts the grants: what stays as listed, and what a claim keeps or cannot be weighed now.
      counts: {
        create: plan.creates.length,
        delete: plan.deletes.length,
        unchanged: plan.unchanged.length,
        claimed: plan.claimed.length,
        unknown: plan.unknown.length,
      },
    },
    words: MEMBERSHIP_WORDS,
    lines,
    deletes: plan.deletes.length,
    problems: [],
    writes,
    writer: (record, say, dryRun) =>
      membershipWriter(groupPimOf(ctx.directory), ctx.marker, ctx.runUrl, say, dryRun, record, {
        onboarding,
        nameOf,
      }) as KindWriter,
    preview: () =>
      writes.map((w) =>
        membershipRow(w, {
          status: 'SUCCEEDED',
          changed: false,
          after: w.change === 'create' ? 'absent' : 'present',
        }),
      ),
  };
}
