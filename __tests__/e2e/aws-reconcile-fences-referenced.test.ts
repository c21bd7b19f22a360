// `operation: reconcile` with `snapshot`, dry run, over a permission set the manifest manages but
// does not define, which its tag opts in to session fences (beside aws-reconcile-fences.test.ts, in a
// file of its own so that jest runs them at once): the fence a delete would write, shown from the
// set's kept facts, read again only after a write to the set or where the snapshot kept none.
import { describe, expect, it } from '@jest/globals';
import { gunzipSync, gzipSync } from 'node:zlib';
import { newObject } from '../../emulator/aws/s3/s3-state.js';
import { useEmulator } from './fixture.js';
import { ENV } from './fences-manifest.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 0 });
const { reconcile } = awsReconcileWorkspace(emulator, 'reconcile-aws-fences-referenced-');
const aws = () => emulator().aws;

describe('a dry-run reconcile with `snapshot` over a set the manifest manages but does not define', () => {
  // A set made in the console, opted in to fences by its tag: the snapshot keeps its name, session
  // duration and tags, read again only where a write touched the set, or where it kept none.
  const referenced = [
    'version: 1',
    'aws:',
    '  manages: {permission-sets: [Operators]}',
    '  assignments:',
    "    - {principal: Deployers, principal-type: GROUP, role: Operators, target: '111111111111'}",
  ].join('\n');
  const SNAPSHOT = { snapshot: 's3://fence-snapshots/referenced' };
  const setReads = (from: number, set: string) =>
    emulator()
      .requests.slice(from)
      .filter(
        (r) =>
          (r.operation === 'ListTagsForResource' && r.input?.ResourceArn === set) ||
          (r.operation === 'DescribePermissionSet' && r.input?.PermissionSetArn === set),
      )
      .map((r) => r.operation)
      .sort();
  const snapshotObject = () => {
    const [key, object] = aws().s3.objects('fence-snapshots', 'referenced/')[0]!;
    return { key, json: JSON.parse(gunzipSync(object.bytes).toString('utf8')) as Record<string, unknown> };
  };

  it('shows the fence its delete would write from the kept facts, and reads them again only after a write to the set', async () => {
    aws().s3.createBucket('fence-snapshots');
    const operators = aws().addPermissionSet('Operators', { 'cloud-access:end-sessions': 'true' });
    expect((await reconcile(referenced, SNAPSHOT, ENV)).exitCode).toBe(0);
    expect(snapshotObject().json.permissionSetFacts).toEqual({
      [operators]: { name: 'Operators', sessionMinutes: 60, tags: { 'cloud-access:end-sessions': 'true' } },
    });
    for (const event of aws().cloudTrail) event.at -= 2 * 3600_000;
    aws().createAssignmentAs(
      {
        accountId: '111111111111',
        permissionSetArn: operators,
        principalType: 'GROUP',
        principalId: aws().groupId('Platform'),
      },
      { principalArn: 'arn:aws:iam::123456789012:user/admin' },
    );
    let from = emulator().requests.length;
    const dry = await reconcile(referenced, { ...SNAPSHOT, 'dry-run': 'true' }, ENV);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/::notice::snapshot: read from s3:\/\/fence-snapshots\/referenced\//);
    expect(dry.stdout).toContain('~ fence Operators in 111111111111: sessions issued before');
    // No tag list read again; the one describe is the name's confirmation at a set the plan writes at.
    expect(setReads(from, operators)).toEqual(['DescribePermissionSet']);

    // A tag written since touches the set: its facts are read again.
    aws().addCloudTrailEvent({
      eventSource: 'sso.amazonaws.com',
      eventName: 'TagResource',
      principalArn: 'arn:aws:iam::123456789012:user/admin',
      requestParameters: { instanceArn: aws().instanceArn, resourceArn: operators, tags: [] },
    });
    from = emulator().requests.length;
    expect((await reconcile(referenced, { ...SNAPSHOT, 'dry-run': 'true' }, ENV)).exitCode).toBe(0);
    expect(setReads(from, operators)).toEqual(['DescribePermissionSet', 'ListTagsForResource']);
  }, 120_000);

  it('uses an older snapshot without the facts, reads them, and keeps them', async () => {
    aws().s3.createBucket('fence-snapshots');
    const operators = aws().addPermissionSet('Operators', { 'cloud-access:end-sessions': 'true' });
    expect((await reconcile(referenced, SNAPSHOT, ENV)).exitCode).toBe(0);
    const { key, json } = snapshotObject();
    delete json.permissionSetFacts;
    aws()
      .s3.buckets.get('fence-snapshots')!
      .set(key, newObject(gzipSync(JSON.stringify(json)), 'application/gzip'));
    const from = emulator().requests.length;
    const run = await reconcile(referenced, { ...SNAPSHOT, 'dry-run': 'true' }, ENV);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/::notice::snapshot: read from /);
    expect(setReads(from, operators)).toEqual(['DescribePermissionSet', 'ListTagsForResource']);
    expect(snapshotObject().json.permissionSetFacts).toEqual({
      [operators]: expect.objectContaining({ name: 'Operators', sessionMinutes: 60 }),
    });
  }, 120_000);
});
