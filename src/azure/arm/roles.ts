// Role definition IDs and the OData filters used to look things up, the one a name lookup found,
// and whether an assignment is the one a grant's IDs name. Pure.
import type { RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import {
  parseAzureScope,
  roleGuidOf,
  scopeKey,
  unsafePathReason,
  type AzureScope,
} from '../../core/azure-scope.js';
import { CloudAccessError } from '../../core/errors.js';
import { didYouMean } from '../../core/lists.js';
import { ROLE_DEFINITION_ID } from '../../core/patterns.js';
import type { AzureResolvedIds } from '../../core/types.js';

const ROLE_DEFINITIONS = '/providers/Microsoft.Authorization/roleDefinitions/';

/**
 * The role definition ID to send for a role GUID: under the subscription at subscription scope
 * and below (as the REST examples do), tenant-level at management group scope.
 */
export function roleDefinitionIdFor(guid: string, scope: AzureScope): string {
  const id = guid.toLowerCase();
  return scope.subscriptionId
    ? `/subscriptions/${scope.subscriptionId}${ROLE_DEFINITIONS}${id}`
    : `${ROLE_DEFINITIONS}${id}`;
}

/** Where a scope's role definitions are listed: its subscription, or the management group itself. */
export function roleDefinitionsScopeOf(scope: AzureScope): AzureScope | undefined {
  if (!scope.subscriptionId) return scope;
  const subscription = parseAzureScope(`/subscriptions/${scope.subscriptionId}`);
  return typeof subscription === 'string' ? undefined : subscription;
}

/** An OData string literal: single quotes around, a quote inside doubled (OData ABNF, SQUOTE-in-string). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** RoleDefinitions_List `$filter`; the SDK URL-encodes it. */
export function roleNameFilter(name: string): string {
  return `roleName eq ${odataString(name)}`;
}

/**
 * RoleAssignments_ListForScope `$filter`. The spec marks it x-ms-skip-url-encoding, so the SDK
 * puts it in the URL as given: it is encoded here.
 */
export function principalIdFilter(principalId: string): string {
  return encodeURIComponent(`principalId eq ${odataString(principalId)}`);
}

/** RoleAssignments_ListForScope `$filter` for every assignment at and above the scope (encoded, as above). */
export function atScopeFilter(): string {
  return encodeURIComponent('atScope()');
}

/** Scopes compare case-insensitively (ARM is case-insensitive and echoes its own casing). */
export function sameScope(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  // ASCII case only: letters beyond it compare as written (core/azure-scope.ts scopeKey).
  const normal = (s: string) => scopeKey(`/${s.replace(/^\/+|\/+$/g, '')}`);
  return normal(a) === normal(b);
}

/** A role name the scope does not have, with the closest names it does when they are known. */
export function roleNotFoundError(
  name: string,
  scope: AzureScope,
  names: string[] | undefined,
): CloudAccessError {
  const suggestion = names && didYouMean(name, names);
  return new CloudAccessError(`role \`${name}\` was not found at scope \`${scope.scope}\``, {
    input: 'role',
    fix: `${suggestion ? `${suggestion} Or check` : 'check'} the name (as the portal shows it, e.g. \`Reader\`); a custom role must list this scope or one above it in its assignable scopes; or pass the role definition GUID`,
  });
}

/** The ID of the one role definition a name lookup found; fails when it found several, or an odd ID. */
export function onlyRoleDefinitionId(found: RoleDefinition[], name: string, scope: AzureScope): string {
  const [only, ...others] = found;
  if (!only?.id) throw roleNotFoundError(name, scope, undefined);
  if (others.length > 0) {
    throw new CloudAccessError(
      `${found.length} roles are named \`${name}\` at scope \`${scope.scope}\`: ${found.map((d) => d.id).join(', ')}`,
      {
        input: 'role',
        fix: 'pass the role definition GUID or full ID of the one you mean',
      },
    );
  }
  // The ID goes into the assignment and its name: held to the pattern an input role ID is.
  if (!ROLE_DEFINITION_ID.test(only.id) || unsafePathReason(only.id))
    throw new CloudAccessError(`ARM answered role \`${name}\` with an ID that is not a role definition ID`, {
      input: 'role',
      fix: 'pass the role definition GUID',
    });
  return only.id;
}

/** Same scope (exactly, ignoring case), principal and role definition (by GUID). */
export function matches(assignment: RoleAssignment, ids: AzureResolvedIds): boolean {
  return (
    sameScope(assignment.scope, ids.scope.scope) &&
    assignment.principalId?.toLowerCase() === ids.principalId.toLowerCase() &&
    assignment.roleDefinitionId !== undefined &&
    roleGuidOf(assignment.roleDefinitionId) === roleGuidOf(ids.roleId)
  );
}
