// An Azure report's role assignments (../kind/report.ts's entry for them): at or under each `target`
// scope, and above it (inherited, the same list), one role assignment list (a management group
// target's one more where it holds another group's: ./places.ts), each assignment
// validated as the sweep validates it (../role-assignment/run-markers.ts) and one it cannot read still a row, raw;
// how it is held from what it carries and who wrote it (./held.ts); and one PIM schedule
// instance list per scope for the end of each time-bound one (an active PIM assignment is listed
// by ARM as the role assignment it makes: its row is that assignment's, with the instance's end).
// Names as a reconcile's plan shows them, with each creator's (./reads.ts). Nothing here
// writes.
import type { AzureGrant } from '../../core/types.js';
import { describeError } from '../../core/errors.js';
import { LISTED_KIND } from '../../core/kinds/index.js';
import { principalKindOf } from '../../core/shown-names.js';
import type { HeldAssignment } from '../../engine/run/access-reader.js';
import { scheduleVerdict } from '../../core/claims/live.js';
import type { ArmSession } from '../arm/session.js';
import { listScheduleInstancesAround, placeKey } from '../arm/assignment-reads.js';
import { manifestClaim, markOf, rawHeld, reportedAssignment, type ReportedAssignment } from './held.js';
import type { ReportContext, ReportedKind } from '../kind/report.js';
import { targetNameOf } from '../kind/target-names.js';
import { listAroundTarget, listedOf, type Listed } from './places.js';
import { inheritedOf, nameWithCreators } from './reads.js';

/** What the lists gave: each assignment once, as the report reads it, and the PIM ends by place. */
interface AssignmentReads {
  listed: Listed[];
  pages: number;
  reported: (ReportedAssignment & { under?: AzureGrant['scope'] | undefined })[];
  ends: Map<string, string>;
}

export const reportedAssignments: ReportedKind<AssignmentReads> = {
  kind: LISTED_KIND.azure,
  lists: [
    {
      call: 'RoleAssignments_ListForScope',
      strategy: 'one role assignment list',
      source: 'role assignments',
    },
    {
      call: 'RoleAssignmentScheduleInstances_ListForScope',
      strategy: 'one PIM schedule instance list',
      source: 'PIM schedule instances',
    },
  ],

  async read(session, scopes, notes) {
    const [lists, ends] = await Promise.all([
      Promise.all(scopes.map((scope) => listAroundTarget(session, scope))),
      endTimes(session, scopes, notes),
    ]);
    const listed = listedOf(scopes, lists);
    const reported = listed.map(({ raw, under }) => ({ ...reportedAssignment(raw), under }));
    return { listed, pages: lists.reduce((n, l) => n + l.pages, 0), reported, ends };
  },

  // A list that cannot be read fails the report: it reads this kind or nothing.
  unread: () => false,

  said: ({ listed, pages }, scopes) =>
    `ARM: ${listed.length} role assignment(s) at, under or (inherited) above ${scopes.length} scope(s) in ${pages} list page(s)`,

  shownAt: ({ reported }) => reported.flatMap((r) => (r.c ? [r.under ?? r.c.ids.scope] : [])),

  async held({ reported, ends }, context) {
    const valid = reported.flatMap((r) => (r.c ? [{ ...r, c: r.c }] : []));
    const unread = reported.length - valid.length;
    if (unread > 0)
      context.notes.push(`${unread} assignment(s) not of the form ARM writes: shown with their raw IDs`);
    const naming = await nameWithCreators(valid, context.session);
    context.notes.push(...naming.notes);
    const read = valid.map((v) => heldOf(v, naming, context, ends)).filter((h) => context.wantedRole(h.role));
    return {
      held: [
        ...read,
        ...reported
          .flatMap((r) => (r.c ? [] : [{ ...rawHeld(r.raw, r.warning), ...inheritedOf(r) }]))
          .filter((h) => context.wantedRole(h.role, true)),
      ],
      groups: read
        .filter((h) => h.principal.kind === 'group' && !h.principal.gone)
        .map((h) => h.principal.id),
    };
  },
};

type Valid = Extract<ReportedAssignment, { c: object }> & { under?: AzureGrant['scope'] | undefined };

/** A valid assignment as a row: named, its manifest and mark, its end time. */
function heldOf(
  { raw, c, warning, under }: Valid,
  naming: Awaited<ReturnType<typeof nameWithCreators>>,
  { subscriptions, judge }: ReportContext,
  ends: Map<string, string>,
): HeldAssignment {
  const target = under ?? c.ids.scope;
  const names = naming.nameOf({
    principalId: c.ids.principalId,
    principalType: c.ids.principalType ?? '',
    roleId: c.ids.roleId,
    targetId: target.scope,
  });
  const creator = c.createdBy
    ? naming.nameOf({
        principalId: c.createdBy,
        principalType: '',
        roleId: c.ids.roleId,
        targetId: target.scope,
      })
    : undefined;
  const gone = naming.principalsAnswered && naming.typeOf(c.ids.principalId) === undefined;
  const place = placeKey(c.ids.principalId, c.ids.roleId, c.ids.scope.scope);
  const claim = manifestClaim(c, place, judge);
  const warnings = [warning, claim.warning].filter((w) => w !== undefined);
  return {
    kind: LISTED_KIND.azure,
    principal: {
      id: c.ids.principalId,
      name: names.principal,
      kind: names.principalKind ?? principalKindOf(c.ids.principalType),
      ...(gone ? { gone: true } : {}),
    },
    role: { id: c.ids.roleId, name: names.role },
    target: { id: target.scope, name: targetNameOf(target, subscriptions) },
    ...(under ? { inheritedFrom: c.ids.scope.scope } : {}),
    manifest: claim.manifest,
    ...markOf(raw, c, judge),
    ...scheduleOf(ends.get(place), c.createdBy, judge.createdBy),
    granted: {
      at: new Date(c.createdOn).toISOString(),
      ...(c.createdBy ? { by: { id: c.createdBy, name: creator?.principal } } : {}),
    },
    ...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
  };
}

/**
 * An active PIM instance's end, and the verdict on it as a claim (core/claims/live.ts): live
 * until then when an identity of `created-by` made it, as a reconcile weighs it.
 */
function scheduleOf(
  endsAt: string | undefined,
  createdBy: string | undefined,
  createdByIds: ReadonlySet<string>,
): Pick<HeldAssignment, 'endsAt' | 'verdict'> {
  if (endsAt === undefined) return {};
  return {
    endsAt,
    verdict: scheduleVerdict({ endsAt: Date.parse(endsAt), createdBy }, createdByIds, Date.now()),
  };
}

/** PIM: the end of each active time-bound instance, by place; none when PIM cannot be read. */
async function endTimes(
  session: ArmSession,
  scopes: AzureGrant['scope'][],
  notes: string[],
): Promise<Map<string, string>> {
  const ends = new Map<string, string>();
  try {
    const lists = await Promise.all(scopes.map((scope) => listScheduleInstancesAround(session, scope)));
    for (const i of lists.flatMap((l) => l.instances)) {
      const end =
        i.endDateTime instanceof Date && Number.isFinite(i.endDateTime.getTime()) ? i.endDateTime : undefined;
      if (end && i.principalId && i.roleDefinitionId && i.scope)
        ends.set(placeKey(i.principalId, i.roleDefinitionId, i.scope), end.toISOString());
    }
  } catch (error) {
    notes.push(
      `PIM schedule instances could not be read (${describeError(error)}): no assignment is shown as time-bound; the report's identity needs \`Microsoft.Authorization/roleAssignmentScheduleInstances/read\` and the tenant a Microsoft Entra ID P2 licence`,
    );
  }
  return ends;
}
