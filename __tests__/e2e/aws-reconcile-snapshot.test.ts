// A reconcile with `snapshot`, as the runner runs the bundled step: the first run reads completely
// and keeps what it read in S3; after changes by others, the next run plans as a complete read does
// from CloudTrail's writes since, with fewer assignment reads; a foreign snapshot is not used (a notice
// says so); and a tampered one never causes a wrong delete. With `event-history-roles`: in
// aws-reconcile-snapshot-roles.test.ts.
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { newObject } from '../../emulator/aws/s3/s3-state.js';
import { useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';
import { MANIFEST, SNAPSHOT, STEADY } from './snapshot-manifest.js';

const emulator = useEmulator({ azure: false });
const { reconcile, group } = awsReconcileWorkspace(emulator, 'reconcile-snapshot-');
const aws = () => emulator().aws;
const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };

/** The assignment reads so far: by place and by principal. */
const assignmentReads = () =>
  emulator().requests.filter((r) => /^ListAccountAssignments(ForPrincipal)?$/.test(r.operation)).length;

/** The stored snapshot, changed by `edit`, put back as someone with write access to the bucket would. */
function tamper(edit: (snapshot: { instance: string; places: Record<string, unknown[]> }) => void) {
  const [key, object] = aws().s3.objects('snapshots')[0]!;
  const snapshot = JSON.parse(gunzipSync(object.bytes).toString('utf8')) as Parameters<typeof edit>[0];
  edit(snapshot);
  aws()
    .s3.buckets.get('snapshots')!
    .set(key, newObject(gzipSync(JSON.stringify(snapshot)), 'application/gzip'));
}

describe('operation: reconcile with snapshot', () => {
  it('keeps what it read, plans from CloudTrail’s writes since as a complete read would, and never deletes from a tampered snapshot', async () => {
    aws().s3.createBucket('snapshots');
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    for (const account of STEADY) aws().addAssignment(group('Deployers', 'ReadOnlyAccess', account));
    aws().addAssignment(group('Platform', 'ReadOnlyAccess', '333333333333'));

    const first = await reconcile(MANIFEST, { ...SNAPSHOT, 'dry-run': 'true' });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(
      /::notice::snapshot: a complete read, because there is no snapshot at s3:\/\/snapshots\/reconcile\//,
    );
    expect(first.stdout).toMatch(
      /::notice::snapshot: written to s3:\/\/snapshots\/reconcile\/[0-9a-f]{32}\.json\.gz/,
    );
    expect(first.summary).toMatch(/snapshot: a complete read, because there is no snapshot/);
    expect(aws().s3.objects('snapshots')).toHaveLength(1);

    // Changes by others, made without the action: CloudTrail has each.
    aws().createAssignmentAs(group('Deployers', 'ReadOnlyAccess', '222222222222'), admin);
    aws().deleteAssignmentAs(group('Platform', 'ReadOnlyAccess', '333333333333'), admin);
    aws().createAssignmentAs(group('Auditors', 'ReadOnlyAccess', '444444444444'), admin);

    let before = assignmentReads();
    const complete = await reconcile(MANIFEST, { 'dry-run': 'true' });
    const completeReads = assignmentReads() - before;
    before = assignmentReads();
    const fromSnapshot = await reconcile(MANIFEST, { ...SNAPSHOT, 'dry-run': 'true' });
    const snapshotReads = assignmentReads() - before;
    expect(fromSnapshot.exitCode).toBe(0);
    expect(fromSnapshot.stdout).toMatch(
      /::notice::snapshot: read from s3:\/\/snapshots\/reconcile\/.* and CloudTrail's writes since/,
    );
    expect(JSON.parse(fromSnapshot.outputs.plan!)).toEqual(JSON.parse(complete.outputs.plan!));
    expect(JSON.parse(fromSnapshot.outputs.plan!)).toMatchObject({ create: 0, delete: 1, unchanged: 10 });
    expect(snapshotReads).toBeLessThan(completeReads);

    // A snapshot of another instance is not used.
    tamper((s) => {
      s.instance = 'arn:aws:sso:::instance/ssoins-fedcba0987654321';
    });
    const foreign = await reconcile(MANIFEST, { ...SNAPSHOT, 'dry-run': 'true' });
    expect(foreign.stdout).toMatch(
      /::notice::snapshot: a complete read, because the snapshot .* is not used: it is of another instance/,
    );

    // Says Platform holds ReadOnlyAccess in 111111111111 (it does not): an apply deletes nothing there.
    tamper((s) => {
      s.places[`111111111111|${aws().permissionSetArn('ReadOnlyAccess')}`]!.push({
        principalType: 'GROUP',
        principalId: aws().groupId('Platform'),
      });
    });
    const applied = await reconcile(MANIFEST, SNAPSHOT);
    expect(applied.exitCode).toBe(0);
    const deletes = emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');
    expect(deletes.map((r) => r.input?.TargetId)).toEqual(['444444444444']);
  });
});
