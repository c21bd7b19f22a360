// Rows as a report's read hands them to a review, for the review's tests.
import {
  reviewRow,
  type ReviewRow,
  type ReviewRowInput,
} from '../../../../src/operations/review/model/rows.js';

export function awsRow(over: Partial<ReviewRowInput> = {}): ReviewRow {
  return reviewRow({
    cloud: 'aws',
    principalKind: 'USER',
    principalName: 'alice@example.com',
    principalId: 'u-1',
    role: 'AdministratorAccess',
    roleId: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
    target: 'prod',
    targetId: '111111111111',
    held: 'foreign',
    expiresAt: null,
    live: null,
    grantedAt: '2026-01-02T03:04:05Z',
    grantedBy: 'arn:aws:iam::111111111111:user/admin',
    manifest: null,
    manifestLine: null,
    kind: 'aws-account-assignment',
    ...over,
  });
}

export const azureRow = (over: Partial<ReviewRowInput> = {}) =>
  awsRow({
    cloud: 'azure',
    principalKind: 'User',
    principalId: '00000000-0000-0000-0000-0000000000aa',
    role: 'Owner',
    roleId: '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    targetId: '/subscriptions/s1/resourceGroups/rg-app',
    kind: 'azure-role-assignment',
    ...over,
  });
