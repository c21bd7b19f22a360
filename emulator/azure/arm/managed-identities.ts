// Microsoft.ManagedIdentity's read of a user-assigned identity (api-version 2023-01-31): the one
// ARM call that turns `mi:<resource ID>` into the identity's service principal object ID
// (`properties.principalId`), with no Graph permission needed.
import type { JwtClaims } from '../../common/jwt.js';
import { authorizationFailure, fail, methodNotAllowed } from '../rest/failure.js';
import type { AzureContext } from '../tenant/context.js';
import { parseScope } from '../tenant/scope.js';

export const MANAGED_IDENTITY_API_VERSION = '2023-01-31';
const READ = 'Microsoft.ManagedIdentity/userAssignedIdentities/read';
const IDENTITY_PATH =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;

/** The answer to a request for a user-assigned identity, or undefined when the path names none. */
export function managedIdentityAnswer(
  ctx: AzureContext,
  method: string,
  url: URL,
  caller: JwtClaims,
): [number, unknown] | undefined {
  const m = IDENTITY_PATH.exec(decodeURIComponent(url.pathname));
  if (!m) return undefined;
  if (method !== 'GET') throw methodNotAllowed(method);
  const apiVersion = url.searchParams.get('api-version');
  if (apiVersion !== MANAGED_IDENTITY_API_VERSION)
    throw fail(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location 'global' and API version '${apiVersion ?? ''}' for type 'userAssignedIdentities'. The supported api-versions are '${MANAGED_IDENTITY_API_VERSION}'.`,
    );
  if (!ctx.state.hasSubscription(m[1]!))
    throw fail(404, 'SubscriptionNotFound', `The subscription '${m[1]!}' could not be found.`);
  const path = decodeURIComponent(url.pathname);
  if (!ctx.state.isAuthorized(String(caller.oid ?? ''), READ, parseScope(path)))
    throw authorizationFailure(caller, READ, path);
  const identity = ctx.state.directory.identities.get(path.toLowerCase());
  if (!identity)
    throw fail(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/${m[3]!}' under resource group '${m[2]!}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  return [
    200,
    {
      id: identity.id,
      name: identity.name,
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
      location: 'westeurope',
      tags: {},
      properties: {
        tenantId: identity.tenantId,
        principalId: identity.principalId,
        clientId: identity.clientId,
      },
    },
  ];
}
