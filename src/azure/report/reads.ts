// What an Azure report reads and shows beside its rows (../access-reader.ts): the `role` filter, where
// an inherited row comes from, and names with each creator's. Nothing here writes.
import type { RoleAssignment } from '@azure/arm-authorization';
import { roleGuidOf } from '../../core/azure-scope.js';
import type { AzureRoleRef, AzureGrant } from '../../core/types.js';
import type { ArmSession } from '../arm/session.js';
import { nameAzureRows } from '../kind/names.js';
import type { Checked } from '../role-assignment/checked-assignment.js';

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
export const inheritedOf = (r: { raw: RoleAssignment; under?: AzureGrant['scope'] | undefined }) =>
  r.under ? { inheritedFrom: typeof r.raw.scope === 'string' ? r.raw.scope.slice(0, 1000) : '?' } : {};

/**
 * Names as a reconcile's plan shows them, each creator's in the same Graph batch as the
 * principals; an inherited row's role is named from its target's definitions, which list those
 * assignable above it too (no list more).
 */
export function nameWithCreators(
  valid: { c: Checked; under?: AzureGrant['scope'] | undefined }[],
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
