// The grant that revokes a review's row at its due date, as `operation: revoke` would be given it:
// by the IDs the report's read found (the principal, the account or scope, the permission set or
// role), never by a name looked up again, and of the row's own kind. A row whose IDs are not what
// its kind writes is no grant: the reason says why, and nothing is sent for it. Pure.
import { parseAzureScope } from '../../../core/azure-scope.js';
import { kindNamed, savedGrantOf } from '../../../core/kinds/index.js';
import { GRANT_KINDS, type Cloud, type Grant, type WrittenGrant } from '../../../core/types.js';
import type { ReviewRow } from './rows.js';

/** AWS writes a principal's type as `USER` or `GROUP`; the report's rows say `user`, `group`. */
const AWS_TYPES: Record<string, 'USER' | 'GROUP'> = { user: 'USER', group: 'GROUP' };

/** What each cloud's grant needs beyond the row's IDs. */
const CLOUD_GRANTS: Record<
  Cloud,
  {
    /** Whether the driver finds it at its scope, as a revoke's (its saved IDs need the assignment's name). */
    atScope(row: ReviewRow): boolean;
    principalType(row: ReviewRow): 'USER' | 'GROUP' | undefined;
  }
> = {
  aws: { atScope: () => false, principalType: (row) => AWS_TYPES[row.principalKind.toLowerCase()] },
  // Azure's kinds of an assignment (principal × role × scope), not a group's membership.
  azure: {
    atScope: (row) => (GRANT_KINDS as readonly string[]).includes(row.kind),
    principalType: () => undefined,
  },
};

/** The grant that revokes `row`, or why there is none. */
export function revokeGrantOf(row: ReviewRow): Grant | string {
  let kind: ReturnType<typeof kindNamed>;
  try {
    kind = kindNamed(row.kind);
  } catch {
    return `its kind \`${row.kind}\` is not one a review revokes`;
  }
  if (kind.cloud !== row.cloud) return `its kind \`${row.kind}\` is not of ${row.cloud}`;
  const written: WrittenGrant = {
    principal: row.principalId,
    target: row.targetId,
    role: row.roleId,
    ...(row.principalName ? { principalName: row.principalName } : {}),
    ...(row.role ? { roleName: row.role } : {}),
    ...(row.target ? { targetName: row.target } : {}),
  };
  const cloud = CLOUD_GRANTS[row.cloud];
  if (cloud.atScope(row)) return scopedGrant(row, written);
  const principalType = cloud.principalType(row);
  const grant = savedGrantOf(
    row.kind,
    {
      principalId: row.principalId,
      targetId: row.targetId,
      roleId: row.roleId,
      ...(principalType ? { principalType } : {}),
    },
    written,
    undefined,
  );
  return typeof grant === 'string' ? `${grant}: not revoked` : (grant as Grant);
}

/**
 * An Azure role assignment (active, or PIM's active or eligible) by its principal's object ID, its
 * scope and its role definition ID: the driver finds the assignment there, as a revoke's does.
 */
function scopedGrant(row: ReviewRow, written: WrittenGrant): Grant | string {
  const scope = parseAzureScope(row.targetId);
  if (typeof scope === 'string') return `its scope is not an Azure scope (${scope}): not revoked`;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(row.principalId))
    return 'its principal ID is not a GUID: not revoked';
  if (!/\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/i.test(row.roleId))
    return 'its role is not a role definition ID: not revoked';
  return {
    cloud: 'azure',
    kind: row.kind as 'azure-role-assignment',
    principal: { kind: 'object', id: row.principalId.toLowerCase(), bare: true },
    scope,
    role: { kind: 'id', id: row.roleId },
    written: { ...written, target: scope.scope },
  };
}
