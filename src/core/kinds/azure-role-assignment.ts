// An Azure RBAC role assignment written through ARM: a principal, a role definition and a scope.
// Pure.
import { assignmentIdOf, parseAzureScope, roleGuidOf, scopeKey, unsafePathReason } from '../azure-scope.js';
import { GUID, ROLE_DEFINITION_ID } from '../patterns.js';
import { isAzurePrincipalType } from '../principal-forms.js';
import {
  assignmentPartsOfRow,
  shellOption,
  type AccessKind,
  type AssignmentKeyParts,
  type Resolved,
  type SavedIdsOfKind,
} from './kind.js';
import type { AzureGrant, AzureResolvedIds } from '../types.js';

/**
 * An Azure kind's key: principal, role definition and scope, compared as ARM compares them: IDs
 * ignoring case, a role by its definition's GUID (ARM writes a role definition ID with or without
 * its subscription), a scope's letters beyond ASCII as written (two resource groups are never taken
 * for one: scopeKey). The principal type is left out: an object ID is one principal whatever type
 * ARM reports.
 */
export const azureKeyOf = (kind: string, parts: AssignmentKeyParts): string =>
  [kind, parts.principalId.toLowerCase(), roleGuidOf(parts.roleId), scopeKey(parts.targetId)].join('|');

/**
 * What an Azure assignment kind says of itself beyond what they share: its word, what `duration`
 * and `condition` are to it, whether a manifest makes it, and what a sentence calls one.
 */
type AzureKindRule = Pick<AccessKind, 'assignmentType' | 'duration' | 'condition' | 'inManifest' | 'called'>;

/**
 * An Azure assignment kind: a principal, role and scope, keyed as ARM compares them (azureKeyOf,
 * no principal type), read from a report's row as such and saved as a role assignment is (the
 * name its own: a role assignment's, or its PIM request's), with its own `rule` and removal.
 */
export function azureAssignmentKind<K extends AzureGrant['kind']>(
  kind: K,
  rule: AzureKindRule,
  removeByHand: AccessKind<K>['removeByHand'],
): AccessKind<K> {
  return {
    kind,
    cloud: 'azure',
    key: (parts: AssignmentKeyParts) => azureKeyOf(kind, parts),
    partsOfRow: assignmentPartsOfRow,
    keyedByPrincipalType: false,
    savedIds: azureSavedIds(kind),
    removeByHand,
    ...rule,
  };
}

/**
 * An Azure kind's saved IDs: the full, normalised scope is the target, the role definition ID the
 * role, and the name the role assignment's (or, active through PIM, its request's) GUID; read back
 * as a grant of that kind.
 */
export const azureSavedIds = <K extends AzureGrant['kind']>(
  kind: K,
): SavedIdsOfKind<{ ids: AzureResolvedIds; saved: Resolved<AzureGrant> & { kind: K } }> => ({
  write: (ids) => ({
    principalId: ids.principalId,
    targetId: ids.scope.scope,
    roleId: ids.roleId,
    ...(ids.name ? { name: ids.name } : {}),
    ...(ids.principalType ? { principalType: ids.principalType } : {}),
  }),
  /** A normalised scope, a role definition ID, GUIDs. */
  read(ids, written, requestId) {
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
    const typed = type ? { principalType: type } : {};
    const principalId = ids.principalId.toLowerCase();
    return {
      cloud: 'azure',
      kind,
      principal: { kind: 'object', id: principalId, bare: true },
      scope,
      role: { kind: 'id', id: ids.roleId },
      written,
      resolved: { cloud: 'azure', principalId, scope, roleId: ids.roleId, name: ids.name, ...typed },
    };
  },
});

export const azureRoleAssignment = azureAssignmentKind(
  'azure-role-assignment',
  { assignmentType: 'active', duration: 'none', condition: true, inManifest: true },
  // By its name when known (a saved grant's always is), else by principal, role and scope.
  (parts) =>
    parts.name !== undefined
      ? `az role assignment delete ${shellOption('ids', assignmentIdOf(parts.targetId, parts.name))}`
      : [
          'az role assignment delete',
          shellOption('assignee', parts.principalId),
          shellOption('role', parts.roleId),
          shellOption('scope', parts.targetId),
        ].join(' '),
);
