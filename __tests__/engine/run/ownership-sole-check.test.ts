// The post step revokes only a grant that is still its step's alone (docs/ephemeral-access.md,
// "Overlapping jobs": a reliance registered since leaves it). The engine alone, with a driver that answers as the
// Azure driver does.
import { describe, expect, it } from '@jest/globals';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import type { AzureResolvedIds } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import type { CreateProof } from '../../../src/engine/calls/ownership-proofs.js';
import { confirmOwnership } from './confirm-ownership.js';

const scope = parseAzureScope(
  '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg',
) as AzureScope;
const ids: AzureResolvedIds = {
  cloud: 'azure',
  principalId: '11111111-1111-4111-8111-111111111111',
  scope,
  roleId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  name: '22222222-2222-4222-8222-222222222222',
};

/** As AzureRoleAssignmentDriver.stillOwn (reliance.ts soleOwnership): another run relies on it now. */
function reliedOn() {
  const asked: string[] = [];
  const driver: GrantDriver = {
    cloud: 'azure',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async () => ids,
    findExisting: async () => undefined,
    create: async () => ({ kind: 'done', changed: true }),
    remove: async () => ({ kind: 'done', changed: true }),
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'none' }),
    stillOwn: async (): Promise<CreateProof> => {
      asked.push('stillOwn');
      return {
        created: false,
        why: 'relied on by run 2 attempt 1: the sweep ends it once every run that relies on it has ended',
      };
    },
  };
  return { driver, asked };
}

describe('the post step asks whether a created grant is still its own alone', () => {
  // The Azure check (soleOwnership: markers and updatedBy, read by the assignment's name) needs no
  // request ID, and a 201 without `x-ms-request-id` (a gateway that drops it; Azure Stack Hub) is
  // saved with none: the check is made all the same, so another job's reliance marker is seen.
  it('a create saved without a request ID is checked all the same', async () => {
    const { driver, asked } = reliedOn();
    const verdict = await confirmOwnership({ ids, sentAt: 0, ownership: 'created' }, driver, {
      deadline: new Deadline(5),
    });
    expect(asked).toEqual(['stillOwn']);
    expect(verdict).toMatchObject({ ours: false, leftInPlace: true });
  });

  it('with a request ID it is checked (holds)', async () => {
    const { driver, asked } = reliedOn();
    const verdict = await confirmOwnership(
      { ids, sentAt: 0, ownership: 'created', requestId: 'r-1' },
      driver,
      { deadline: new Deadline(5) },
    );
    expect(asked).toEqual(['stillOwn']);
    expect(verdict).toMatchObject({ ours: false, leftInPlace: true });
  });
});
