// `operation: reconcile` with `snapshot`, dry run, over a permission set the manifest defines, which
// the action's session fences opt in (beside aws-reconcile-fences.test.ts, in a file of its own so
// that jest runs them at once): the fence a delete would write, shown from the set's kept content.
import { describe, expect, it } from '@jest/globals';
import { useEmulator } from './fixture.js';
import { ENV, manifest } from './fences-manifest.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 0 });
const { reconcile } = awsReconcileWorkspace(emulator, 'reconcile-aws-fences-snapshot-');
const aws = () => emulator().aws;

const engineers = () => aws().permissionSetArn('Engineers');

describe('a dry-run reconcile with `snapshot` over a set the snapshot kept', () => {
  it('shows the fence its delete would write from the kept content, reading none of the set’s tags again', async () => {
    aws().s3.createBucket('fence-snapshots');
    const SNAPSHOT = { snapshot: 's3://fence-snapshots/reconcile' };
    // The first run makes the set; the second keeps it, its content and its tags, in the snapshot.
    for (let run = 0; run < 2; run++)
      expect((await reconcile(manifest('s3:Get*'), SNAPSHOT, ENV)).exitCode).toBe(0);
    // The set was made and tagged long before: CloudTrail's records of it are older than the read looks back.
    for (const event of aws().cloudTrail) event.at -= 2 * 3600_000;
    // Someone grants Engineers to Platform by hand, which the manifest does not: the plan's delete.
    aws().createAssignmentAs(
      {
        accountId: '111111111111',
        permissionSetArn: engineers(),
        principalType: 'GROUP',
        principalId: aws().groupId('Platform'),
      },
      { principalArn: 'arn:aws:iam::123456789012:user/admin' },
    );
    const from = emulator().requests.length;
    const dry = await reconcile(manifest('s3:Get*'), { ...SNAPSHOT, 'dry-run': 'true' }, ENV);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/::notice::snapshot: read from s3:\/\/fence-snapshots\/reconcile\//);
    expect(dry.stdout).toContain('~ fence Engineers in 111111111111: sessions issued before');
    const tagReads = emulator()
      .requests.slice(from)
      .filter((r) => r.operation === 'ListTagsForResource' && r.input?.ResourceArn === engineers());
    expect(tagReads).toEqual([]);
  });
});
