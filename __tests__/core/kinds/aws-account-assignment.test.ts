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

describe('an AWS account assignment is removed by hand with the CLI', () => {
  it('names every ID, the instance when known, and the Region when said', () => {
    expect(awsAccountAssignment.removeByHand(parts, { instanceArn: 'arn:aws:sso:::instance/ssoins-1' })).toBe(
      `aws sso-admin delete-account-assignment --instance-arn arn:aws:sso:::instance/ssoins-1 --target-type AWS_ACCOUNT --target-id 111111111111 --permission-set-arn ${parts.roleId} --principal-type USER --principal-id ${parts.principalId}`,
    );
    expect(
      awsAccountAssignment.removeByHand({ ...parts, principalType: undefined }, { region: 'eu-west-1' }),
    ).toBe(
      `aws sso-admin delete-account-assignment --instance-arn '<instance ARN>' --target-type AWS_ACCOUNT --target-id 111111111111 --permission-set-arn ${parts.roleId} --principal-type '<USER or GROUP>' --principal-id ${parts.principalId} --region eu-west-1`,
    );
  });
});
