// A reconcile with `snapshot` and `event-history-roles`, as the runner runs the bundled step (beside
// aws-reconcile-snapshot.test.ts, in a file of its own so that jest runs the two at once): writes
// made from the management account are found in its history, read as the role named; without the
// role they are not; a role it cannot assume is a warning, and that run reads completely.
import { describe, expect, it } from '@jest/globals';
import { useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';
import { MANIFEST, SNAPSHOT, STEADY } from './snapshot-manifest.js';

const emulator = useEmulator({ azure: false });
const { reconcile, group } = awsReconcileWorkspace(emulator, 'reconcile-snapshot-roles-');
const aws = () => emulator().aws;

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
