// What an Azure report reads and shows beside its rows (./report.ts): the read's estimate, the
// \`role\` filter, where an inherited row comes from, and names with each creator's. Nothing here
// writes.
import type { RoleAssignment } from '@azure/arm-authorization';
import { roleGuidOf, type AzureScope } from '../core/azure-scope.js';
import type { AzureRoleRef } from '../core/types.js';
import { minutesAt } from '../engine/run/access-reader.js';
import type { ArmSession } from './arm/session.js';
import { nameAzureRows } from './reconcile-names.js';
import type { Checked } from './sweep-claims.js';

/** ARM's reads, paced per subscription (a bucket refilled at about this many a second). */
const ARM_READS_PER_SECOND = 20;

/**
 * Two lists per scope, and a subscription target's name one read more (a subscription under a
 * management group's list is known only once the list is read: the estimate counts those given).
 */
export function readEstimate(scopes: readonly AzureScope[]) {
  const subscriptions = new Set(scopes.flatMap((s) => (s.kind === 'subscription' ? [s.scope] : [])));
  const calls = scopes.length * 3 + subscriptions.size;
  return {
    strategy:
      'RoleAssignments_ListForScope, RoleAssignmentScheduleInstances_ListForScope and RoleEligibilitySchedules_ListForScope per scope, Subscriptions_Get per subscription target',
    calls,
    minutes: minutesAt(calls, ARM_READS_PER_SECOND),
  };
}

/** A role as `role` gave it: its definition's GUID, or its name. */
export const roleRefText = (ref: AzureRoleRef): string =>
  ref.kind === 'name' ? ref.name : roleGuidOf(ref.kind === 'guid' ? ref.guid : ref.id);

export function roleMatches(ref: AzureRoleRef, role: { id: string; name?: string | undefined }): boolean {
  const guid = roleGuidOf(role.id).toLowerCase();
  if (ref.kind === 'guid') return ref.guid.toLowerCase() === guid;
  if (ref.kind === 'id') return roleGuidOf(ref.id).toLowerCase() === guid;
  return role.name !== undefined && role.name.toLowerCase() === ref.name.toLowerCase();
}

/** An unreadable assignment listed above a target: where ARM says it is, as it wrote it. */
export const inheritedOf = (r: { raw: RoleAssignment; under?: AzureScope | undefined }) =>
  r.under ? { inheritedFrom: typeof r.raw.scope === 'string' ? r.raw.scope.slice(0, 1000) : '?' } : {};

/**
 * Names as a reconcile's plan shows them, each creator's in the same Graph batch as the
 * principals; an inherited row's role is named from its target's definitions, which list those
 * assignable above it too (no list more).
 */
export function nameWithCreators(
  valid: { c: Checked; under?: AzureScope | undefined }[],
  session: ArmSession,
) {
  return nameAzureRows(
    valid.flatMap(({ c, under }) => {
      const row = {
        principalId: c.ids.principalId,
        principalType: c.ids.principalType ?? '',
        roleId: c.ids.roleId,
        targetId: (under ?? c.ids.scope).scope,
        target: under ?? c.ids.scope,
      };
      return c.createdBy ? [row, { ...row, principalId: c.createdBy, principalType: '' }] : [row];
    }),
    session,
    new Map(),
  );
}
