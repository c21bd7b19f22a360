// The record of one change of a permission set a reconcile's manifest defines (its create, update,
// delete or provisioning), and the step's first record listing the set changes it is about to
// make beside the assignment writes.
import { describe, expect, it } from '@jest/globals';
import { AUDITED_RUN } from '../../harness/audited-grant.js';
import { plannedSetEntry, setChangeRecord } from '../../../src/aws/permission-sets/set-change-record.js';
import { planRecord, stepRecord } from '../../../src/engine/audit/record.js';

describe('a permission-set change record', () => {
  const step = { step: 'main' as const, operation: 'reconcile' as const, run: AUDITED_RUN };
  const ARN = 'arn:aws:sso:::permissionSet/ssoins-1/ps-1';

  it('names the set by name and ARN, the change and its status, and no kind', () => {
    const record = stepRecord(
      step,
      setChangeRecord({ change: 'permission-set-update', name: 'ReadOnly', arn: ARN, status: 'SUCCEEDED' }),
      2,
      new Date(0),
    );
    expect(record).toEqual({
      version: 1,
      n: 2,
      time: '1970-01-01T00:00:00.000Z',
      step: 'main',
      operation: 'reconcile',
      run: AUDITED_RUN,
      change: 'permission-set-update',
      cloud: 'aws',
      role: { id: ARN, name: 'ReadOnly' },
      status: 'SUCCEEDED',
    });
  });

  it("names a provisioning's accounts, and each that failed with the service's reason", () => {
    const record = stepRecord(
      step,
      setChangeRecord({
        change: 'provision',
        name: 'ReadOnly',
        arn: ARN,
        accounts: ['111111111111', '222222222222'],
        status: 'FAILED',
        failureReason: 'provisioning failed in 1 account',
        failedAccounts: [{ account: '222222222222', reason: 'AccessDenied' }],
      }),
      3,
      new Date(0),
    );
    expect(record).toMatchObject({
      change: 'provision',
      role: { id: ARN, name: 'ReadOnly' },
      accounts: ['111111111111', '222222222222'],
      failedAccounts: [{ account: '222222222222', reason: 'AccessDenied' }],
      status: 'FAILED',
      failureReason: 'provisioning failed in 1 account',
    });
  });

  it('names a create that failed by its name alone, for it has no ARN', () => {
    const record = stepRecord(
      step,
      setChangeRecord({
        change: 'permission-set-create',
        name: 'ReadOnly',
        status: 'FAILED',
        failureReason: 'ConflictException',
      }),
      4,
      new Date(0),
    );
    expect(record.role).toEqual({ name: 'ReadOnly' });
    expect(record).not.toHaveProperty('accounts');
  });
});

describe("the step's first record, with set changes planned", () => {
  const step = { step: 'main' as const, operation: 'reconcile' as const, run: AUDITED_RUN };

  it('lists the set changes the step is about to make beside its assignment writes', () => {
    const record = stepRecord(
      step,
      planRecord(
        'assign',
        [{ principal: 'alice', target: '111111111111', role: 'ReadOnly', kind: 'active' }],
        [
          plannedSetEntry({ change: 'permission-set-create', name: 'ReadOnly' }),
          plannedSetEntry({
            change: 'provision',
            name: 'Admin',
            arn: 'arn:ps-2',
            accounts: ['111111111111'],
          }),
        ],
      ),
      1,
      new Date(0),
    );
    expect(record.plannedCount).toBe(1);
    expect(record).toHaveProperty('plannedPermissionSets', [
      { change: 'permission-set-create', name: 'ReadOnly' },
      { change: 'provision', name: 'Admin', arn: 'arn:ps-2', accounts: ['111111111111'] },
    ]);
  });

  it('says nothing of sets when none is planned', () => {
    const record = stepRecord(step, planRecord('assign', []), 1, new Date(0));
    expect(record).not.toHaveProperty('plannedPermissionSets');
  });
});
