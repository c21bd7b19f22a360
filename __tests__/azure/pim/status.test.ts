// What a PIM schedule request's status means for the grant (the 22 values of the 2020-10-01
// `Status` enum), and how a failure is worded.
import { describe, expect, it } from '@jest/globals';
import { judgePimStatus, pimStatusFailure } from '../../../src/azure/pim/status.js';

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
