// A saved entry's IDs: as the state holds them (text), and checked back into the grant they stand
// for, each against its cloud's patterns. Pure.
import { parseAzureScope, unsafePathReason } from '../azure-scope.js';
import {
  ACCOUNT_ID,
  GUID,
  IDENTITY_STORE_PRINCIPAL_ID,
  PERMISSION_SET_ARN,
  REQUEST_ID,
  ROLE_DEFINITION_ID,
} from '../patterns.js';
import { isAzurePrincipalType } from '../principal-forms.js';
import type { AwsGrant, AzureGrant, Grant, IdsOf, ResolvedIds, WrittenGrant } from '../types.js';

/** A grant with the IDs it was saved with. */
export type Resolved<G extends Grant> = G & { resolved: IdsOf<G> };

/** An entry's IDs as the state holds them: text. */
export interface SavedIds {
  principalId: string;
  /** AWS: the account ID. Azure: the full, normalised scope. */
  targetId: string;
  /** AWS: the permission set ARN. Azure: the role definition ID. */
  roleId: string;
  /** Azure: the role assignment (or, with `duration`, the PIM request) name written. */
  name?: string;
  /** The type written (AWS `USER` / `GROUP`, ARM's `User` …): the post step's rows show the kind. */
  principalType?: string;
}

/** Resolved IDs as the state holds them (the scope as its canonical text). */
export function savedIdsOf(ids: ResolvedIds): SavedIds {
  const type = ids.principalType ? { principalType: ids.principalType } : {};
  if (ids.cloud === 'aws')
    return { principalId: ids.principalId, targetId: ids.accountId, roleId: ids.roleId, ...type };
  return {
    principalId: ids.principalId,
    targetId: ids.scope.scope,
    roleId: ids.roleId,
    ...(ids.name ? { name: ids.name } : {}),
    ...type,
  };
}

/** An AWS entry's IDs pass the service's patterns; the grant they stand for. */
export function awsGrantOf(
  ids: SavedIds,
  written: WrittenGrant,
  requestId: string | undefined,
): Resolved<AwsGrant> | string {
  if (!IDENTITY_STORE_PRINCIPAL_ID.test(ids.principalId))
    return 'its principal ID is not an Identity Store ID';
  if (!ACCOUNT_ID.test(ids.targetId)) return 'its target is not an account ID';
  if (!PERMISSION_SET_ARN.test(ids.roleId)) return 'its role is not a permission set ARN';
  if (ids.name !== undefined) return 'it has an Azure assignment name';
  if (requestId !== undefined && !REQUEST_ID.test(requestId)) return 'its request ID is not valid';
  if (![undefined, 'USER', 'GROUP'].includes(ids.principalType)) return 'its principal type is unknown';
  const kind = ids.principalType ? { principalType: ids.principalType as 'USER' | 'GROUP' } : {};
  return {
    cloud: 'aws',
    principal: { kind: 'id', id: ids.principalId },
    accountId: ids.targetId,
    permissionSet: { kind: 'arn', arn: ids.roleId },
    written,
    resolved: { cloud: 'aws', ...awsIdsOf(ids), ...kind },
  };
}

const awsIdsOf = ({ principalId, targetId: accountId, roleId }: SavedIds) => ({
  principalId,
  accountId,
  roleId,
});

/** An Azure entry's IDs: a normalised scope, a role definition ID, GUIDs; the grant they stand for. */
export function azureGrantOf(
  ids: SavedIds,
  written: WrittenGrant,
  requestId: string | undefined,
): Resolved<AzureGrant> | string {
  if (!GUID.test(ids.principalId)) return 'its principal ID is not a GUID';
  const scope = parseAzureScope(ids.targetId);
  if (typeof scope === 'string' || scope.scope !== ids.targetId)
    return 'its target is not a normalised Azure scope';
  if (!ROLE_DEFINITION_ID.test(ids.roleId) || unsafePathReason(ids.roleId))
    return 'its role is not a role definition ID';
  if (!ids.name || !GUID.test(ids.name)) return 'its assignment name is not a GUID';
  // The PIM request name, or an ARM request ID (whose form ARM does not fix): text without separators.
  if (requestId !== undefined && !/^[\w-]{1,128}$/.test(requestId)) return 'its request ID is not valid';
  const type = ids.principalType;
  if (type !== undefined && !isAzurePrincipalType(type)) return 'its principal type is unknown';
  const kind = type ? { principalType: type } : {};
  const principalId = ids.principalId.toLowerCase();
  return {
    cloud: 'azure',
    principal: { kind: 'object', id: principalId, bare: true },
    scope,
    role: { kind: 'id', id: ids.roleId },
    written,
    resolved: { cloud: 'azure', principalId, scope, roleId: ids.roleId, name: ids.name, ...kind },
  };
}
