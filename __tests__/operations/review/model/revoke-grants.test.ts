import { describe, expect, it } from '@jest/globals';
import { revokeGrantOf } from '../../../../src/operations/review/model/revoke-grants.js';
import { awsRow, azureRow } from './review-rows.js';

const ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const USER_ID = '90676f4e2f-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';

describe('the grant that revokes a row at the due date', () => {
  it('revokes an AWS row by the IDs the read found, with its principal type, and looks nothing up again', () => {
    const grant = revokeGrantOf(awsRow({ principalId: USER_ID, principalKind: 'user', roleId: ARN }));
    expect(grant).toEqual(
      expect.objectContaining({
        cloud: 'aws',
        kind: 'aws-account-assignment',
        principal: { kind: 'id', id: USER_ID },
        accountId: '111111111111',
        permissionSet: { kind: 'arn', arn: ARN },
        resolved: {
          cloud: 'aws',
          principalId: USER_ID,
          accountId: '111111111111',
          roleId: ARN,
          principalType: 'USER',
        },
      }),
    );
  });

  it('sends nothing for a row whose IDs are not what its kind writes, and says why', () => {
    expect(revokeGrantOf(awsRow({ principalId: USER_ID, roleId: 'ReadOnlyAccess' }))).toMatch(
      /not a permission set ARN: not revoked/,
    );
    expect(revokeGrantOf(awsRow({ principalId: USER_ID, roleId: ARN, targetId: '1; rm -rf' }))).toMatch(
      /not an account ID/,
    );
    expect(revokeGrantOf(awsRow({ kind: 'no-such-kind' }))).toMatch(/is not one a review revokes/);
    expect(revokeGrantOf(awsRow({ kind: 'azure-role-assignment' }))).toMatch(/is not of aws/);
  });

  it('revokes an Azure role assignment by its object ID, scope and role definition ID', () => {
    const targetId = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app';
    const row = azureRow({ principalId: '00000000-0000-0000-0000-0000000000AA', targetId });
    const grant = revokeGrantOf(row);
    expect(grant).toEqual(
      expect.objectContaining({
        cloud: 'azure',
        kind: 'azure-role-assignment',
        principal: { kind: 'object', id: '00000000-0000-0000-0000-0000000000aa', bare: true },
        scope: expect.objectContaining({ scope: targetId }),
        role: { kind: 'id', id: row.roleId },
      }),
    );
    expect(revokeGrantOf(azureRow({ targetId: 'not a scope' }))).toMatch(/not an Azure scope/);
    expect(revokeGrantOf(azureRow({ principalId: 'alice', targetId }))).toMatch(/not a GUID/);
  });

  it('revokes a membership of an Entra group by its principal, group and access', () => {
    const groupId = '00000000-0000-0000-0000-0000000000bb';
    const grant = revokeGrantOf(
      azureRow({
        kind: 'azure-group-active',
        principalId: '00000000-0000-0000-0000-0000000000aa',
        targetId: groupId,
        roleId: 'member',
      }),
    );
    expect(grant).toEqual(
      expect.objectContaining({
        kind: 'azure-group-active',
        group: { kind: 'id', id: groupId },
        access: 'member',
      }),
    );
  });
});
