// The audit log's Blob store hands its server a token for Azure Storage alone: the SDK asks the
// credential for whatever scope a 401 challenge's `resource_id` names (@azure/core-client's
// authorizeRequestOnTenantChallenge), and sends the token to the server that asked, so a server at
// the `audit-log` URL (Azurite's loopback form is one any process on the runner can hold) could
// otherwise be handed an Azure Resource Manager or Microsoft Graph token of the step's identity.
import { describe, expect, it } from '@jest/globals';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { storageTokenOnly } from '../../src/azure/audit-blob.js';

function recording() {
  const asked: { scopes: string[]; tenantId?: string }[] = [];
  const credential: TokenCredential = {
    getToken: async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> => {
      asked.push({
        scopes: [scopes].flat(),
        ...(options?.tenantId ? { tenantId: options.tenantId } : {}),
      });
      return { token: 'token', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return { asked, credential };
}

describe("the audit log's Blob credential", () => {
  it('gives a token for Azure Storage', async () => {
    const { asked, credential } = recording();
    await expect(
      storageTokenOnly(credential).getToken('https://storage.azure.com/.default'),
    ).resolves.toMatchObject({
      token: 'token',
    });
    expect(asked).toEqual([{ scopes: ['https://storage.azure.com/.default'] }]);
  });

  it('never asks for a token of another resource, whatever the server challenges for', async () => {
    const { asked, credential } = recording();
    const storage = storageTokenOnly(credential);
    for (const scope of [
      'https://management.azure.com/.default',
      'https://graph.microsoft.com/.default',
      'https://vault.azure.net/.default',
    ])
      await expect(storage.getToken([scope])).rejects.toThrow(/Azure Storage/);
    expect(asked).toEqual([]);
  });
});
