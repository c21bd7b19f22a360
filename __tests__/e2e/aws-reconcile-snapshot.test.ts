// A reconcile with `snapshot`, as the runner runs the bundled step: the first run reads completely
// and keeps what it read in S3; after changes by others, the next run plans as a complete read does
// from CloudTrail's writes since, with fewer assignment reads; a foreign snapshot is not used (a notice
// says so); and a tampered one never causes a wrong delete.
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { newObject } from '../../emulator/aws/s3/s3-state.js';
import { useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ azure: false });
const { reconcile, group } = awsReconcileWorkspace(emulator, 'reconcile-snapshot-');
const aws = () => emulator().aws;
const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
const SNAPSHOT = { snapshot: 's3://snapshots/reconcile' };

/** Accounts where Deployers hold ReadOnlyAccess already, as the file asks: places no one touches. */
const STEADY = Array.from({ length: 8 }, (_, i) => String(600000000000 + i));
const MANIFEST = `version: 1
aws:
  manages: {permission-sets: [ReadOnlyAccess]}
  assignments:
    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: ['111111111111', '222222222222', ${STEADY.map((a) => `'${a}'`).join(', ')}]}
`;
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

/** A role of the management account, beside the instance's delegated administrator (the step's). */
const HISTORY_ROLE = 'arn:aws:iam::210987654321:role/cloud-access-history';
/** Someone at the management account: its writes are in that account's event history only. */
const managementAdmin = { principalArn: 'arn:aws:sts::210987654321:assumed-role/OrganizationAdmin/carol' };
const STEP_ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const WITH_ROLES = { ...SNAPSHOT, 'event-history-roles': HISTORY_ROLE };

describe('operation: reconcile with snapshot and event-history-roles', () => {
  /** A snapshot kept, then a create and a delete made from the management account. */
  async function snapshotThenManagementWrites() {
    aws().s3.createBucket('snapshots');
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess', '222222222222'));
    for (const account of STEADY) aws().addAssignment(group('Deployers', 'ReadOnlyAccess', account));
    const first = await reconcile(MANIFEST, { ...SNAPSHOT, 'dry-run': 'true' });
    expect(first.exitCode).toBe(0);
    aws().deleteAssignmentAs(group('Deployers', 'ReadOnlyAccess'), managementAdmin);
    aws().createAssignmentAs(group('Auditors', 'ReadOnlyAccess', '444444444444'), managementAdmin);
    const complete = await reconcile(MANIFEST, { 'dry-run': 'true' });
    expect(JSON.parse(complete.outputs.plan!)).toMatchObject({ create: 1, delete: 1 });
    return complete;
  }

  it("finds writes made from another account that administers the instance through that account's history, read as the role it names", async () => {
    aws().assumableRoles.push({ arn: HISTORY_ROLE, trustedPrincipals: [STEP_ROLE] });
    const complete = await snapshotThenManagementWrites();

    const roles = await reconcile(MANIFEST, { ...WITH_ROLES, 'dry-run': 'true' });
    expect(roles.exitCode).toBe(0);
    expect(roles.stdout).toMatch(
      /::notice::snapshot: read from s3:\/\/snapshots\/reconcile\/.* and CloudTrail's writes since/,
    );
    expect(roles.stdout).not.toMatch(/::warning::/);
    expect(JSON.parse(roles.outputs.plan!)).toEqual(JSON.parse(complete.outputs.plan!));
    const assumed = emulator().requests.filter((r) => r.service === 'sts' && r.operation === 'AssumeRole');
    expect(assumed.map((r) => r.status)).toEqual([200]);
  });

  it('without the role, the step’s own history does not show those writes', async () => {
    aws().assumableRoles.push({ arn: HISTORY_ROLE, trustedPrincipals: [STEP_ROLE] });
    await snapshotThenManagementWrites();
    const own = await reconcile(MANIFEST, { ...SNAPSHOT, 'dry-run': 'true' });
    expect(JSON.parse(own.outputs.plan!)).toMatchObject({ create: 0, delete: 0 });
  });

  it('a role it cannot assume is a warning naming the account and the role, and that run reads completely', async () => {
    aws().assumableRoles.push({
      arn: HISTORY_ROLE,
      trustedPrincipals: ['arn:aws:iam::123456789012:role/someone-else'],
    });
    const complete = await snapshotThenManagementWrites();

    const denied = await reconcile(MANIFEST, { ...WITH_ROLES, 'dry-run': 'true' });
    expect(denied.exitCode).toBe(0);
    const warning = /::warning::(.*210987654321.*)/.exec(denied.stdout)?.[1] ?? '';
    expect(warning).toContain(HISTORY_ROLE);
    expect(warning).toMatch(/AccessDenied/);
    expect(denied.stdout).toMatch(
      /::notice::snapshot: a complete read, because the CloudTrail event history of account 210987654321/,
    );
    expect(JSON.parse(denied.outputs.plan!)).toEqual(JSON.parse(complete.outputs.plan!));
  });
});
