// An Azure report's PIM eligibilities (../kind/report.ts's entry for them): at, under and
// (inherited) above each `target` scope, one roleEligibilitySchedules list (schedules: current and
// future eligibilities, never instances), each a row of its kind with its end, named as the
// report's other rows are (../kind/names.ts). An eligibility is not an active assignment: the
// person activates it. Loaded with the report only. Nothing here writes.
import type { AzureGrant } from '../../core/types.js';
import { describeError } from '../../core/errors.js';
import { principalKindOf } from '../../core/shown-names.js';
import type { HeldAssignment } from '../../engine/run/access-reader.js';
import type { ArmSession } from '../arm/session.js';
import { isoOf } from '../pim/schedules.js';
import { listEligibilitiesAround, type Listed } from './reads.js';
import { nameAzureRows } from '../kind/names.js';
import type { ReportedKind } from '../kind/report.js';
import { targetNameOf, type SubscriptionNames } from '../kind/target-names.js';
import { readActivations } from './usage.js';

/** Every eligibility at, under or above the scopes; undefined (and a note) when PIM cannot be read. */
async function listEligibilities(
  session: ArmSession,
  scopes: AzureGrant['scope'][],
  notes: string[],
): Promise<Listed[] | undefined> {
  try {
    return (await Promise.all(scopes.map((scope) => listEligibilitiesAround(session, scope)))).flat();
  } catch (error) {
    notes.push(
      `PIM eligibility schedules could not be read (${describeError(error)}): no eligibility is shown; the report's identity needs \`Microsoft.Authorization/roleEligibilitySchedules/read\` and the tenant a Microsoft Entra ID P2 licence`,
    );
    return undefined;
  }
}

/** The eligibilities a report reads and shows: one list per scope, each a row of its kind. */
export const reportedEligibilities: ReportedKind<Listed[] | undefined> = {
  kind: 'azure-pim-eligible',
  lists: [
    {
      call: 'RoleEligibilitySchedules_ListForScope',
      strategy: 'one eligibility schedule list',
      source: 'eligibility schedules',
    },
  ],
  read: listEligibilities,
  unread: (listed) => listed === undefined,
  said: (listed, scopes) =>
    listed &&
    `ARM: ${listed.length} PIM eligibility schedule(s) at, under or (inherited) above ${scopes.length} scope(s)`,
  // The scope each is shown at: its target, for one inherited from above.
  shownAt: (listed) => (listed ?? []).map(({ scope, under }) => under ?? scope),
  async held(listed, { session, notes, subscriptions, wantedRole }) {
    const held = (await eligibleHeld(session, listed ?? [], notes, subscriptions)).filter((h) =>
      wantedRole(h.role),
    );
    // A group's eligibility reaches its users as an assignment's does (expand-groups).
    const groups = held.filter((h) => h.principal.kind === 'group' && !h.principal.gone);
    return { held, groups: groups.map((h) => h.principal.id) };
  },
  // Who last used an eligibility: its newest PIM activation (./usage.ts).
  usage: (session, held, request, say, listed) => readActivations(session, held, request, say, listed ?? []),
};

/** The eligibilities as rows, named as the report's other rows are (subscriptions by `subscriptions`). */
async function eligibleHeld(
  session: ArmSession,
  listed: Listed[],
  notes: string[],
  subscriptions: SubscriptionNames,
): Promise<HeldAssignment[]> {
  const naming = await nameAzureRows(
    listed.map(({ s, scope, under }) => ({
      principalId: s.principalId!,
      principalType: s.principalType ?? '',
      roleId: s.roleDefinitionId!,
      targetId: (under ?? scope).scope,
      target: under ?? scope,
    })),
    session,
    new Map(),
  );
  notes.push(...naming.notes);
  return listed.map(({ s, scope, under }): HeldAssignment => {
    const target = under ?? scope;
    const names = naming.nameOf({
      principalId: s.principalId!,
      principalType: s.principalType ?? '',
      roleId: s.roleDefinitionId!,
      targetId: target.scope,
    });
    const endsAt = isoOf(s.endDateTime);
    const createdAt = isoOf(s.createdOn);
    // Graph answered for every principal and not for this one: it is no longer in the directory.
    const gone = naming.principalsAnswered && naming.typeOf(s.principalId!) === undefined;
    return {
      kind: 'azure-pim-eligible',
      principal: {
        id: s.principalId!.toLowerCase(),
        name: names.principal,
        kind: names.principalKind ?? principalKindOf(s.principalType),
        ...(gone ? { gone: true } : {}),
      },
      role: { id: s.roleDefinitionId!, name: names.role },
      target: { id: target.scope, name: targetNameOf(target, subscriptions) },
      ...(under ? { inheritedFrom: scope.scope } : {}),
      ...(endsAt ? { endsAt } : {}),
      ...(createdAt ? { granted: { at: createdAt } } : {}),
    };
  });
}
