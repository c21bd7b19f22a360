// Role definition IDs and the OData filters used to look things up. Pure.
import { scopeKey, type AzureScope } from '../../core/azure-scope.js';

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
