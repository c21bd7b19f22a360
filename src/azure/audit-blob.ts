// The audit log in Azure Blob Storage: one block blob per record, uploaded with `If-None-Match: *`,
// so a blob is written once and never replaced (the service answers 409 BlobAlreadyExists when the
// name holds one). Signed in with the step's Entra credential, for Azure Storage's resource. Loaded
// with import() only by a step with `audit-log`. The storage SDK sets no client-side timeout on a
// try (its `tryTimeoutInMs` is only the server's `timeout` parameter), so an upload is bounded by
// the signal the trail hands it: the step's deadline.
import type { GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { BlobServiceClient } from '@azure/storage-blob';
import type { AuditLogTarget, AzureSessionSettings } from '../core/inputs/index.js';
import { AuditSinkError, type OpenAuditSink } from '../engine/audit/sink.js';
import { createAzureCredential } from './sdk/credentials.js';

type BlobTarget = Extract<AuditLogTarget, { store: 'blob' }>;

export const createBlobAuditSink: OpenAuditSink<AzureSessionSettings, BlobTarget> = (
  settings,
  target,
  deps,
) => {
  const credential = storageTokenOnly(createAzureCredential(settings, deps.requestToken, deps.mask));
  const container = new BlobServiceClient(target.accountUrl, credential, {
    retryOptions: { maxTries: 3 },
  }).getContainerClient(target.container);
  return {
    where: `\`${target.url}\``,
    prefix: target.prefix,
    permission: `the role \`Storage Blob Data Contributor\` on container \`${target.container}\` (or \`Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write\` there)`,
    async putOnce(key, body, signal) {
      try {
        await container.getBlockBlobClient(key).upload(body, Buffer.byteLength(body), {
          conditions: { ifNoneMatch: '*' },
          blobHTTPHeaders: { blobContentType: 'application/json' },
          abortSignal: signal,
        });
        return 'written';
      } catch (error) {
        const e = error as { statusCode?: number; code?: string; message?: string };
        if (e.statusCode === 409 || e.statusCode === 412) return 'taken';
        if (e.statusCode === 403 || e.statusCode === 401)
          throw new AuditSinkError(`${e.code ?? 'AuthorizationFailure'}: ${firstLine(e.message)}`, true);
        throw error;
      }
    },
  };
};

/** The scope of Azure Storage's tokens, in every Azure cloud. */
const STORAGE_SCOPE = 'https://storage.azure.com/.default';

/**
 * The credential, for Azure Storage's tokens alone. On a 401 whose challenge names another
 * `resource_id`, the SDK asks the credential for that resource's token and sends it to the server
 * that asked (@azure/core-client's authorizeRequestOnTenantChallenge): a server at the `audit-log`
 * URL must never be handed the step's Resource Manager or Graph token.
 */
export function storageTokenOnly(credential: TokenCredential): TokenCredential {
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions) {
      const asked = [scopes].flat();
      if (asked.length !== 1 || asked[0] !== STORAGE_SCOPE)
        return Promise.reject(
          new Error(
            `audit-log: the storage server asked for a token of \`${asked.join(' ')}\`; the step gives it one for Azure Storage alone`,
          ),
        );
      return credential.getToken(asked, options);
    },
  };
}

/** Storage errors carry the request ID and time on lines after the first. */
function firstLine(message: string | undefined): string {
  return (message ?? 'access denied').split('\n')[0] ?? '';
}
