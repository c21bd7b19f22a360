// A user-assigned managed identity's service principal, read from ARM (`properties.principalId`):
// no Graph permission needed. The directory resolves an `mi:` principal through it.
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { CloudAccessError } from '../../core/errors.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import { createJsonClient, GraphError, type JsonClient } from '../graph/client.js';
import type { ReadIdentity } from '../graph/directory.js';

/** Microsoft.ManagedIdentity's API version for `userAssignedIdentities` reads. */
export const MANAGED_IDENTITY_API_VERSION = '2023-01-31';

/** What ARM answered, in the words every error of the step uses. */
const armSaid = (status: number, code: string | undefined, message: string, requestId?: string): string =>
  `${status}${code ? ` ${code}` : ''}: ${message}${requestId ? ` (ARM request ${requestId})` : ''}`;

/** The reader of managed identities for a session's directory, on the session's credential. */
export function managedIdentityReader(
  settings: Pick<AzureSessionSettings, 'resourceManagerEndpoint' | 'tokenScope'>,
  credential: TokenCredential,
  httpClient?: HttpClient,
): ReadIdentity {
  let arm: JsonClient | undefined;
  return async (resourceId, call) => {
    arm ??= createJsonClient({
      endpoint: settings.resourceManagerEndpoint,
      scope: settings.tokenScope,
      credential,
      requestIdHeader: 'x-ms-request-id',
      ...(httpClient ? { httpClient } : {}),
    });
    const client = arm;
    const path = `${resourceId}?api-version=${MANAGED_IDENTITY_API_VERSION}`;
    try {
      const identity = (await call('UserAssignedIdentities_Get', (signal) => client.get(path, signal))) as {
        name?: unknown;
        properties?: { principalId?: unknown };
      };
      const id = identity?.properties?.principalId;
      if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id))
        throw new CloudAccessError(`ARM answered managed identity \`${resourceId}\` without a principal ID`, {
          input: 'principal',
        });
      const name =
        typeof identity.name === 'string' ? identity.name : (resourceId.split('/').pop() ?? resourceId);
      return { objectId: id.toLowerCase(), type: 'ServicePrincipal', name };
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      throw identityReadFailure(resourceId, error);
    }
  };
}

function identityReadFailure(resourceId: string, error: GraphError): CloudAccessError {
  const said = armSaid(error.status, error.code, error.serverMessage, error.requestId);
  return new CloudAccessError(
    error.status === 404
      ? `managed identity \`${resourceId}\` was not found (${said})`
      : `reading managed identity \`${resourceId}\` failed (${said})`,
    {
      input: 'principal',
      fix:
        error.status === 403
          ? 'the identity the action signs in as needs `Microsoft.ManagedIdentity/userAssignedIdentities/read` on it (Reader or Managed Identity Operator), or pass its principal (object) ID'
          : 'check the resource ID (subscription, resource group and name), or pass the principal (object) ID',
    },
  );
}
