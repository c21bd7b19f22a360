// An Azure report's PIM eligibilities (../report-kind.ts's entry for them): at, under and
// (inherited) above each `target` scope, one roleEligibilitySchedules list (schedules: current and
// future eligibilities, never instances), each a row of its kind with its end, named as the
// report's other rows are (../reconcile-names.ts). An eligibility is not an active assignment: the
// person activates it. Loaded with the report only. Nothing here writes.
import type { RoleEligibilitySchedule } from '@azure/arm-authorization';
import { atOrUnder, parseAzureScope, type AzureScope } from '../../core/azure-scope.js';
import { describeError } from '../../core/errors.js';
import { GUID, ROLE_DEFINITION_ID } from '../../core/patterns.js';
import { principalKindOf } from '../../core/shown-names.js';
import type { HeldAssignment } from '../../engine/run/access-reader.js';
import type { ArmSession } from '../arm/session.js';
import { urlPathArgument } from '../arm/clients.js';
import { isoOf } from '../pim/schedules.js';
import { nameAzureRows } from '../reconcile-names.js';
import type { ReportedKind } from '../report-kind.js';
import { targetNameOf, type SubscriptionNames } from '../report-places.js';

/** One eligibility as listed at a target: the schedule, its own scope, and the target when it is above it. */
export interface Listed {
  s: RoleEligibilitySchedule;
  scope: AzureScope;
  under?: AzureScope;
}

/** Every eligibility at, under or above the scopes; undefined (and a note) when PIM cannot be read. */
async function listEligibilities(
  session: ArmSession,
  scopes: AzureScope[],
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
    const held = await eligibleHeld(session, listed ?? [], notes, subscriptions);
    return { held: held.filter((h) => wantedRole(h.role)), groups: [] };
  },
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
    return {
      kind: 'azure-pim-eligible',
      principal: {
        id: s.principalId!.toLowerCase(),
        name: names.principal,
        kind: names.principalKind ?? principalKindOf(s.principalType),
      },
      role: { id: s.roleDefinitionId!, name: names.role },
      target: { id: target.scope, name: targetNameOf(target, subscriptions) },
      ...(under ? { inheritedFrom: scope.scope } : {}),
      ...(endsAt ? { endsAt } : {}),
      ...(createdAt ? { granted: { at: createdAt } } : {}),
    };
  });
}

/** One unfiltered list of the scope, every page: eligibilities of the form ARM writes at or under it, those above it apart. */
export function listEligibilitiesAround(session: ArmSession, scope: AzureScope): Promise<Listed[]> {
  return session.send('RoleEligibilitySchedules_ListForScope', scope, async (client, signal) => {
    const found: Listed[] = [];
    const pages = client.roleEligibilitySchedules.listForScope(urlPathArgument(scope.scope), {
      abortSignal: signal,
    });
    for await (const s of pages) {
      const own = typeof s.scope === 'string' ? parseAzureScope(s.scope) : undefined;
      if (!own || typeof own === 'string' || !wellFormed(s)) continue;
      // Through a group (`Group`) the schedule is the group's, listed as that principal's own.
      if (s.memberType === 'Group') continue;
      // One made above the scope (`Inherited` as listed here) is shown at the scope, inherited from
      // where it is made; one marked inherited yet at or under it is none ARM documents.
      const above = !atOrUnder(own.scope, scope.scope);
      if (s.memberType !== undefined && s.memberType !== 'Direct' && !above) continue;
      found.push(above ? { s, scope: own, under: scope } : { s, scope: own });
    }
    return found;
  });
}

const wellFormed = (s: RoleEligibilitySchedule): boolean =>
  typeof s.principalId === 'string' &&
  GUID.test(s.principalId) &&
  typeof s.roleDefinitionId === 'string' &&
  ROLE_DEFINITION_ID.test(s.roleDefinitionId);
