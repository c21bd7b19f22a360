// The audit log's Blob store hands its server a token for Azure Storage alone: the SDK asks the
// credential for whatever scope a 401 challenge's `resource_id` names (@azure/core-client's
// authorizeRequestOnTenantChallenge), and sends the token to the server that asked, so a server at
// the `audit-log` URL (Azurite's loopback form is one any process on the runner can hold) could
// otherwise be handed an Azure Resource Manager or Microsoft Graph token of the step's identity.
// And a storage account that does not answer an upload is abandoned at the step's deadline, its
// request too: the real store, signed in through the emulator's Entra, against a server that holds
// every request.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import tls from 'node:tls';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { createTlsMaterial, type TlsMaterial } from '../../emulator/azure/server/tls.js';
import { listenHttps, type HttpsServer } from '../../emulator/azure/server/https.js';
import { createBlobAuditSink, storageTokenOnly } from '../../src/azure/audit-blob.js';
import { AuditTrail } from '../../src/engine/audit/trail.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { emulatedArm, PRINCIPAL, READER, SCOPE } from '../harness/emulated-arm.js';

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

describe('the Blob audit store inside the step’s deadline', () => {
  const arm = emulatedArm();
  let material: TlsMaterial;
  let silent: HttpsServer;
  /** Each request the silent storage account got, and whether its connection has closed. */
  const held: { method: string; closed: boolean }[] = [];

  beforeAll(async () => {
    material = await createTlsMaterial();
    silent = await listenHttps(material, (req) => {
      const seen = { method: req.method ?? '', closed: false };
      held.push(seen);
      req.socket.on('close', () => (seen.closed = true));
    });
    // Both servers' CAs, as NODE_EXTRA_CA_CERTS would give the step's process.
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), arm.az.caCert, material.ca]);
  });
  afterAll(async () => {
    await silent.close();
    await material.remove();
  });

  it('abandons an upload never answered when the deadline passes, naming the store, and closes its request', async () => {
    const account = `${silent.url}/devstoreaccount1`;
    const sink = createBlobAuditSink(
      arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER }),
      {
        store: 'blob',
        accountUrl: account,
        container: 'audit',
        prefix: 'runs',
        url: `${account}/audit/runs`,
      },
      { requestToken: arm.requestToken, mask: () => undefined },
    );
    const trail = new AuditTrail(sink, { step: 'main', operation: 'assign', run: {} }, () => undefined, {
      deadline: new Deadline(3),
    });
    await expect(trail.beforeFirstWrite('assign', () => [])).rejects.toMatchObject({
      message: expect.stringContaining(
        `(\`${account}/audit/runs\` did not answer within the step's 3s deadline (\`timeout-seconds\`))`,
      ),
    });
    expect(held.map((r) => r.method)).toEqual(['PUT']);
    // The SDK was told to give up too: no connection to the store outlives the step.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held[0]!.closed).toBe(true);
  });
});
