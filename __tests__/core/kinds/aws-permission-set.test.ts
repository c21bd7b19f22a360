// A permission set's content as a kind of access of another shape than an assignment's: no
// principal and no target, one set of an instance by its name. Registered beside the assignment
// kinds, keyed apart from them, removed by hand with the service's own command, and saved by its
// ARN alone.
import { describe, expect, it } from '@jest/globals';
import { awsPermissionSet } from '../../../src/core/kinds/aws-permission-set.js';
import { kindNamed, rowKeyOf } from '../../../src/core/kinds/index.js';

const ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const WRITTEN = { principal: '', role: 'ReadOnly', target: '' };

describe('the permission set kind', () => {
  it('is registered under its own name, beside the assignment kinds', () => {
    expect(kindNamed('aws-permission-set')).toBe(awsPermissionSet);
    expect(awsPermissionSet.cloud).toBe('aws');
    expect(awsPermissionSet.inManifest).toBe(false);
    expect(awsPermissionSet.duration).toBe('none');
  });

  it('keys a set by its name, never as an assignment of the same text', () => {
    expect(awsPermissionSet.key({ name: 'ReadOnly' })).toBe(awsPermissionSet.key({ name: 'ReadOnly' }));
    expect(awsPermissionSet.key({ name: 'ReadOnly' })).not.toBe(awsPermissionSet.key({ name: 'readonly' }));
    const row = { principalId: '', roleId: 'ReadOnly', targetId: '' };
    expect(rowKeyOf('aws-permission-set', row)).toBe(awsPermissionSet.key({ name: 'ReadOnly' }));
    expect(rowKeyOf('aws-permission-set', row)).not.toBe(rowKeyOf('aws-account-assignment', row));
  });

  it('is removed by hand with delete-permission-set, its values one shell word each', () => {
    expect(awsPermissionSet.removeByHand({ arn: ARN }, { instanceArn: INSTANCE, region: 'eu-west-1' })).toBe(
      `aws sso-admin delete-permission-set --instance-arn ${INSTANCE} --permission-set-arn ${ARN} --region eu-west-1`,
    );
    expect(awsPermissionSet.removeByHand({ arn: "x'; rm -rf /" })).toBe(
      `aws sso-admin delete-permission-set --instance-arn '<instance ARN>' --permission-set-arn 'x'\\''; rm -rf /'`,
    );
  });

  it('saves its ARN as the role, and reads back only a permission set ARN with no principal and no target', () => {
    const saved = awsPermissionSet.savedIds.write({ cloud: 'aws', arn: ARN, name: 'ReadOnly' });
    expect(saved).toEqual({ principalId: '', targetId: '', roleId: ARN });
    expect(awsPermissionSet.savedIds.read(saved, WRITTEN, undefined)).toEqual({ cloud: 'aws', arn: ARN });
    expect(awsPermissionSet.savedIds.read({ ...saved, roleId: 'ReadOnly' }, WRITTEN, undefined)).toMatch(
      /not a permission set ARN/,
    );
    expect(awsPermissionSet.savedIds.read({ ...saved, principalId: 'u-1' }, WRITTEN, undefined)).toMatch(
      /principal/,
    );
    expect(
      awsPermissionSet.savedIds.read({ ...saved, targetId: '111111111111' }, WRITTEN, undefined),
    ).toMatch(/target/);
  });
});
