// The record of one ProvisionPermissionSet request: the permission set and the account (or all
// provisioned ones) it was sent for, the request ID and status, in the form every record of the
// step has (__tests__/engine/audit/record.test.ts), and no kind of access, for it grants none.
import { describe, expect, it } from '@jest/globals';
import { AUDITED_RUN } from '../../harness/audited-grant.js';
import { provisionRecord } from '../../../src/aws/permission-sets/provision-record.js';
import { stepRecord } from '../../../src/engine/audit/record.js';

describe('a provisioning record', () => {
  const step = { step: 'main' as const, operation: 'provision' as const, run: AUDITED_RUN };
  const PERMISSION_SET = 'arn:aws:sso:::permissionSet/ssoins-1/ps-1';

  it('names the permission set, the account, the request and its status, and no kind', () => {
    const record = stepRecord(
      step,
      provisionRecord({
        permissionSetArn: PERMISSION_SET,
        account: '123456789012',
        requestId: 'r-1',
        status: 'SUCCEEDED',
      }),
      2,
      new Date(0),
    );
    expect(record).toEqual({
      version: 1,
      n: 2,
      time: '1970-01-01T00:00:00.000Z',
      step: 'main',
      operation: 'provision',
      run: AUDITED_RUN,
      change: 'provision',
      cloud: 'aws',
      role: { id: PERMISSION_SET },
      target: { id: '123456789012' },
      requestId: 'r-1',
      status: 'SUCCEEDED',
    });
  });

  it("holds a failure's reason, and no field it has no value for", () => {
    const record = stepRecord(
      step,
      provisionRecord({
        permissionSetArn: PERMISSION_SET,
        account: 'ALL_PROVISIONED_ACCOUNTS',
        status: 'FAILED',
        failureReason: 'throttled',
      }),
      3,
      new Date(0),
    );
    expect(record).toMatchObject({ target: { id: 'ALL_PROVISIONED_ACCOUNTS' }, failureReason: 'throttled' });
    expect(record).not.toHaveProperty('requestId');
    expect(record).not.toHaveProperty('kind');
  });
});
