// What a PIM schedule request's status means for the grant (the 22 values of the 2020-10-01
// `Status` enum), and how a failure is worded.
import { describe, expect, it } from '@jest/globals';
import { adminAssignOutcome, judgePimStatus, pimStatusFailure } from '../../../src/azure/pim/status.js';

describe('a PIM request status decides the grant', () => {
  it.each([
    ['Provisioned', 'AdminAssign', 'succeeded'],
    ['Revoked', 'AdminRemove', 'succeeded'],
    ['Revoked', 'AdminAssign', 'failed'],
    ['Denied', 'AdminAssign', 'failed'],
    ['Failed', 'AdminAssign', 'failed'],
    ['Canceled', 'AdminAssign', 'failed'],
    ['TimedOut', 'AdminAssign', 'failed'],
    ['Invalid', 'AdminAssign', 'failed'],
    ['FailedAsResourceIsLocked', 'AdminAssign', 'failed'],
    ['AdminDenied', 'AdminAssign', 'failed'],
    ['PendingApproval', 'AdminAssign', 'awaiting-approval'],
    ['PendingAdminDecision', 'AdminAssign', 'awaiting-approval'],
    ['Accepted', 'AdminAssign', 'pending'],
    ['PendingProvisioning', 'AdminAssign', 'pending'],
    ['Granted', 'AdminAssign', 'pending'],
    ['SomethingNew', 'AdminAssign', 'pending'],
    [undefined, 'AdminAssign', 'pending'],
  ] as const)('%s (%s) is %s', (status, type, verdict) => {
    expect(judgePimStatus(status, type)).toBe(verdict);
  });

  it('names the status of a failure in the reason', () => {
    expect(pimStatusFailure('FailedAsResourceIsLocked', 'r-1')).toMatch(
      /PIM request r-1 ended FailedAsResourceIsLocked: the scope is locked/,
    );
  });
});

describe("an AdminAssign's answer as the write's outcome", () => {
  const NAME = '05c5a614-a7d6-4502-b150-c2fb455033ff';
  const followed: boolean[] = [];
  const follow = (provisioned: boolean) => {
    followed.push(provisioned);
    return async () => ({ status: 'SUCCEEDED' as const });
  };

  it('is created once Provisioned, and followed from there', () => {
    followed.length = 0;
    const outcome = adminAssignOutcome(NAME, 'Provisioned', '/subscriptions/s/x', follow);
    expect(outcome).toMatchObject({
      kind: 'pending',
      request: { requestId: NAME, assignmentId: '/subscriptions/s/x', createdOnAcceptance: true },
    });
    expect(followed).toEqual([true]);
  });

  it('is not yet created while it awaits approval or provisioning, and is followed to its end', () => {
    followed.length = 0;
    for (const status of ['PendingApproval', 'PendingProvisioning'])
      expect(adminAssignOutcome(NAME, status, undefined, follow)).toMatchObject({
        kind: 'pending',
        request: { requestId: NAME, createdOnAcceptance: false },
      });
    expect(followed).toEqual([false, false]);
  });

  it('fails as its status says, and is not followed', () => {
    followed.length = 0;
    expect(adminAssignOutcome(NAME, 'Denied', undefined, follow)).toEqual({
      kind: 'failed',
      requestId: NAME,
      failureReason: pimStatusFailure('Denied', NAME),
    });
    expect(followed).toEqual([]);
  });
});
