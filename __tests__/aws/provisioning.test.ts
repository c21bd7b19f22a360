// `operation: provision`: runs over a fake IAM Identity Center.
import { describe, expect, it } from '@jest/globals';
import { createAwsProvisioner } from '../../src/aws/index.js';
import { ADMIN, FakeSsoAdmin, READ_ONLY, awsPlan, fakeDeps } from './fake-sso.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const D = '444444444444';

function setUp(inputs: Record<string, string>) {
  const sso = new FakeSsoAdmin();
  const plan = awsPlan({ operation: 'provision', principal: '', ...inputs });
  const { deps, seams } = fakeDeps(sso);
  const { session, provisioner } = createAwsProvisioner(plan, plan.provision!, deps, seams);
  return { sso, session, provisioner };
}

describe('PermissionSetProvisioner', () => {
  it('re-provisions each outdated account asked, one request each, and waits for them', async () => {
    const { sso, session, provisioner } = setUp({ target: `${A},${B},${C}`, role: 'ReadOnlyAccess' });
    sso.pageSize = 1;
    sso.provision(READ_ONLY, { [A]: 'outdated', [B]: 'outdated', [C]: 'current', [D]: 'outdated' });
    await session.prepare();
    const [readOnly] = await provisioner.permissionSets();
    expect(readOnly).toEqual({ arn: READ_ONLY, name: 'ReadOnlyAccess' });
    const result = await provisioner.provision(readOnly!);
    expect(result).toMatchObject({
      cloud: 'aws',
      operation: 'provision',
      principal: '',
      target: `${A},${B},${C}`,
      role: 'ReadOnlyAccess',
      status: 'SUCCEEDED',
      changed: true,
      change: 'provision',
      resolved: { principalId: '', targetId: `${A},${B},${C}`, roleId: READ_ONLY },
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
    expect(sso.provisioned.get(READ_ONLY)?.get(D)).toBe('LATEST_PERMISSION_SET_NOT_PROVISIONED');
  });

  it('sends one ALL_PROVISIONED_ACCOUNTS request when most accounts are outdated', async () => {
    const { sso, session, provisioner } = setUp({ target: 'ALL_PROVISIONED_ACCOUNTS', role: READ_ONLY });
    sso.provision(READ_ONLY, { [A]: 'outdated', [B]: 'outdated', [C]: 'current' });
    await session.prepare();
    const result = await provisioner.provision({ arn: READ_ONLY, name: 'ReadOnlyAccess' });
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
    const { sso, session, provisioner } = setUp({ target: A, role: READ_ONLY, 'dry-run': 'true' });
    sso.provision(READ_ONLY, { [A]: 'outdated' });
    await session.prepare();
    const result = await provisioner.provision({ arn: READ_ONLY, name: 'ReadOnlyAccess' });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      changed: false,
      change: 'provision',
      detail: { requestPlan: 'per-account', wouldProvision: [A] },
    });
    expect(sso.count('ProvisionPermissionSet')).toBe(0);
  });

  it('fails an account whose request is denied, with the fix', async () => {
    const { sso, session, provisioner } = setUp({ target: A, role: READ_ONLY });
    sso.provision(READ_ONLY, { [A]: 'outdated' });
    sso.failNext('ProvisionPermissionSet', 'AccessDeniedException', 400, 'not allowed');
    await session.prepare();
    const result = await provisioner.provision({ arn: READ_ONLY, name: 'ReadOnlyAccess' });
    expect(result.status).toBe('FAILED');
    expect(result.failureReason).toMatch(
      new RegExp(
        `^${A}: ProvisionPermissionSet was denied: not allowed \\(request req-\\d+\\): allow \`sso:ProvisionPermissionSet\``,
      ),
    );
    expect(result.detail?.failed).toHaveLength(1);
  });

  it('lists every permission set for `*`', async () => {
    const { session, provisioner } = setUp({ target: A, role: '*' });
    await session.prepare();
    expect(await provisioner.permissionSets()).toEqual([
      { arn: READ_ONLY, name: 'ReadOnlyAccess' },
      { arn: ADMIN, name: 'AdministratorAccess' },
    ]);
    expect(session.stats.calls).toEqual({ ListPermissionSets: 1, DescribePermissionSet: 2 });
  });
});
