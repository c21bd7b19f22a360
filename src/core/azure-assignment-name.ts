// The name a grant's role assignment is written under: `assignment-name` when given, else a GUID
// derived from its scope, principal and role, the same on every run. Apart from the scopes
// (azure-scope.ts), whose keys it hashes: it is a fact of the assignment, not of the place.
import { createHash } from 'node:crypto';
import { roleGuidOf, scopeKey } from './azure-scope.js';

/**
 * A UUID (RFC 4122 version 5 layout) derived from the scope, principal and role, in the spirit of
 * Bicep's guid(scope, principal, role): re-running the step PUTs the same name, which ARM treats
 * as idempotent.
 */
export function deterministicAssignmentName(
  scope: string,
  principalId: string,
  roleDefinitionGuid: string,
): string {
  const hash = createHash('sha1')
    .update(
      `cloud-access\n${scopeKey(scope)}\n${principalId.toLowerCase()}\n${roleDefinitionGuid.toLowerCase()}`,
    )
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The name a grant's assignment is written under: `assignment-name` when given, else the deterministic one. */
export function assignmentNameFor(
  assignmentName: string | undefined,
  ids: { scope: { scope: string }; principalId: string; roleId: string },
): string {
  return (
    assignmentName ?? deterministicAssignmentName(ids.scope.scope, ids.principalId, roleGuidOf(ids.roleId))
  );
}
