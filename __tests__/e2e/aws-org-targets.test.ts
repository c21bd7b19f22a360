// AWS targets by organizational unit, root and OU path, end to end: the bundled steps run as the
// runner runs them, against the emulator's Organizations (its default tree: Root holds
// 123456789012; Root/Workloads/Prod 111111111111 and 222222222222; Root/Workloads/Dev
// 333333333333 and 444444444444, SUSPENDED; Root/Sandbox, empty).
import { describe, expect, it } from '@jest/globals';
import { awsAssignment, awsInputs, resultsOf, runMain, runPost, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });
const main = (inputs: Record<string, string>) =>
  runMain(awsInputs({ principal: 'alice', role: 'ReadOnlyAccess', ...inputs }));
const org = () => emulator().aws.organization;
const has = (accountId: string) => emulator().aws.hasAssignment(awsAssignment(accountId));
const writes = () => emulator().requests.filter((r) => r.write);
const orgCalls = () => emulator().requests.filter((r) => r.service === 'organizations');

describe('an OU target grants in every ACTIVE account under it', () => {
  it('by OU path: every account at any depth, the suspended one left out and named, the expansion in the summary', async () => {
    const step = await main({ target: 'Root/Workloads' });
    expect(step.exitCode).toBe(0);
    expect(resultsOf(step).map((r) => r.target)).toEqual(['111111111111', '222222222222', '333333333333']);
    for (const account of ['111111111111', '222222222222', '333333333333']) expect(has(account)).toBe(true);
    expect(has('444444444444')).toBe(false);
    expect(step.summary).toContain('Targets expanded with AWS Organizations');
    expect(step.summary).toContain(
      `Root/Workloads (${org().ouId('Root/Workloads')}): 3 accounts: 111111111111, 222222222222, 333333333333`,
    );
    expect(step.summary).toContain('left out: 444444444444 (account-444444444444): SUSPENDED, not ACTIVE');
    expect(step.stdout).toContain('left out (not ACTIVE): 444444444444');
  });

  it('by OU ID, and by the root ID: the root means every account of the organization', async () => {
    const byId = await main({ target: org().ouId('Root/Workloads/Prod') });
    expect(byId.exitCode).toBe(0);
    expect(resultsOf(byId).map((r) => r.target)).toEqual(['111111111111', '222222222222']);
    // An OU ID is shown with its name (DescribeOrganizationalUnit).
    expect(byId.summary).toContain(
      `${org().ouId('Root/Workloads/Prod')} (Prod): 2 accounts: 111111111111, 222222222222`,
    );
    const byRoot = await main({ target: 'r-emu1', 'dry-run': 'true' });
    expect(byRoot.exitCode).toBe(0);
    expect(
      resultsOf(byRoot)
        .map((r) => r.target)
        .sort(),
    ).toEqual(['111111111111', '123456789012', '222222222222', '333333333333']);
  });

  it('overlapping targets and an account also named by ID collapse to one grant per account', async () => {
    const step = await main({
      target: `Root/Workloads, ${org().ouId('Root/Workloads/Prod')}, 111111111111, Root/Workloads/Dev/`,
    });
    expect(step.exitCode).toBe(0);
    expect(resultsOf(step).map((r) => r.target)).toEqual(['111111111111', '222222222222', '333333333333']);
    // Each parent listed once, however many targets reach it.
    const listed = orgCalls()
      .filter((r) => r.operation === 'ListAccountsForParent')
      .map((r) => r.input?.ParentId);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('a dry run shows the expansion and writes nothing', async () => {
    const step = await main({ target: 'Root/Workloads/Dev', 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(writes()).toEqual([]);
    expect(step.summary).toContain('1 account would be used in all');
    expect(step.summary).toContain('333333333333');
    expect(step.summary).toContain('would create');
  });

  it('revoke by OU removes the assignments in its accounts', async () => {
    for (const account of ['111111111111', '222222222222'])
      emulator().aws.addAssignment(awsAssignment(account));
    const step = await main({ target: 'Root/Workloads/Prod', operation: 'revoke' });
    expect(step.exitCode).toBe(0);
    expect(has('111111111111')).toBe(false);
    expect(has('222222222222')).toBe(false);
  });
});

describe('revoke-on-exit revokes the accounts the main step granted', () => {
  it('even when an account moved to another OU during the job', async () => {
    const inputs = { target: 'Root/Workloads/Prod', 'revoke-on-exit': 'true' };
    const granted = await main(inputs);
    expect(granted.exitCode).toBe(0);
    // 222222222222 leaves Prod; 555555555555 joins it.
    org().seed({
      units: {
        Workloads: { units: { Prod: { accounts: ['111111111111', '555555555555'] } } },
        Elsewhere: { accounts: ['222222222222'] },
      },
    });
    const before = emulator().requests.length;
    const revoked = await runPost(
      awsInputs({ principal: 'alice', role: 'ReadOnlyAccess', ...inputs }),
      granted.state,
    );
    expect(revoked.exitCode).toBe(0);
    expect(has('111111111111')).toBe(false);
    expect(has('222222222222')).toBe(false);
    expect(revoked.stdout).toContain('revoke-on-exit: 2 revoked');
    // The post step reads no organization: it acts on the saved accounts.
    expect(
      emulator()
        .requests.slice(before)
        .filter((r) => r.service === 'organizations'),
    ).toEqual([]);
  });
});

describe('bad OU targets fail before any write, naming the target', () => {
  it('an OU ID of the wrong shape is an input error, with no request at all', async () => {
    const step = await main({ target: 'ou-AB12-cd34ef56' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('input `target`: `ou-AB12-cd34ef56` is not an organizational unit ID');
    expect(emulator().requests.filter((r) => r.service !== 'github')).toEqual([]);
  });

  it('an unknown path says where it stopped and suggests the nearest name', async () => {
    const step = await main({ target: 'Root/Workloads/Prd' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('target `Root/Workloads/Prd`: Root/Workloads has no OU named `Prd`');
    expect(step.stdout).toContain('did you mean `Prod`');
    expect(writes()).toEqual([]);
  });

  it('a transposed OU name (`Prdo`) is offered the right one', async () => {
    const step = await main({ target: 'Root/Workloads/Prdo' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('did you mean `Prod`');
    expect(writes()).toEqual([]);
  });

  it("another organization's root is refused", async () => {
    const step = await main({ target: 'r-zz99' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain(
      'target `r-zz99` is not the root of this organization, whose root is r-emu1',
    );
    expect(writes()).toEqual([]);
  });

  it('an empty OU alone is an error; beside others it is a warning', async () => {
    const alone = await main({ target: 'Root/Sandbox' });
    expect(alone.exitCode).toBe(1);
    expect(alone.stdout).toContain('no ACTIVE account is under `Root/Sandbox`');
    expect(writes()).toEqual([]);
    const beside = await main({ target: 'Root/Sandbox, Root/Workloads/Prod', 'dry-run': 'true' });
    expect(beside.exitCode).toBe(0);
    expect(beside.stdout).toContain('::warning::target `Root/Sandbox`: no ACTIVE account is under it');
  });

  it('AccessDenied names the Organizations permissions and the management or delegated-admin account', async () => {
    emulator().aws.faults.accessDenied = ['ListRoots'];
    const step = await main({ target: 'Root/Workloads' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('organizations:ListRoots was denied');
    expect(step.stdout).toContain('`organizations:ListAccountsForParent`');
    expect(step.stdout).toContain('management account or in a delegated administrator account');
    expect(writes()).toEqual([]);
  });
});

describe('provision by OU', () => {
  it('re-provisions the accounts under the OU', async () => {
    const ps = emulator().aws.permissionSetArn('ReadOnlyAccess');
    emulator().aws.markOutdated(ps, ['111111111111', '333333333333']);
    const step = await runMain(
      awsInputs({ operation: 'provision', role: 'ReadOnlyAccess', target: 'Root/Workloads/Prod' }),
    );
    expect(step.exitCode).toBe(0);
    const accounts = emulator().aws.provisionedAccounts(ps);
    expect(accounts.find((a) => a.accountId === '111111111111')?.current).toBe(true);
    expect(accounts.find((a) => a.accountId === '333333333333')?.current).toBe(false);
  });
});
