// The post step under `audit-log`: its first record is written before any write, including the
// cancel of a create the main step left pending (Azure PIM: the post step's read of such a request
// cancels it, src/azure/pim/assign.ts readCreate), and none is sent when the record cannot be. The
// cloud and the store are the test's own (the real ones: __tests__/e2e/audit-log*.test.ts).
import { describe, expect, it } from '@jest/globals';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import { AuditSinkError, type AuditSink } from '../../../src/engine/audit/sink.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { revokeOwned, type OwnedCreate } from '../../../src/operations/revoke-on-exit/revoke-owned.js';

const ids: AwsResolvedIds = { cloud: 'aws', principalId: 'p1', accountId: '111111111111', roleId: 'ps' };
const pending: OwnedCreate<AwsGrant> = {
  grant: {
    cloud: 'aws',
    kind: 'aws-account-assignment',
    written: { principal: 'p1', target: '111111111111', role: 'Admin' },
    principal: { kind: 'id', id: 'p1' },
    accountId: '111111111111',
    permissionSet: { kind: 'name', name: 'Admin' },
    resolved: ids,
  },
  ids,
  ownership: 'accepted',
  requestId: 'req-1',
  sentAt: Date.now() - 60_000,
};

/** The store writes, refuses, or never answers (until the write is abandoned). */
function setUp(store: 'writes' | 'refuses' | 'never answers', deadline = new Deadline(10)) {
  const events: string[] = [];
  const sink: AuditSink = {
    where: '`s3://audit/x`',
    prefix: 'x',
    permission: '`s3:PutObject` on `arn:aws:s3:::audit/x/*`',
    async putOnce(_key, body) {
      if (store === 'refuses') throw new AuditSinkError('AccessDenied: no', true);
      if (store === 'never answers') return new Promise<never>(() => undefined);
      events.push(`record ${(JSON.parse(body) as { change: string }).change}`);
      return 'written';
    },
  };
  const driver: GrantDriver<AwsGrant> = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: () => Promise.reject(new Error('a saved grant carries its IDs')),
    findExisting: async () => undefined,
    create: () => Promise.reject(new Error('the post step creates nothing')),
    remove: async () => ({ kind: 'done', changed: false }),
    findOwnCreate: async () => ({ ownership: 'created' }),
    // As PIM's: a request still pending is cancelled, and reads back FAILED (cancelled).
    readCreate: async () => {
      events.push('cancel req-1');
      return { status: 'FAILED', failureReason: 'it was still PendingApproval, and was cancelled' };
    },
  };
  const step = { step: 'post' as const, operation: 'assign' as const, run: { runId: '2' } };
  const audit = new AuditTrail(sink, step, (message) => events.push(`warning ${message}`), { deadline });
  return { events, driver, audit, deadline };
}

describe('the post step under audit-log', () => {
  it('writes its first record before it cancels a create its main step left pending', async () => {
    const { events, driver, audit, deadline } = setUp('writes');
    await revokeOwned([pending], driver, {
      maxConcurrency: 2,
      deadline,
      existedBefore: 0,
      audit,
    });
    expect(events.slice(0, 2)).toEqual(['record plan', 'cancel req-1']);
  });

  it('cancels nothing when its first record cannot be written', async () => {
    const { events, driver, audit, deadline } = setUp('refuses');
    const { results } = await revokeOwned([pending], driver, {
      maxConcurrency: 2,
      deadline,
      existedBefore: 0,
      audit,
    });
    expect(events).not.toContain('cancel req-1');
    expect(results[0]).toMatchObject({ status: 'FAILED' });
    expect(results[0]!.failureReason).toMatch(/audit-log/);
  });

  it('ends within `post-timeout-seconds` when the store never answers, and says the store held the revoke back', async () => {
    const deadline = new Deadline(0.3, Date.now, 'post-timeout-seconds');
    const { events, driver, audit } = setUp('never answers', deadline);
    const created: OwnedCreate<AwsGrant> = { ...pending, ownership: 'created' };
    const { results } = await revokeOwned([created], driver, {
      maxConcurrency: 2,
      deadline,
      existedBefore: 0,
      audit,
    });
    expect(events).toEqual([]);
    expect(results[0]).toMatchObject({ status: 'FAILED' });
    expect(results[0]!.failureReason).toMatch(
      /first record could not be written to `s3:\/\/audit\/x` \(`s3:\/\/audit\/x` did not answer within the step's 0\.3s deadline \(`post-timeout-seconds`\)\), so nothing was written to the cloud: .*raise `post-timeout-seconds`/,
    );
  });
});
