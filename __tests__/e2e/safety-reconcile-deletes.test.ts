// A reconcile under attack, AWS: the deletes of a reconcile a security reviewer must be able to trust
// (items 1, 7, 8 and 10). Each `describe` is an attack that once deleted a grant the action must
// never delete, or misled; each is now refused or held, through the bundle as the runner runs it.
import { describe, expect, it } from '@jest/globals';
import { awsInputs, runMain, useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 200 });
const { reconcile, group, writes, results } = awsReconcileWorkspace(emulator, 'reconcile-deletes-');
const aws = () => emulator().aws;
const user = (name: string, permissionSet: string, accountId = '111111111111') => ({
  ...group('Deployers', permissionSet, accountId),
  principalType: 'USER' as const,
  principalId: aws().userId(name),
});

describe('a group’s ID listed without `principal-type: GROUP` is an error on its line, never a delete', () => {
  const listedAsUser = (id: string) => `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
  assignments:
    - principal: Auditors
      principal-type: GROUP
      role: ReadOnlyAccess
      target: '111111111111'
    - principal: ${id}
      role: ReadOnlyAccess
      target: '111111111111'
`;

  it('in the manifest: the group keeps its assignment, and the fix is named at the line', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    const step = await reconcile(listedAsUser(aws().groupId('Deployers')));
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess'))).toBe(true);
    expect(step.stdout).toContain('::error file=access.yml,line=10::');
    expect(step.errors.join('\n')).toMatch(
      /is a group of identity store .*, not a user .*set `principal-type: GROUP`/,
    );
  });

  it('an ID the identity store holds as neither is an error too; a user’s ID as a USER plans as before', async () => {
    const unknown = 'd6f0e2a4-1b3c-4d5e-8f90-123456789abc';
    const step = await reconcile(listedAsUser(unknown));
    expect(step.exitCode).not.toBe(0);
    expect(step.errors.join('\n')).toMatch(/is neither a user nor a group of identity store/);
    const fine = await reconcile(listedAsUser(aws().userId('alice')), { 'dry-run': 'true' });
    expect(fine.exitCode).toBe(0);
    expect(JSON.parse(fine.outputs.plan!)).toMatchObject({ create: 2, delete: 0 });
  });

  it('the results say which type each change wrote', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    const step = await reconcile(listedAsUser(aws().userId('alice')), { 'max-deletions': '1' });
    expect(step.exitCode).toBe(0);
    expect(results(step.outputs).map((r) => [r.operation, r.principalType, r.status])).toEqual([
      ['assign', 'GROUP', 'SUCCEEDED'],
      ['assign', 'USER', 'SUCCEEDED'],
      ['revoke', 'GROUP', 'SUCCEEDED'],
    ]);
    expect(aws().hasAssignment(user('alice', 'ReadOnlyAccess'))).toBe(true);
  });

  it('in the inputs: `principal` a group’s ID with the default type fails naming the input, before any write', async () => {
    const step = await runMain(
      awsInputs({ principal: aws().groupId('Deployers'), target: '111111111111', role: 'ReadOnlyAccess' }),
    );
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(step.errors.join('\n')).toMatch(
      /`principal`.*is a group of identity store.*`principal-type: GROUP`/s,
    );
    const asGroup = await runMain(
      awsInputs({
        principal: aws().groupId('Deployers'),
        'principal-type': 'GROUP',
        target: '111111111111',
        role: 'ReadOnlyAccess',
      }),
    );
    expect(asGroup.exitCode).toBe(0);
    expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess'))).toBe(true);
  });
});

describe('an account an OU entry holds but expansion leaves out (SUSPENDED) is not deleted from', () => {
  it('with no `manages.targets`, the suspended account’s assignment stays, and the plan names it', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess', '444444444444')); // Root/Workloads/Dev, SUSPENDED
    aws().addAssignment(group('Platform', 'ReadOnlyAccess', '333333333333')); // ACTIVE, dropped from the file
    const step = await reconcile(`version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
  assignments:
    - principal: Deployers
      principal-type: GROUP
      role: ReadOnlyAccess
      target: Root/Workloads
`);
    expect(step.exitCode).toBe(0);
    expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess', '444444444444'))).toBe(true);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess', '333333333333'))).toBe(false);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ delete: 1, unmanaged: 1 });
    expect(step.stdout).toMatch(/not deleted from: 444444444444.*SUSPENDED/);
    expect(step.summary).toMatch(/not deleted from: 444444444444/);
  });
});

describe('deletes that would leave the section managing nothing wait for a create that SUCCEEDED', () => {
  const cutToOne = `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
  assignments:
    - principal: Auditors
      principal-type: GROUP
      role: ReadOnlyAccess
      target: '111111111111'
`;

  it('a manifest cut to one new entry whose create FAILS deletes nothing', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess', '222222222222'));
    aws().faults.failCreations = [
      { reason: 'IAM role quota reached', principalId: aws().groupId('Auditors') },
    ];
    const step = await reconcile(cutToOne);
    expect(step.exitCode).not.toBe(0);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(true);
    expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess', '222222222222'))).toBe(true);
    expect(writes().map((w) => w.operation)).toEqual(['CreateAccountAssignment']);
    expect(step.errors.join('\n')).toMatch(
      /2 delete\(s\) did not run: no create succeeded, and they would leave the `aws` section managing nothing/,
    );
  });

  it('when the create SUCCEEDS, the deletes run, and only after it', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(cutToOne);
    expect(step.exitCode).toBe(0);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(false);
    const created = [...aws().state.creations.values()].find((r) => r.status === 'SUCCEEDED')!;
    const deleteSent = emulator().requests.find((r) => r.operation === 'DeleteAccountAssignment')!;
    expect(deleteSent.at).toBeGreaterThanOrEqual(created.completesAt);
  });

  it('one create that SUCCEEDED is enough: the deletes run though another create FAILED', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    aws().faults.failCreations = [
      { reason: 'IAM role quota reached', principalId: aws().groupId('Auditors') },
    ];
    const step = await reconcile(cutToOne.replace('principal: Auditors', 'principal: [Auditors, Deployers]'));
    expect(step.exitCode).not.toBe(0);
    expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess'))).toBe(true);
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(false);
    expect(step.errors.join('\n')).toMatch(/IAM role quota reached/);
    expect(step.errors.join('\n')).not.toMatch(/did not run/);
  });

  it('a dry run says the deletes wait for a create', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(cutToOne, { 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/the 1 delete\(s\) wait until a create has SUCCEEDED/);
    expect(step.summary).toMatch(/On apply, the 1 delete\(s\) wait until a create has SUCCEEDED/);
  });
});

describe('`aws.instance-arn` in the manifest and the `instance-arn` input must agree', () => {
  const withInstance = (arn: string) => `version: 1
aws:
  instance-arn: ${arn}
  manages:
    permission-sets: [ReadOnlyAccess]
  assignments:
    - principal: Auditors
      principal-type: GROUP
      role: ReadOnlyAccess
      target: '111111111111'
`;
  const other = 'arn:aws:sso:::instance/ssoins-0000000000000000';

  it('different values are an error naming both, before any request', async () => {
    const step = await reconcile(withInstance(other), { 'instance-arn': aws().state.instanceArn });
    expect(step.exitCode).not.toBe(0);
    expect(emulator().requests).toEqual([]);
    expect(step.stdout).toContain('::error file=access.yml,line=3::');
    const said = step.errors.join('\n');
    expect(said).toContain(other);
    expect(said).toContain(aws().state.instanceArn);
    expect(said).toMatch(/`instance-arn`/);
  });

  it('the same value in both runs', async () => {
    const step = await reconcile(withInstance(aws().state.instanceArn), {
      'instance-arn': aws().state.instanceArn,
      'dry-run': 'true',
    });
    expect(step.exitCode).toBe(0);
  });
});
