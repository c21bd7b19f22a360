// A reconcile's PIM eligibilities (`type: eligible` entries): each at or under a scope the plan
// reads, from one roleEligibilitySchedules list per scope (./report-eligible.ts), keyed as the
// eligible kind, so that an eligibility and an active assignment of one principal, role and scope
// are two entries of the plan. Whose it is: the manifest's when its schedule names a request whose
// name the derivation allows for this manifest (core/kinds/azure-pim-eligible.ts); any other
// (made or changed in the portal, another manifest's) is listed and never deleted, whatever the
// section's mode.
import type { AzureScope } from '../core/azure-scope.js';
import { roleGuidOf } from '../core/azure-scope.js';
import { derivedNameIndex } from '../core/kinds/azure-pim-eligible.js';
import { keyedAs, type CurrentAssignment } from '../core/plan/assignment-diff.js';
import type { ArmSession } from './arm/session.js';
import { eligibilityScheduleIdAt } from './pim/eligible-reads.js';
import { listEligibilitiesAround } from './report-eligible.js';

/** The reconcile's eligibilities at or under `scopes`; `owner` names the manifest's requests. */
export async function currentEligibilities(
  session: ArmSession,
  scopes: AzureScope[],
  options: {
    owner: string;
    managedScope: (scope: string) => boolean;
    roleName: (guid: string) => string | undefined;
  },
): Promise<CurrentAssignment<AzureScope>[]> {
  const lists = await Promise.all(scopes.map((scope) => listEligibilitiesAround(session, scope)));
  const seen = new Set<string>();
  return lists.flat().flatMap(({ s, scope, under }): CurrentAssignment<AzureScope>[] => {
    const id = eligibilityScheduleIdAt(scope, s.id ?? s.name);
    if (under || !id || seen.has(id)) return [];
    seen.add(id);
    const parts = {
      principalId: s.principalId!.toLowerCase(),
      principalType: s.principalType ?? '',
      roleId: s.roleDefinitionId!,
      targetId: scope.scope,
      target: scope,
    };
    const ours =
      derivedNameIndex(
        { owner: options.owner, scope: scope.scope, roleId: parts.roleId, principalId: parts.principalId },
        s.roleEligibilityScheduleRequestId,
      ) !== undefined;
    const guid = roleGuidOf(parts.roleId);
    return [
      {
        ...keyedAs('azure-pim-eligible', parts),
        managed: ours && options.managedScope(scope.scope),
        assignmentId: id,
        name: id.split('/').pop()!,
        shown: {
          principal: parts.principalId,
          role: options.roleName(guid.toLowerCase()) ?? guid,
          target: scope.scope,
        },
      },
    ];
  });
}
