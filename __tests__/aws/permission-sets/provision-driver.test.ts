// `operation: provision` over the emulated IAM Identity Center: the AWS provisioning driver, run as
// the provision step is handed it (createAwsProvisioning).
import { describe, expect, it } from '@jest/globals';
import { createAwsProvisioning } from '../../../src/aws/index.js';
import type { PermissionSetTarget } from '../../../src/aws/permission-sets/provision-driver.js';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { ADMIN, READ_ONLY, awsPlan, emulatedDeps, emulatedSso } from '../../harness/emulated-sso.js';

const sso = emulatedSso();

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const D = '444444444444';

/** The provisioning as the provision step is handed it, over the driver. */
function setUp(inputs: Record<string, string>) {
  const plan = awsPlan({ operation: 'provision', principal: '', ...inputs }) as ConfigOf<'provision'>;
  const { deps, seams } = emulatedDeps(sso);
  const { provisioning } = createAwsProvisioning(plan, deps, seams);
  const provision = async (permissionSet: PermissionSetTarget) => {
    const [result] = await provisioning.provision([permissionSet], {
      accounts: plan.provision.accounts,
      onlyOutdated: plan.onlyOutdated,
      dryRun: plan.dryRun,
      wait: plan.wait,
      maxConcurrency: plan.maxConcurrency,
      deadline: deps.deadline,
    });
    return result!;
  };
  return { sso, provisioning, asked: plan.provision.permissionSets, provision };
}

describe('AwsProvisioningDriver', () => {
  it('re-provisions each outdated account asked, one request each, and waits for them', async () => {
    const { sso, provisioning, asked, provision } = setUp({
      target: `${A},${B},${C}`,
      role: 'ReadOnlyAccess',
    });
    sso.pageSize(1);
    sso.provision(READ_ONLY, { [A]: 'outdated', [B]: 'outdated', [C]: 'current', [D]: 'outdated' });
    await provisioning.prepare();
    const [readOnly] = await provisioning.permissionSets(asked);
    expect(readOnly).toEqual({ arn: READ_ONLY, name: 'ReadOnlyAccess' });
    const result = await provision(readOnly!);
    expect(result).toMatchObject({
      cloud: 'aws',
      operation: 'provision',
      principal: '',
      target: `${A},${B},${C}`,
      role: 'ReadOnlyAccess',
      status: 'SUCCEEDED',
      changed: true,
      change: 'provision',
      resolved: { cloud: 'aws', principalId: '', accountId: `${A},${B},${C}`, roleId: READ_ONLY },
      detail: {
        requestPlan: 'per-account',
        outdated: [A, B],
        alreadyCurrent: [C],
        reprovisioned: [A, B],
        failed: [],
      },
    });
    expect(result.failureReason).toBeUndefined();
    expect(sso.inputsOf('ProvisionPermissionSet').map((i) => [i.TargetType, i.TargetId])).toEqual([
      ['AWS_ACCOUNT', A],
      ['AWS_ACCOUNT', B],
    ]);
    // Every page of both lists: 3 outdated and 1 current account, one a page.
    expect(sso.count('ListAccountsForProvisionedPermissionSet')).toBe(3 + 1);
    expect(sso.provisioningStatus(READ_ONLY, D)).toBe('LATEST_PERMISSION_SET_NOT_PROVISIONED');
  });

  it('sends one ALL_PROVISIONED_ACCOUNTS request when most accounts are outdated', async () => {
    const { sso, provisioning, provision } = setUp({ target: 'ALL_PROVISIONED_ACCOUNTS', role: READ_ONLY });
    sso.provision(READ_ONLY, { [A]: 'outdated', [B]: 'outdated', [C]: 'current' });
    await provisioning.prepare();
    const result = await provision({ arn: READ_ONLY, name: 'ReadOnlyAccess' });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      detail: { requestPlan: 'all-provisioned-accounts', reprovisioned: [A, B], failed: [] },
    });
    expect(sso.inputsOf('ProvisionPermissionSet')).toEqual([
      {
        InstanceArn: expect.any(String),
        PermissionSetArn: READ_ONLY,
        TargetType: 'ALL_PROVISIONED_ACCOUNTS',
      },
    ]);
  });

  it('plans without writing on a dry run', async () => {
    const { sso, provisioning, provision } = setUp({ target: A, role: READ_ONLY, 'dry-run': 'true' });
    sso.provision(READ_ONLY, { [A]: 'outdated' });
    await provisioning.prepare();
    const result = await provision({ arn: READ_ONLY, name: 'ReadOnlyAccess' });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      changed: false,
      change: 'provision',
      detail: { requestPlan: 'per-account', wouldProvision: [A] },
    });
    expect(sso.count('ProvisionPermissionSet')).toBe(0);
  });

  it('fails an account whose request is denied, with the fix', async () => {
    const { sso, provisioning, provision } = setUp({ target: A, role: READ_ONLY });
    sso.provision(READ_ONLY, { [A]: 'outdated' });
    sso.failNext('ProvisionPermissionSet', 'AccessDeniedException', 400, 'not allowed');
    await provisioning.prepare();
    const result = await provision({ arn: READ_ONLY, name: 'ReadOnlyAccess' });
    expect(result.status).toBe('FAILED');
    expect(result.failureReason).toMatch(
      new RegExp(
        `^${A}: ProvisionPermissionSet was denied: not allowed \\(request ${sso.requestIdOf('ProvisionPermissionSet')}\\): allow \`sso:ProvisionPermissionSet\``,
      ),
    );
    expect(result.detail?.failed).toHaveLength(1);
  });

  it('lists every permission set for `*`', async () => {
    const { provisioning, asked } = setUp({ target: A, role: '*' });
    await provisioning.prepare();
    expect(await provisioning.permissionSets(asked)).toEqual([
      { arn: READ_ONLY, name: 'ReadOnlyAccess' },
      { arn: ADMIN, name: 'AdministratorAccess' },
    ]);
    expect(provisioning.stats.calls).toEqual({ ListPermissionSets: 1, DescribePermissionSet: 2 });
  });

  it('shows an ARN by its name with one describe, not one per permission set of the instance', async () => {
    for (let i = 1; i <= 10; i++) sso.emulator.aws.addPermissionSet(`Set${i}`);
    const set10 = sso.emulator.aws.permissionSetArn('Set10');
    const { provisioning, asked } = setUp({ target: A, role: set10 });
    await provisioning.prepare();
    expect(await provisioning.permissionSets(asked)).toEqual([{ arn: set10, name: 'Set10' }]);
    expect(provisioning.stats.calls).toEqual({ ListPermissionSets: 1, DescribePermissionSet: 1 });
  });
});
