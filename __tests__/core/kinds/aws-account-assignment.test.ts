// An IAM Identity Center account assignment's key.
import { describe, expect, it } from '@jest/globals';
import { awsAccountAssignment } from '../../../src/core/kinds/aws-account-assignment.js';

const parts = {
  principalId: '90670000-1111-2222-3333-444444444444',
  principalType: 'USER',
  roleId: 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222',
  targetId: '111111111111',
};

describe('an AWS account assignment is its principal type, principal, permission set and account', () => {
  it('takes a USER and a GROUP written with one ID for two assignments', () => {
    expect(awsAccountAssignment.key({ ...parts, principalType: 'GROUP' })).not.toBe(
      awsAccountAssignment.key(parts),
    );
  });

  it('takes each of the other parts as part of it', () => {
    for (const field of ['principalId', 'roleId', 'targetId'] as const)
      expect(awsAccountAssignment.key({ ...parts, [field]: `${parts[field]}0` })).not.toBe(
        awsAccountAssignment.key(parts),
      );
  });
});
