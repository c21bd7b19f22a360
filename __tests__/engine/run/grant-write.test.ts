// One grant's turn, as the grant writer sends it: a create of an absent assignment is written and
// followed; one already in place is left as it is, with no write.
import { describe, expect, it } from '@jest/globals';
import type { AwsGrant } from '../../../src/core/types.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import { markPossiblyApplied } from '../../../src/engine/calls/call-failures.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { RequestFollower } from '../../../src/engine/run/follow.js';
import { runGrant, type Run } from '../../../src/engine/run/grant-write.js';

const GRANT: AwsGrant = {
  cloud: 'aws',
  kind: 'aws-account-assignment',
  written: { principal: 'p1', target: '111111111111', role: 'ps-1' },
  principal: { kind: 'id', id: 'p1' },
  accountId: '111111111111',
  permissionSet: { kind: 'arn', arn: 'ps-1' },
  resolved: { cloud: 'aws', principalId: 'p1', accountId: '111111111111', roleId: 'ps-1' },
};

function runOf(present: boolean, writes: string[]): Run<AwsGrant> {
  const driver: GrantDriver<AwsGrant> = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async (grant) => grant.resolved!,
    findExisting: async () => (present ? {} : undefined),
    create: async () => (writes.push('create'), { kind: 'done', changed: true }),
    remove: async () => (writes.push('remove'), { kind: 'done', changed: true }),
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'test' }),
  };
  const options = { operation: 'assign' as const, dryRun: false, wait: true, deadline: new Deadline(30) };
  return { driver, options, follower: new RequestFollower(options), reads: new Map() };
}

describe('one grant’s turn', () => {
  it('creates an absent assignment and says it changed', async () => {
    const writes: string[] = [];
    const result = await runGrant(GRANT, runOf(false, writes), () => {});
    expect(writes).toEqual(['create']);
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      change: 'create',
      before: 'absent',
      after: 'present',
    });
  });

  it('leaves one already in place as it is, with no write', async () => {
    const writes: string[] = [];
    const result = await runGrant(GRANT, runOf(true, writes), () => {});
    expect(writes).toEqual([]);
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      changed: false,
      before: 'present',
      after: 'present',
    });
  });

  it('a read that timed out fails the grant, and says nothing of a create that was never sent', async () => {
    const writes: string[] = [];
    const run = runOf(false, writes);
    // A timed-out answer, as the SDK adapters mark it: a write with it may have been applied.
    const timedOut = new Error('ListAccountAssignments: the request timed out');
    markPossiblyApplied(timedOut);
    run.driver.findExisting = async () => {
      throw timedOut;
    };
    const result = await runGrant(GRANT, run, () => {});
    expect(writes).toEqual([]);
    expect(result).toMatchObject({ status: 'FAILED', changed: false });
    expect(result.note).toBeUndefined();
  });
});
