// A reconcile's plan names who gains and loses what: users and groups by their
// Identity Store names, permission sets by name, accounts by their Organizations names, beside
// the IDs, in the log, the job summary and the `results` output; and `drift-remaining` says what
// drift is left once the step is done.
import { describe, expect, it } from '@jest/globals';
import { awsInputs, forgedCommands, runMain, useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });
const { reconcile, group, writes, results } = awsReconcileWorkspace(emulator, 'reconcile-names-');
const aws = () => emulator().aws;
const user = (name: string, permissionSet: string, accountId = '111111111111') => ({
  ...group('Deployers', permissionSet, accountId),
  principalType: 'USER' as const,
  principalId: aws().userId(name),
});
const denyByPrincipal = () => (aws().faults.accessDenied = ['ListAccountAssignmentsForPrincipal']);
const requestsOf = (operation: string) => emulator().requests.filter((r) => r.operation === operation);

const OU_MANIFEST = `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
  assignments:
    - principal: Deployers
      principal-type: GROUP
      role: ReadOnlyAccess
      target: Root/Workloads/Prod
`;

describe('a manifest name the identity store does not hold', () => {
  it('a transposed user name (`alcie`) is offered the right one, once, on its line, and nothing is written', async () => {
    const step = await reconcile(`version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
  assignments:
    - principal: alcie
      principal-type: USER
      role: ReadOnlyAccess
      target: '111111111111'
`);
    expect(step.exitCode).toBe(1);
    const errors = step.errors.join('\n');
    expect(errors).toContain('`alcie`');
    expect(errors).toContain('did you mean `alice`?');
    expect(errors.match(/did you mean/g)).toHaveLength(1);
    expect(writes()).toEqual([]);
  });
});

describe('a reconcile plan names every principal, permission set and account it would change', () => {
  it('names a hand-made assignment to delete (alice), the accounts of an OU target and the permission set, in the log, the summary and the results', async () => {
    const alice = aws().userId('alice');
    aws().addAssignment(user('alice', 'ReadOnlyAccess', '222222222222'));
    const step = await reconcile(OU_MANIFEST, { 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 2,
      delete: 1,
      unchanged: 0,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    // The log's plan: who loses what, by name beside the IDs.
    expect(step.stdout).toContain(
      `delete: user alice (${alice}) / ReadOnlyAccess / account-222222222222 (222222222222)`,
    );
    expect(step.stdout).toContain(
      'create: group Deployers / ReadOnlyAccess / account-111111111111 (111111111111)',
    );
    // The summary's table, as HTML.
    expect(step.summary).toContain(`<td>user alice (${alice})</td>`);
    expect(step.summary).toContain('<td>account-222222222222 (222222222222)</td>');
    // The results: the names beside the text the row had (the ID, for a principal the file never names).
    const deleted = results(step.outputs).find((r) => r.action === 'delete')!;
    expect(deleted).toMatchObject({
      principal: alice,
      principalName: 'alice',
      role: 'ReadOnlyAccess',
      roleName: 'ReadOnlyAccess',
      target: '222222222222',
      targetName: 'account-222222222222',
    });
  });

  it('read by principal, the names come from the listing the read made: no Describe of its own', async () => {
    const accounts = Array.from({ length: 30 }, (_, i) => String(500000000000 + i));
    for (const a of accounts) aws().addAssignment(group('Platform', 'ReadOnlyAccess', a));
    const step = await reconcile(
      `version: 1\naws:\n  manages: {permission-sets: [ReadOnlyAccess]}\n  assignments:\n    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: '111111111111'}\n`,
      { 'dry-run': 'true', 'max-deletions': '30' },
    );
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/read: ListAccountAssignmentsForPrincipal/);
    expect(step.stdout).toContain(
      `delete: group Platform (${aws().groupId('Platform')}) / ReadOnlyAccess / 500000000000`,
    );
    expect([...requestsOf('DescribeUser'), ...requestsOf('DescribeGroup')]).toEqual([]);
  });

  it('read by place, a principal the file never names costs at most one Identity Store read, whatever its rows', async () => {
    denyByPrincipal();
    for (const a of ['111111111111', '222222222222', '333333333333'])
      aws().addAssignment(group('Platform', 'ReadOnlyAccess', a));
    aws().addAssignment(user('bob', 'ReadOnlyAccess'));
    const step = await reconcile(
      `version: 1\naws:\n  manages: {permission-sets: [ReadOnlyAccess]}\n  assignments:\n    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: '111111111111'}\n`,
      { 'dry-run': 'true' },
    );
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/read: ListAccountsForProvisionedPermissionSet/);
    expect(step.stdout).toContain(
      `delete: group Platform (${aws().groupId('Platform')}) / ReadOnlyAccess / 333333333333`,
    );
    expect(step.stdout).toContain(`delete: user bob (${aws().userId('bob')})`);
    // The pages that sized the other plan may have named them already; else a Describe each.
    expect(requestsOf('DescribeGroup').length).toBeLessThanOrEqual(1);
    expect(requestsOf('DescribeUser').length).toBeLessThanOrEqual(1);
  });

  it('a name the identity store sends that holds workflow commands or markup is shown inert', async () => {
    const hostile = aws().addGroup('x\n::warning::pwned ##[add-mask]y <b>z</b>');
    aws().addAssignment({ ...group('Platform', 'ReadOnlyAccess'), principalId: hostile });
    const step = await reconcile(OU_MANIFEST, { 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    expect(forgedCommands(step)).toEqual([]);
    expect(step.summary).not.toContain('<b>');
    expect(step.outputs.results).not.toContain('##[');
    expect(step.stdout).toContain(`(${hostile})`);
  });
});

describe('drift-remaining says what drift is left once the step is done', () => {
  const MANIFEST = `version: 1
aws:
  manages: {permission-sets: [ReadOnlyAccess, ViewOnlyAccess]}
  assignments:
    - {principal: [Deployers, Auditors], principal-type: GROUP, role: ReadOnlyAccess, target: '111111111111'}
`;

  it('an apply that succeeds: drift found, none remaining', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(MANIFEST);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.drift).toBe('true');
    expect(step.outputs['drift-remaining']).toBe('false');
  });

  it('a dry run leaves what it found', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(MANIFEST, { 'dry-run': 'true' });
    expect([step.outputs.drift, step.outputs['drift-remaining']]).toEqual(['true', 'true']);
  });

  it('a refused plan writes nothing and leaves the drift', async () => {
    for (const name of ['Platform', 'Deployers', 'Auditors'])
      aws().addAssignment(group(name, 'ViewOnlyAccess'));
    const step = await reconcile(MANIFEST, { 'max-deletions': '2' });
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect([step.outputs.drift, step.outputs['drift-remaining']]).toEqual(['true', 'true']);
  });

  it('a failed create leaves drift remaining, though the rest of the plan was written', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    aws().faults.failCreations = [
      { reason: 'IAM role quota reached', principalId: aws().groupId('Auditors') },
    ];
    const step = await reconcile(MANIFEST);
    expect(step.exitCode).not.toBe(0);
    expect([step.outputs.drift, step.outputs['drift-remaining']]).toEqual(['true', 'true']);
  });

  it('no drift found, none remaining', async () => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    aws().addAssignment(group('Auditors', 'ReadOnlyAccess'));
    const step = await reconcile(MANIFEST);
    expect([step.outputs.drift, step.outputs['drift-remaining']]).toEqual(['false', 'false']);
  });
});

describe('a name never passes for another kind of principal', () => {
  it("an Identity Store group named exactly like a user's user name is shown as a group, in the log and the summary", async () => {
    const lookalike = aws().addGroup('alice');
    const step = await reconcile(
      `version: 1\naws:\n  manages: {permission-sets: [AdministratorAccess]}\n  assignments:\n    - {principal: alice, principal-type: GROUP, role: AdministratorAccess, target: '111111111111'}\n`,
      { 'dry-run': 'true' },
    );
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain('create: group alice / AdministratorAccess / ');
    expect(step.stdout).toMatch(/^::group::\+ assign group alice → /m);
    expect(step.summary).toMatch(/<h4>Creates \(1\)<\/h4>\n<table>.*<tr><td>group alice<\/td>/);
    expect(results(step.outputs)[0]).toMatchObject({ principalType: 'GROUP' });
    expect(aws().groupId('alice')).toBe(lookalike);
  });
});

describe('assign names what the step read anyway', () => {
  it('a principal given by ID gets the name its confirmation read: principalName in the results and the log', async () => {
    const alice = aws().userId('alice');
    const step = await runMain(
      awsInputs({
        principal: alice,
        target: '111111111111',
        role: aws().permissionSetArn('ReadOnlyAccess'),
      }),
    );
    expect(step.exitCode).toBe(0);
    expect(results(step.outputs)[0]).toMatchObject({ principal: alice, principalName: 'alice' });
    expect(step.stdout).toContain(`assign user alice (${alice}) → 111111111111`);
    expect([...requestsOf('DescribeUser'), ...requestsOf('ListUsers')]).toHaveLength(1);
  });
});
