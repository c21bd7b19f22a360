// The post step's look for a create the main step sent without hearing back (src/azure/arm/own-create.ts):
// its reads end before the step's deadline with room for what follows, and "not created" rests on a
// read ARM answered, never on one the deadline kept from being sent.
import { describe, expect, it } from '@jest/globals';
import type { RoleAssignment } from '@azure/arm-authorization';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import type { AzureResolvedIds } from '../../../src/core/types.js';
import { Deadline, NotSentError } from '../../../src/engine/limits/deadline.js';
import type { ArmReads } from '../../../src/azure/arm/reads.js';
import { ownershipOfLostCreate, type LostCreate } from '../../../src/azure/arm/own-create.js';

const SCOPE = parseAzureScope('/subscriptions/00000000-0000-0000-0000-000000000001') as AzureScope;
const IDS: AzureResolvedIds = {
  cloud: 'azure',
  principalId: '11111111-1111-1111-1111-111111111111',
  scope: SCOPE,
  roleId:
    '/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
  name: '22222222-2222-2222-2222-222222222222',
};

/** ARM's reads as the step's call runner makes them: nothing is sent once the step's deadline has passed. */
function armShowing(deadline: Deadline, assignment: RoleAssignment | undefined) {
  const answered: number[] = [];
  const reads = {
    getAssignment: async () => {
      if (deadline.passed) throw new NotSentError('RoleAssignments_Get', 'its turn', deadline);
      answered.push(Date.now());
      return assignment;
    },
  } as unknown as ArmReads;
  return { reads, answered };
}

const lostCreate = (deadline: Deadline): LostCreate => ({
  scope: SCOPE,
  name: IDS.name!,
  ids: IDS,
  description: 'cloud-access',
  objectId: '33333333-3333-3333-3333-333333333333',
  since: Date.now() - 60_000,
  deadline,
});

describe("the post step's look for a create it did not hear back about", () => {
  it("concludes nothing from a read the step's deadline kept from being sent", async () => {
    const deadline = new Deadline(0, Date.now, 'post-timeout-seconds');
    const { reads, answered } = armShowing(deadline, undefined);
    await expect(ownershipOfLostCreate(reads, lostCreate(deadline))).rejects.toBeInstanceOf(NotSentError);
    expect(answered).toEqual([]);
  });

  it("ends its reads before the step's deadline, with room left to conclude and revoke", async () => {
    const deadline = new Deadline(2, Date.now, 'post-timeout-seconds');
    const { reads, answered } = armShowing(deadline, undefined);
    const found = await ownershipOfLostCreate(reads, lostCreate(deadline));
    expect(found).toMatchObject({ ownership: 'not-created' });
    expect(answered.length).toBeGreaterThan(0);
    expect(deadline.passed).toBe(false);
    expect(deadline.remainingMs()).toBeGreaterThan(0);
  });
});
