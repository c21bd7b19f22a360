// An Azure RBAC role assignment written through ARM: a principal, a role definition and a scope.
// Pure.
import { roleGuidOf, scopeKey } from '../azure-scope.js';
import { shellOption, type AccessKind, type AssignmentKeyParts } from './kind.js';

/**
 * An Azure kind's key: principal, role definition and scope, compared as ARM compares them: IDs
 * ignoring case, a role by its definition's GUID (ARM writes a role definition ID with or without
 * its subscription), a scope's letters beyond ASCII as written (two resource groups are never taken
 * for one: scopeKey). The principal type is left out: an object ID is one principal whatever type
 * ARM reports.
 */
export const azureKeyOf = (kind: string, parts: AssignmentKeyParts): string =>
  [kind, parts.principalId.toLowerCase(), roleGuidOf(parts.roleId), scopeKey(parts.targetId)].join('|');

export const azureRoleAssignment: AccessKind<'azure-role-assignment'> = {
  kind: 'azure-role-assignment',
  cloud: 'azure',
  key: (parts) => azureKeyOf('azure-role-assignment', parts),
  // By its name when known (a saved grant's always is), else by principal, role and scope.
  removeByHand: (parts) =>
    parts.name !== undefined
      ? `az role assignment delete ${shellOption('ids', `${parts.targetId}/providers/Microsoft.Authorization/roleAssignments/${parts.name}`)}`
      : [
          'az role assignment delete',
          shellOption('assignee', parts.principalId),
          shellOption('role', parts.roleId),
          shellOption('scope', parts.targetId),
        ].join(' '),
};
