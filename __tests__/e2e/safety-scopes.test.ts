// Grant exactly the scope written: a target that a URL would resolve to another place
// (`..` segments, percent escapes, invisible characters) is refused before any request, so a
// storage account written in the workflow can never become Owner of the subscription. The full
// list of such inputs is in the bad-input catalogue (bad-inputs.test.ts).
import { describe, expect, it } from '@jest/globals';
import { azureInputs, OWNER, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator();

describe('a target with `..` segments', () => {
  it('grants nothing anywhere: a storage account written as …/x/../../../../../.. never lands Owner on the subscription', async () => {
    const azure = emulator().azure!;
    const principal = azure.addPrincipal({ type: 'User', createdAt: 0 });
    const storageAccount = `/subscriptions/${azure.subscriptionId}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x`;
    const step = await runMain(
      azureInputs({
        principal,
        target: `${storageAccount}/../../../../../..`,
        role: OWNER,
      }),
    );
    const landed = azure
      .roleAssignments()
      .filter((a) => a.properties.principalId === principal)
      .map((a) => `${a.properties.roleDefinitionId} at ${a.properties.scope}`);
    expect(landed).toEqual([]);
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toContain('target');
    expect(emulator().requests).toEqual([]);
  });
});
