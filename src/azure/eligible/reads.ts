// The ARM calls of a PIM eligibility (roleEligibilitySchedule{Requests,s}, API 2020-10-01): the
// grant's schedules (never instances: schedules hold current and future eligibilities), one request
// by name, and the requests sent. Schedules are read `(principalId eq '…') and atScope()`, as
// terraform does since `principalId eq` alone made ARM answer with errors and timeouts.
import type { RoleEligibilitySchedule, RoleEligibilityScheduleRequest } from '@azure/arm-authorization';
import { GUID, ROLE_DEFINITION_ID } from '../../core/patterns.js';
import { inheritedInto, parseListedScope, roleGuidOf, type AzureScope } from '../../core/azure-scope.js';
import type { AzureResolvedIds } from '../../core/types.js';
import { ArmError } from '../sdk/arm-errors.js';
import type { ArmSession } from '../arm/session.js';
import { allPages, urlPathArgument } from '../arm/clients.js';
import { odataString, roleDefinitionIdFor, sameScope } from '../arm/roles.js';
import { isoOf } from '../pim/schedules.js';
import { refusalOf } from '../pim/cancel.js';
import { heldDirectly, heldThroughGroup } from '../sdk/member-type.js';

/** A request name refused as used (after a removal, a grant's next life takes the next name). */
export function nameAlreadyUsed(error: unknown): boolean {
  return (
    error instanceof ArmError &&
    (error.code === 'RoleAssignmentRequestExists' ||
      // "A role assignment request with Id: {guid} already exists" (Azure/bicep-types-az#1431); the code is unconfirmed.
      /request with Id: \S+ already exists/i.test(error.message))
  );
}

/**
 * The role definition ID an eligibility request names: under the scope's subscription at a
 * subscription, resource group or resource, and without one at a management group, whichever form
 * the grant gave (ARM refuses the other: terraform-provider-azurerm #31052).
 */
export const requestRoleIdOf = (ids: AzureResolvedIds): string =>
  roleDefinitionIdFor(roleGuidOf(ids.roleId), ids.scope);

/**
 * A schedule of this grant: exactly its scope and principal, its role by GUID (ARM echoes a role
 * definition ID with or without its subscription), assigned directly (not inherited or through a
 * group), and not ended.
 */
export function isGrantSchedule(
  s: RoleEligibilitySchedule,
  ids: AzureResolvedIds,
  now = Date.now(),
): boolean {
  return (
    sameScope(s.scope, ids.scope.scope) &&
    s.principalId?.toLowerCase() === ids.principalId.toLowerCase() &&
    s.roleDefinitionId !== undefined &&
    roleGuidOf(s.roleDefinitionId).toLowerCase() === roleGuidOf(ids.roleId).toLowerCase() &&
    heldDirectly(s.memberType) &&
    !(s.endDateTime instanceof Date && s.endDateTime.getTime() <= now)
  );
}

/** An eligibility schedule's ID at the scope, built from its GUID (never a server's text as it is). */
export function eligibilityScheduleIdAt(scope: AzureScope, id: string | undefined): string | undefined {
  const guid = id?.split('/').pop();
  return guid && GUID.test(guid)
    ? `${scope.scope}/providers/Microsoft.Authorization/roleEligibilitySchedules/${guid.toLowerCase()}`
    : undefined;
}

/** When a schedule ends, ISO 8601 UTC; undefined when it has no end. */
export const endOf = (s: RoleEligibilitySchedule | undefined): string | undefined => isoOf(s?.endDateTime);

/**
 * When Azure counts the eligibility's life from, for its refusal to end it in the first 5 minutes
 * (ActiveDurationTooShort): its start, or its creation when that came later (ms; undefined when
 * the schedules say neither).
 */
export function startOf(schedules: readonly RoleEligibilitySchedule[]): number | undefined {
  const times = schedules
    .flatMap((s) => [s.startDateTime, s.createdOn])
    .map((t) => (t ? new Date(t).getTime() : NaN))
    .filter((t) => !Number.isNaN(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

export class EligibilityReads {
  constructor(private readonly session: ArmSession) {}

  /** The grant's eligibility schedules at its scope (at or above it, as `atScope()` lists them, kept only at it). */
  async schedulesOf(ids: AzureResolvedIds): Promise<RoleEligibilitySchedule[]> {
    const scope = ids.scope;
    const all = await this.session.send('RoleEligibilitySchedules_ListForScope', scope, (client, signal) =>
      allPages(
        // PIM filters are URL-encoded by the SDK.
        client.roleEligibilitySchedules.listForScope(urlPathArgument(scope.scope), {
          abortSignal: signal,
          filter: `(principalId eq ${odataString(ids.principalId)}) and atScope()`,
        }),
      ),
    );
    return all.filter((s) => isGrantSchedule(s, ids));
  }

  /** One eligibility request by name at the scope; undefined when ARM answers 404 (never made, or aged out). */
  async request(scope: AzureScope, name: string): Promise<RoleEligibilityScheduleRequest | undefined> {
    try {
      return await this.session.send('RoleEligibilityScheduleRequests_Get', scope, (client, signal) =>
        client.roleEligibilityScheduleRequests.get(urlPathArgument(scope.scope), name, {
          abortSignal: signal,
        }),
      );
    } catch (error) {
      if (error instanceof ArmError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Cancels a request that has not made its eligibility yet; a refusal (4xx) is returned, not thrown. */
  cancel(scope: AzureScope, name: string): Promise<ArmError | undefined> {
    return refusalOf(() =>
      this.session.send('RoleEligibilityScheduleRequests_Cancel', scope, (client, signal) =>
        client.roleEligibilityScheduleRequests.cancel(urlPathArgument(scope.scope), name, {
          abortSignal: signal,
        }),
      ),
    );
  }
}

/** One eligibility as listed at a target: the schedule, its own scope, and the target when it is above it. */
export interface Listed {
  s: RoleEligibilitySchedule;
  scope: AzureScope;
  under?: AzureScope;
}

/**
 * One unfiltered list of the scope, every page: eligibilities of the form ARM writes at or under
 * it, those above it apart. The list holds the management groups below a management group target
 * and those above it alike, and neither a schedule nor a group's ID says which: where it holds
 * another group's, one `atScope()` list more (at or above the target only) tells them apart.
 */
export async function listEligibilitiesAround(session: ArmSession, scope: AzureScope): Promise<Listed[]> {
  const listed = await session.send(
    'RoleEligibilitySchedules_ListForScope',
    scope,
    async (client, signal) => {
      const found: Listed[] = [];
      const pages = client.roleEligibilitySchedules.listForScope(urlPathArgument(scope.scope), {
        abortSignal: signal,
      });
      for await (const s of pages) {
        const own = typeof s.scope === 'string' ? parseListedScope(s.scope) : undefined;
        if (!own || typeof own === 'string' || !wellFormed(s)) continue;
        // Through a group (`Group`) the schedule is the group's, listed as that principal's own.
        if (heldThroughGroup(s.memberType)) continue;
        // One made above the scope (`Inherited` as listed here: the root's, a management group's) is
        // shown at the scope, inherited from where it is made; one marked inherited yet at or under
        // it is none ARM documents.
        const above = inheritedInto(own, scope);
        if (!heldDirectly(s.memberType) && !above) continue;
        found.push(above ? { s, scope: own, under: scope } : { s, scope: own });
      }
      return found;
    },
  );
  const groups = listed.filter((l) => l.under && l.scope.kind === 'managementGroup' && l.s.id);
  if (scope.kind !== 'managementGroup' || groups.length === 0) return listed;
  const atOrAbove = await eligibilityIdsAtOrAbove(session, scope);
  return listed.flatMap((l) => {
    if (!groups.includes(l) || atOrAbove.has(String(l.s.id).toLowerCase())) return [l];
    // Below the target: its own row, as one at or under it by path is.
    return heldDirectly(l.s.memberType) ? [{ s: l.s, scope: l.scope }] : [];
  });
}

/** The IDs of every eligibility schedule at or above the scope (`atScope()`: ARM's hierarchy), every page. */
function eligibilityIdsAtOrAbove(session: ArmSession, scope: AzureScope): Promise<Set<string>> {
  return session.send('RoleEligibilitySchedules_ListForScope', scope, async (client, signal) => {
    const ids = new Set<string>();
    // PIM filters are URL-encoded by the SDK.
    const pages = client.roleEligibilitySchedules.listForScope(urlPathArgument(scope.scope), {
      abortSignal: signal,
      filter: 'atScope()',
    });
    for await (const s of pages) if (typeof s.id === 'string') ids.add(s.id.toLowerCase());
    return ids;
  });
}

const wellFormed = (s: RoleEligibilitySchedule): boolean =>
  typeof s.principalId === 'string' &&
  GUID.test(s.principalId) &&
  typeof s.roleDefinitionId === 'string' &&
  ROLE_DEFINITION_ID.test(s.roleDefinitionId);
