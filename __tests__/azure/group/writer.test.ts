// A reconcile's membership writes (src/azure/group/writer.ts) when Graph answers that what the plan
// wants holds already: a create Graph refuses as `RoleAssignmentExists` was in force before the
// step (`existed`), a delete refused as `RoleAssignmentDoesNotExist` was gone before it, each
// SUCCEEDED and unchanged, as for every kind.
import { describe, expect, it } from '@jest/globals';
import { GraphError } from '../../../src/azure/graph/client.js';
import type { GroupPim } from '../../../src/azure/graph/group-pim.js';
import { membershipWriter, type MembershipWrite } from '../../../src/azure/group/writer.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { resultsOutput } from '../../../src/core/output/results.js';
import type { PlannedWriteOf } from '../../../src/engine/calls/write-plan.js';

const GROUP = '2b5ed229-4072-478d-9504-a047ebd4b07d';
const ALICE = '3cce9d87-3986-4f19-8335-7ed075408ca2';
const item: MembershipWrite = {
  type: 'active',
  principalId: ALICE,
  groupId: GROUP,
  access: 'member',
  duration: undefined,
  shown: { principal: 'alice', group: 'platform-admins' },
};
/** Graph refusing every request with `code`. */
const refusing = (code: string) =>
  ({
    write: () =>
      Promise.reject(new GraphError(400, code, 'The Role assignment …', undefined, undefined, '/v1.0/x')),
  }) as unknown as GroupPim;

async function written(change: 'create' | 'delete', code: string): Promise<GrantResult> {
  const said: GrantResult[] = [];
  const writer = membershipWriter(
    refusing(code),
    'cloud-access:o/r:access.yml',
    undefined,
    (r) => said.push(r),
    false,
  );
  const write: PlannedWriteOf<MembershipWrite> = { kind: 'azure-group-active', change, item };
  const ended = await writer.write(write, item, { release: () => undefined });
  expect(ended.status).toBe('SUCCEEDED');
  return said[0]!;
}

describe('a membership Graph says is already as the plan wants', () => {
  it('a create answered RoleAssignmentExists: it existed, and exists', async () => {
    const row = await written('create', 'RoleAssignmentExists');
    expect(resultsOutput([row])[0]).toMatchObject({ existed: true, exists: true, changed: false });
  });

  it('a delete answered RoleAssignmentDoesNotExist: it did not exist, and does not', async () => {
    const row = await written('delete', 'RoleAssignmentDoesNotExist');
    expect(resultsOutput([row])[0]).toMatchObject({ existed: false, exists: false, changed: false });
  });
});
