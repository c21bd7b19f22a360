// `operation: provision`: the request plan, and runs over a fake IAM Identity Center.
import { describe, expect, it } from '@jest/globals';
import { createAwsProvisioner } from '../../src/aws/index.js';
import { chooseProvisionPlan, planProvision, summariseProvision } from '../../src/aws/provision-plan.js';
import { ADMIN, FakeSsoAdmin, READ_ONLY, awsPlan, fakeDeps } from './fake-sso.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const D = '444444444444';

describe('chooseProvisionPlan', () => {
  const many = Array.from({ length: 3000 }, (_, i) => String(i).padStart(12, '0'));
  it.each([
    ['nothing outdated', 'none', [], 4, true],
    ['3 of 4 outdated, all asked', 'all-provisioned-accounts', [A, B, C], 4, true],
    // Half, not more than half, are outdated: per account.
    ['2 of 4 outdated, all asked', 'per-account', [A, B], 4, true],
    // One outdated account: one request either way, and per account touches only it.
    ['1 of 1 outdated, all asked', 'per-account', [A], 1, true],
    // The accounts were listed: ALL_PROVISIONED_ACCOUNTS would reach others.
    ['3 of 4 outdated, listed', 'per-account', [A, B, C], 4, false],
    // ALL_PROVISIONED_ACCOUNTS reaches at most 3,500 accounts.
    ['3,000 of 3,501 outdated, all asked', 'per-account', many, 3501, true],
  ])('%s → %s', (_case, mode, outdated, provisioned, allAsked) => {
    expect(chooseProvisionPlan(outdated, provisioned, allAsked)).toEqual({ mode, accounts: outdated });
  });
});

describe('planProvision', () => {
  it('only outdated accounts in scope, the current ones reported as such', () => {
    expect(planProvision({ allAsked: false, targets: [A, C, D], onlyOutdated: true }, [A, B], [C])).toEqual({
      choice: { mode: 'per-account', accounts: [A] },
      detail: { requestPlan: 'per-account', outdated: [A], alreadyCurrent: [C] },
    });
  });

  it('every account asked when only-outdated is false, naming those not provisioned before', () => {
    expect(planProvision({ allAsked: false, targets: [A, C, D], onlyOutdated: false }, [A, B], [C])).toEqual({
      choice: { mode: 'per-account', accounts: [A, C, D] },
      detail: { requestPlan: 'per-account', outdated: [A], alreadyCurrent: [], notProvisionedBefore: [D] },
    });
  });
});

describe('summariseProvision', () => {
  it('after one ALL_PROVISIONED_ACCOUNTS request, the accounts still outdated are the failed ones', () => {
    const summary = summariseProvision(
      [{ account: 'ALL_PROVISIONED_ACCOUNTS', requestId: 'r-1', status: 'SUCCEEDED' }],
      { mode: 'all-provisioned-accounts', accounts: [A, B, C] },
      new Set([B]),
      60,
    );
    expect(summary).toMatchObject({
      status: 'FAILED',
      changed: true,
      requestId: 'r-1',
      reprovisioned: [A, C],
      failed: [{ account: B, reason: 'still outdated after ALL_PROVISIONED_ACCOUNTS provisioning' }],
      failureReason: `${B}: still outdated after ALL_PROVISIONED_ACCOUNTS provisioning`,
    });
  });

  it('requests still running at the deadline leave it IN_PROGRESS, naming them', () => {
    const summary = summariseProvision(
      [
        { account: A, requestId: 'r-1', status: 'SUCCEEDED' },
        { account: B, requestId: 'r-2', status: 'IN_PROGRESS' },
      ],
      { mode: 'per-account', accounts: [A, B] },
      undefined,
      60,
    );
    expect(summary).toMatchObject({
      status: 'IN_PROGRESS',
      changed: true,
      reprovisioned: [A],
      failureReason: 'still IN_PROGRESS when the 60s deadline passed: r-2',
    });
  });
});

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
