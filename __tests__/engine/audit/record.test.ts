// What a step's first record says of the grants it is about to change (a grant's own record:
// ./grant-record.test.ts). Its key: ./key.test.ts.
import { describe, expect, it } from '@jest/globals';
import { AUDITED_RUN } from '../../harness/audited-grant.js';
import { planRecord, stepRecord } from '../../../src/engine/audit/record.js';

const run = AUDITED_RUN;
const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg';

describe('a step’s first record', () => {
  it('gives each grant it lists its kind, none to a provisioning, and itself none', () => {
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    const at = new Date(0);
    const grants = [
      { principal: 'alice', target: SCOPE, role: 'Reader', kind: 'eligible' as const },
      { principal: 'bob', target: SCOPE, role: 'Reader', kind: 'active' as const },
    ];
    const plan = stepRecord(step, planRecord('assign', grants), 1, at);
    expect(plan).not.toHaveProperty('kind');
    expect(plan.planned).toEqual(grants);
    const provision = stepRecord(
      { ...step, operation: 'provision' },
      planRecord('provision', [
        {
          principal: '',
          target: 'ALL_PROVISIONED_ACCOUNTS',
          role: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
        },
      ]),
      1,
      at,
    );
    expect(provision.planned![0]).not.toHaveProperty('kind');
  });

  it('lists each kind plan’s changes under its kind’s own list: its change, its name, then its kind’s fields that have a value', () => {
    const step = { step: 'main' as const, operation: 'reconcile' as const, run };
    const plan = stepRecord(
      step,
      planRecord(
        'assign',
        [],
        [
          {
            list: 'plannedRoleDefinitions',
            change: 'create',
            name: 'Deployer',
            fields: { scope: SCOPE, id: undefined },
          },
          { list: 'plannedGroups', change: 'delete', name: 'admins' },
          { list: 'plannedRoleDefinitions', change: 'delete', name: 'Old', fields: { id: 'def-1' } },
        ],
      ),
      1,
      new Date(0),
    );
    expect(JSON.stringify(plan)).toContain(
      JSON.stringify({
        plannedCount: 0,
        plannedRoleDefinitions: [
          { change: 'create', name: 'Deployer', scope: SCOPE },
          { change: 'delete', name: 'Old', id: 'def-1' },
        ],
        plannedGroups: [{ change: 'delete', name: 'admins' }],
      }).slice(1, -1),
    );
    expect(stepRecord(step, planRecord('assign', []), 1, new Date(0))).not.toHaveProperty(
      'plannedRoleDefinitions',
    );
  });
});
