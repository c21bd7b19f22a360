// Issue #10, "grant exactly the scope written": a target that a URL would resolve to another place
// (`..` segments, percent escapes, invisible characters) is refused before any request, so a
// storage account written in the workflow can never become Owner of the subscription. The full
// list of such inputs is in the bad-input catalogue (bad-inputs.test.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runStep } from '../../scripts/action-runner.js';
import { azureInputs, OWNER } from './safety-helpers.js';
import { watchForLeaks } from './secret-leaks.js';

let emulator: Emulator;
watchForLeaks(() => emulator);
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('a target with `..` segments', () => {
  it('grants nothing anywhere: a storage account written as …/x/../../../../../.. never lands Owner on the subscription', async () => {
    const azure = emulator.azure!;
    const principal = azure.addPrincipal({ type: 'User', createdAt: 0 });
    const storageAccount = `/subscriptions/${azure.subscriptionId}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x`;
    const step = await runStep('main', {
      inputs: azureInputs(emulator, {
        principal,
        target: `${storageAccount}/../../../../../..`,
        role: OWNER,
      }),
      env: emulator.env,
    });
    const landed = azure
      .roleAssignments()
      .filter((a) => a.properties.principalId === principal)
      .map((a) => `${a.properties.roleDefinitionId} at ${a.properties.scope}`);
    expect(landed).toEqual([]);
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toContain('target');
    expect(emulator.requests).toEqual([]);
  });
});
