// A PIM schedule request's status means the same to Azure resources' PIM and to PIM for groups
// (the same 22-value `Status` enum), but for which status is each one's success.
import { describe, expect, it } from '@jest/globals';
import { judgeGroupRequest, groupRequestFailure } from '../../../src/azure/graph/group-pim-status.js';
import { judgePimStatus, pimStatusFailure } from '../../../src/azure/pim/status.js';

describe('a PIM request’s status decides alike for Azure resources and for groups', () => {
  it.each([
    ['Denied', 'failed'],
    ['AdminDenied', 'failed'],
    ['Canceled', 'failed'],
    ['TimedOut', 'failed'],
    ['Invalid', 'failed'],
    ['Failed', 'failed'],
    ['FailedAsResourceIsLocked', 'failed'],
    ['PendingApproval', 'awaiting-approval'],
    ['PendingApprovalProvisioning', 'awaiting-approval'],
    ['PendingAdminDecision', 'awaiting-approval'],
    ['Accepted', 'pending'],
    ['PendingProvisioning', 'pending'],
    ['Provisioned', 'succeeded'],
  ] as const)('an assign that reads %s is %s', (status, verdict) => {
    expect(judgePimStatus(status, 'AdminAssign')).toBe(verdict);
    expect(judgeGroupRequest(status, 'adminAssign')).toBe(verdict);
  });

  it('a remove that reads Revoked succeeded, an assign that does failed', () => {
    expect([judgePimStatus('Revoked', 'AdminRemove'), judgeGroupRequest('Revoked', 'adminRemove')]).toEqual([
      'succeeded',
      'succeeded',
    ]);
    expect([judgePimStatus('Revoked', 'AdminAssign'), judgeGroupRequest('Revoked', 'adminAssign')]).toEqual([
      'failed',
      'failed',
    ]);
  });

  it('Granted is a group assign’s success, and still on its way for an Azure resource', () => {
    expect(judgeGroupRequest('Granted', 'adminAssign')).toBe('succeeded');
    expect(judgePimStatus('Granted', 'AdminAssign')).toBe('pending');
  });

  it('says why a request ended in the same words, and who found it invalid', () => {
    expect(pimStatusFailure('Denied', 'r-1')).toBe('PIM request r-1 ended Denied: an approver denied it');
    expect(groupRequestFailure('Denied', 'r-2')).toBe(
      'PIM for groups request r-2 ended Denied: an approver denied it',
    );
    expect(pimStatusFailure('Invalid', 'r-1')).toMatch(/: Azure found the request invalid$/);
    expect(groupRequestFailure('Invalid', 'r-2')).toMatch(/: Microsoft Entra found the request invalid$/);
  });
});
