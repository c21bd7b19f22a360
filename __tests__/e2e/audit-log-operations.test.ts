// Every operation that writes takes `audit-log`: a revoke, a provision and a reconcile each write
// their first record before their first write and a record per change, read back from the
// emulator's S3 through the bundled step.
import { describe, expect, it } from '@jest/globals';
import { awsAssignment, awsInputs, runMain, useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });
const { reconcile, group } = awsReconcileWorkspace(emulator, 'audit-log-reconcile-');
const AUDIT = { 'audit-log': 's3://audit/ops' };

/** Each record's change and, when it names one, its target. */
const records = () =>
  emulator()
    .aws.s3.objects('audit', 'ops/')
    .map(
      ([, o]) =>
        JSON.parse(o.body) as {
          change: string;
          target?: { id: string };
          requestId?: string;
          plannedCount?: number;
          planned?: { role: string }[];
        },
    );

describe('audit-log on every operation that writes', () => {
  it('a revoke: its plan, then the revoke with its request ID', async () => {
    emulator().aws.s3.createBucket('audit');
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    const step = await runMain(
      awsInputs({
        operation: 'revoke',
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        ...AUDIT,
      }),
    );
    expect(step.exitCode).toBe(0);
    expect(records().map((r) => r.change)).toEqual(['plan', 'revoke']);
    expect(records()[1]).toMatchObject({ target: { id: '111111111111' }, requestId: expect.any(String) });
  });

  it('a provision: its plan, then each ProvisionPermissionSet request', async () => {
    emulator().aws.s3.createBucket('audit');
    const arn = emulator().aws.permissionSetArn('ReadOnlyAccess');
    for (const accountId of ['111111111111', '222222222222'])
      emulator().aws.addAssignment({ ...awsAssignment(accountId), permissionSetArn: arn });
    emulator().aws.markOutdated(arn, ['222222222222']);
    const step = await runMain(
      awsInputs({
        operation: 'provision',
        role: 'ReadOnlyAccess',
        target: 'ALL_PROVISIONED_ACCOUNTS',
        ...AUDIT,
      }),
    );
    expect(step.exitCode).toBe(0);
    expect(records().map((r) => [r.change, r.target?.id])).toEqual([
      ['plan', undefined],
      ['provision', '222222222222'],
    ]);
  });

  it('a provision of several permission sets: its plan lists each before the first request', async () => {
    emulator().aws.s3.createBucket('audit');
    const arns = ['ReadOnlyAccess', 'ViewOnlyAccess'].map((name) => emulator().aws.permissionSetArn(name));
    for (const arn of arns) {
      emulator().aws.addAssignment({ ...awsAssignment('111111111111'), permissionSetArn: arn });
      emulator().aws.markOutdated(arn, ['111111111111']);
    }
    const step = await runMain(
      awsInputs({
        operation: 'provision',
        role: 'ReadOnlyAccess,ViewOnlyAccess',
        target: 'ALL_PROVISIONED_ACCOUNTS',
        'max-concurrency': '1',
        ...AUDIT,
      }),
    );
    expect(step.exitCode).toBe(0);
    const [plan, ...changes] = records();
    expect(plan).toMatchObject({ change: 'plan', plannedCount: 2 });
    expect(plan!.planned!.map((p) => p.role).sort()).toEqual([...arns].sort());
    expect(changes.map((r) => r.change)).toEqual(['provision', 'provision']);
  });

  it('a reconcile: its plan listing every write, then each create and delete', async () => {
    emulator().aws.s3.createBucket('audit');
    emulator().aws.addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(
      `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
  assignments:
    - principal: [Deployers]
      principal-type: GROUP
      role: ReadOnlyAccess
      target: 111111111111
`,
      AUDIT,
    );
    expect(step.exitCode).toBe(0);
    const [plan, ...changes] = records();
    expect(plan).toMatchObject({ change: 'plan', plannedCount: 2 });
    expect(changes.map((r) => r.change).sort()).toEqual(['reconcile-create', 'reconcile-delete']);
  });
});
