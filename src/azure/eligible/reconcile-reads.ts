// A reconcile's PIM eligibilities (`type: eligible` entries): each at or under a scope the plan
// reads, from one roleEligibilitySchedules list per scope (./reads.ts, the report's list too),
// keyed as the eligible kind, so that an eligibility and an active assignment of one
// principal, role and scope are two entries of the plan. Whose it is: the manifest's when its
// schedule names a request whose name the derivation allows for this manifest
// (core/kinds/azure-pim-eligible.ts); any other (made or changed in the portal, another
// manifest's) is listed and never deleted, whatever the section's mode. And before any write, the
// role's eligibility policy (./policy.ts) checked against each create.
import type { AzureGrant } from '../../core/types.js';
import { roleGuidOf } from '../../core/azure-scope.js';
import type { Duration } from '../../core/duration.js';
import { derivedNameIndex } from '../../core/kinds/azure-pim-eligible.js';
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import { keyedAs, type CurrentAssignment, type DesiredAssignment } from '../../core/plan/assignment-diff.js';
import type { ArmSession } from '../arm/session.js';
import { eligibilityRefusal, eligibilityRuleOf } from './policy.js';
import { eligibilityScheduleIdAt, listEligibilitiesAround } from './reads.js';
import { ArmError } from '../sdk/arm-errors.js';

/** What a reconcile reads of the eligible kind (../kinds.ts). */
export const eligibleReconcileReads = {
  list: 'one eligibility schedule list',
  current: (
    session: ArmSession,
    scopes: AzureGrant['scope'][],
    options: Parameters<typeof currentEligibilities>[2],
  ): Promise<CurrentAssignment<AzureGrant['scope']>[]> => currentEligibilities(session, scopes, options),
  /**
   * A section with no `type: eligible` entry goes on without them when PIM cannot be read (no
   * Entra ID P2 licence, no `roleEligibilitySchedules/read`), saying so: it plans its active
   * assignments as before.
   */
  unread: (error: Error): string =>
    `PIM eligibilities were not read (${error.message}): none is planned; a \`type: eligible\` entry needs \`Microsoft.Authorization/roleEligibilitySchedules/read\` and an Entra ID P2 licence`,
  refusals: eligibilityPolicyProblems,
};

/** The reconcile's eligibilities at or under `scopes`; `owner` names the manifest's requests. */
async function currentEligibilities(
  session: ArmSession,
  scopes: AzureGrant['scope'][],
  options: {
    owner: string;
    managedScope: (scope: string) => boolean;
    roleName: (guid: string) => string | undefined;
  },
): Promise<CurrentAssignment<AzureGrant['scope']>[]> {
  const lists = await Promise.all(scopes.map((scope) => listEligibilitiesAround(session, scope)));
  const seen = new Set<string>();
  return lists.flat().flatMap(({ s, scope, under }): CurrentAssignment<AzureGrant['scope']>[] => {
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

/**
 * The eligibilities the plan would create that the role's `Expiration_Admin_Eligibility` rule
 * refuses (longer than its maximum, or without an end where it requires one): each a problem at
 * its entry's line, so that the plan stops before any write. A policy the identity may not read
 * (403) is left to Azure, which refuses the request the same way.
 */
async function eligibilityPolicyProblems(
  session: ArmSession,
  creates: DesiredAssignment<{ duration?: Duration | undefined }, AzureGrant['scope']>[],
): Promise<ManifestProblem[]> {
  const problems = await Promise.all(
    creates.map(async (d): Promise<ManifestProblem[]> => {
      let assignments;
      try {
        assignments = await session.reads.policyAssignments(d.target);
      } catch (error) {
        if (error instanceof ArmError && error.statusCode === 403) return [];
        throw error;
      }
      const rule = eligibilityRuleOf(assignments, d.roleId, d.targetId);
      const refusal = eligibilityRefusal(rule, d.settings.duration, {
        role: d.written.role,
        scope: d.targetId,
      });
      return refusal
        ? [{ line: d.line, message: refusal.message, ...(refusal.fix ? { fix: refusal.fix } : {}) }]
        : [];
    }),
  );
  return problems.flat();
}
