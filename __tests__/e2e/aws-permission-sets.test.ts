// `operation: reconcile` of a manifest that defines a permission set, end to end: the bundled main
// step, the manifest and its inline policy's file in the workspace, the emulator's IAM Identity
// Center behind the unmodified SDK. One flow: the set created and then assigned; its policy
// changed, shown as a line diff and provisioned; its definition dropped while its assignment stays,
// refused with the whole plan, as is the delete of a set it made once that is assigned outside what
// it manages.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 200 });
const { reconcile, workspace, writes, results } = awsReconcileWorkspace(emulator, 'reconcile-aws-sets-');
const ENV = { GITHUB_REPOSITORY: 'octo-org/infra' };

const manifest = (defined: boolean) =>
  [
    'version: 1',
    'aws:',
    '  manages: {permission-sets: [Engineers]}',
    ...(defined
      ? ['  permission-sets:', '    - name: Engineers', '      inline-policy: policies/engineers.json']
      : ['  permission-sets: []']),
    '  assignments:',
    "    - {principal: Deployers, principal-type: GROUP, role: Engineers, target: '111111111111'}",
  ].join('\n');

function policy(action: string) {
  mkdirSync(join(workspace, 'policies'), { recursive: true });
  writeFileSync(
    join(workspace, 'policies', 'engineers.json'),
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"${action}","Resource":"*"}]}`,
  );
}

const operations = () => writes().map((w) => w.operation);

describe('a manifest that defines the permission set it assigns', () => {
  it('creates it before its assignment, updates its policy with a diff as drift, and refuses its delete while assigned', async () => {
    policy('s3:Get*');
    const created = await reconcile(manifest(true), {}, ENV);
    expect(created.exitCode).toBe(0);
    expect(JSON.parse(created.outputs.plan!)).toMatchObject({
      create: 1,
      permissionSets: { create: 1, update: 0, delete: 0, provision: 0 },
    });
    expect(operations().indexOf('CreatePermissionSet')).toBeLessThan(
      operations().indexOf('CreateAccountAssignment'),
    );
    expect(results(created.outputs).map((r) => r.change ?? r.action)).toEqual(
      expect.arrayContaining(['permission-set-create', 'create']),
    );

    policy('ec2:Describe*');
    emulator().aws.s3.createBucket('audit');
    const updated = await reconcile(manifest(true), { 'audit-log': 's3://audit/sets' }, ENV);
    expect(updated.exitCode).toBe(0);
    expect(JSON.parse(updated.outputs.plan!)).toMatchObject({
      permissionSets: { create: 0, update: 1, delete: 0, provision: 1 },
    });
    expect(updated.stdout).toMatch(/~ update permission set Engineers/);
    // The job summary's table names the set, each change, and the accounts it was provisioned to.
    expect(updated.summary).toContain('<h4>Permission sets (2)</h4>');
    expect(updated.summary).toContain(
      '<td>Engineers</td><td>provision</td><td>111111111111</td><td>SUCCEEDED</td>',
    );
    // The set's content differed from the file: drift, and none left once the update SUCCEEDED.
    expect(updated.outputs.drift).toBe('true');
    expect(updated.outputs['drift-remaining']).toBe('false');
    expect(updated.stdout).toMatch(/\+ +"Action": "ec2:Describe\*"/);
    expect(operations().lastIndexOf('ProvisionPermissionSet')).toBeGreaterThan(
      operations().lastIndexOf('PutInlinePolicyToPermissionSet'),
    );
    // `audit-log`: the first record lists the set's changes; each change is then a record of its own.
    const records = emulator()
      .aws.s3.objects('audit', 'sets/')
      .map(([, o]) => JSON.parse(o.body) as Record<string, unknown>);
    const engineers = { id: emulator().aws.permissionSetArn('Engineers'), name: 'Engineers' };
    expect(records).toEqual([
      expect.objectContaining({
        change: 'plan',
        plannedPermissionSets: [
          { change: 'permission-set-update', name: 'Engineers', arn: engineers.id },
          { change: 'provision', name: 'Engineers', arn: engineers.id, accounts: ['111111111111'] },
        ],
      }),
      expect.objectContaining({ change: 'permission-set-update', role: engineers, status: 'SUCCEEDED' }),
      expect.objectContaining({
        change: 'provision',
        role: engineers,
        accounts: ['111111111111'],
        status: 'SUCCEEDED',
      }),
    ]);

    // A set this manifest made once, outside what it manages, still assigned where it does not read.
    const retired = emulator().aws.addPermissionSet('Retired', {
      'cloud-access:manifest': 'octo-org/infra:access.yml',
    });
    emulator().aws.addAssignment({
      accountId: '222222222222',
      permissionSetArn: retired,
      principalType: 'USER',
      principalId: emulator().aws.userId('alice'),
    });
    const before = writes().length;
    const refused = await reconcile(manifest(false), {}, ENV);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(
      /the permission set `Engineers` would be deleted while 1 assignment\(s\) of it remain/,
    );
    expect(refused.stdout + refused.stderr).toMatch(
      /the permission set `Retired` would be deleted while 1 assignment\(s\) of it remain: alice in 222222222222/,
    );
    expect(writes()).toHaveLength(before);
    // The summary says what the refused plan would have done to each set, whom it reaches, its lines folded.
    expect(refused.summary).toMatch(
      /<td>Retired<\/td><td>would delete; FAILED: not run, the plan was refused<\/td><td>provisioned to 1 account\(s\) \(222222222222\) and 1 principal\(s\) \([^)]*alice[^)]*\)<\/td><td><details>/,
    );
    expect(refused.summary).not.toMatch(/<td>permission-set-delete<\/td>/);
  });
});
