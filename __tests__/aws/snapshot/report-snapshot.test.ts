// A report with `snapshot`, on the emulated IAM Identity Center, CloudTrail and S3 through the real
// SDKs: after changes by others, its rows are a complete read's, read from the snapshot and
// CloudTrail's writes since; a report with other filters keeps an object of its own.
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { newObject } from '../../../emulator/aws/s3/s3-state.js';
import { createAwsAccessReader } from '../../../src/aws/report.js';
import type { AwsSessionSettings, ConfigOf } from '../../../src/core/inputs/index.js';
import type { AccessRead } from '../../../src/engine/run/access-reader.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  DEPLOYERS,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
  looseLookupPacing,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const OTHER = '222222222222';
const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };

const saved = { ...process.env };
beforeEach(() => {
  const { emulator } = sso;
  process.env.AWS_ENDPOINT_URL_S3 = emulator.env.AWS_ENDPOINT_URL_S3;
  process.env.AWS_ACCESS_KEY_ID = emulator.aws.staticCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = emulator.aws.staticCredentials.secretAccessKey;
  // The account whose bucket the snapshot is in (x-amz-expected-bucket-owner): the emulator's own.
  process.env.AWS_ACCOUNT_ID = '123456789012';
  emulator.aws.config.cloudTrailTps = 100;
  emulator.aws.s3.createBucket('snapshots');
});
afterEach(() => {
  for (const name of [
    'AWS_ENDPOINT_URL_S3',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ACCOUNT_ID',
    'AWS_ENDPOINT_URL_STS',
  ])
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
});

/** A report's read, with `snapshot` when given, narrowed by `role` when given. */
async function report(inputs: Record<string, string> = {}): Promise<AccessRead> {
  const config = awsPlan({
    operation: 'report',
    principal: '',
    target: '',
    role: '',
    ...inputs,
  }) as unknown as ConfigOf<'report'>;
  const { deps, seams } = emulatedDeps(sso);
  return createAwsAccessReader(
    config as unknown as AwsSessionSettings,
    config.report,
    deps,
    { eventName: 'schedule' },
    { ...seams, ...looseLookupPacing() },
  ).read({
    manifests: [],
    onPlan: () => undefined,
  });
}
const rows = (read: AccessRead) =>
  read.held.map((h) => `${h.principal.id}|${h.role.id}|${h.target.id}`).sort();

describe('a report with `snapshot`', () => {
  it('after changes by others, lists the rows a complete read lists, from the snapshot and CloudTrail’s writes since; other filters keep an object of their own', async () => {
    sso.addAssignment(BOB);
    sso.addAssignment(ALICE, READ_ONLY, OTHER);
    const first = await report({ snapshot: 's3://snapshots/report' });
    expect(first.notes).toContainEqual(
      expect.stringMatching(/^snapshot: a complete read, because there is no snapshot/),
    );
    sso.emulator.aws.createAssignmentAs(
      { accountId: ACCOUNT, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      admin,
    );
    sso.emulator.aws.deleteAssignmentAs(
      { accountId: OTHER, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      admin,
    );
    const complete = await report();
    const before = sso.count('ListAccountAssignments');
    const fromSnapshot = await report({ snapshot: 's3://snapshots/report' });
    expect(fromSnapshot.notes).toContainEqual(
      expect.stringMatching(/^snapshot: read from s3:\/\/snapshots\/report\//),
    );
    expect(rows(fromSnapshot)).toEqual(rows(complete));
    expect(rows(fromSnapshot)).toEqual(
      [`${ALICE}|${READ_ONLY}|${ACCOUNT}`, `${BOB}|${READ_ONLY}|${ACCOUNT}`].sort(),
    );
    // The two places the writes touched, and none other.
    expect(sso.count('ListAccountAssignments') - before).toBe(2);

    // Other filters, another scope: an object of its own, read completely the first time.
    const narrow = await report({ snapshot: 's3://snapshots/report', role: 'ReadOnlyAccess' });
    expect(narrow.notes).toContainEqual(
      expect.stringMatching(/^snapshot: a complete read, because there is no snapshot/),
    );
    expect(sso.emulator.aws.s3.objects('snapshots')).toHaveLength(2);
  });

  it("with event-history-roles, lists the rows another administering account's writes made, read in that account's history", async () => {
    const role = 'arn:aws:iam::210987654321:role/history';
    process.env.AWS_ENDPOINT_URL_STS = sso.emulator.env.AWS_ENDPOINT_URL_STS;
    sso.emulator.aws.assumableRoles.push({
      arn: role,
      trustedPrincipals: ['arn:aws:iam::123456789012:root'],
    });
    const inputs = { snapshot: 's3://snapshots/report', 'event-history-roles': role };
    sso.addAssignment(BOB);
    await report(inputs);
    sso.emulator.aws.createAssignmentAs(
      { accountId: OTHER, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      { principalArn: 'arn:aws:sts::210987654321:assumed-role/OrganizationAdmin/carol' },
    );
    const fromSnapshot = await report(inputs);
    expect(fromSnapshot.notes).toContainEqual(
      expect.stringMatching(/^snapshot: read from s3:\/\/snapshots\/report\//),
    );
    expect(rows(fromSnapshot)).toEqual(rows(await report()));
    expect(rows(fromSnapshot)).toContain(`${ALICE}|${READ_ONLY}|${OTHER}`);
  });

  it('with expand-groups, reads again only the groups whose members CloudTrail says changed; the others come from the snapshot', async () => {
    const { aws } = sso.emulator;
    const operators = aws.addGroup('Operators');
    aws.addMembership(DEPLOYERS, BOB);
    aws.addMembership(operators, ALICE);
    sso.addAssignment(DEPLOYERS, READ_ONLY, ACCOUNT, 'GROUP');
    sso.addAssignment(operators, READ_ONLY, OTHER, 'GROUP');
    const inputs = { snapshot: 's3://snapshots/report', 'expand-groups': 'true' };
    await report(inputs);
    // A SCIM sync adds alice to Deployers: CreateGroupMembership, in CloudTrail.
    aws.addGroupMembershipAs(DEPLOYERS, ALICE, admin);
    const before = sso.inputsOf('ListGroupMemberships').length;
    const fromSnapshot = await report(inputs);
    const complete = await report({ 'expand-groups': 'true' });
    const members = (read: AccessRead) =>
      Object.fromEntries([...(read.members ?? [])].map(([g, m]) => [g, m.map((u) => u.id).sort()]));
    expect(members(fromSnapshot)).toEqual(members(complete));
    expect(members(fromSnapshot)[DEPLOYERS.toLowerCase()]).toEqual([ALICE, BOB].sort());
    expect(
      sso
        .inputsOf('ListGroupMemberships')
        .slice(before, before + 1)
        .map((i) => i.GroupId),
    ).toEqual([DEPLOYERS]);
    // The snapshot's run read one group; the complete report read both.
    expect(sso.inputsOf('ListGroupMemberships').length - before).toBe(1 + 2);

    // Removed later: DeleteGroupMembership names only the membership, which the snapshot holds:
    // its group alone is read again, never every group.
    aws.removeGroupMembershipAs(DEPLOYERS, BOB, admin);
    const removedBefore = sso.inputsOf('ListGroupMemberships').length;
    const after = await report(inputs);
    expect(members(after)[DEPLOYERS.toLowerCase()]).toEqual([ALICE]);
    expect(members(after)[operators.toLowerCase()]).toEqual([ALICE]);
    expect(
      sso
        .inputsOf('ListGroupMemberships')
        .slice(removedBefore)
        .map((i) => i.GroupId),
    ).toEqual([DEPLOYERS]);
    expect(after.notes.join('\n')).not.toMatch(/every kept group/);
  });

  it("reads the console's and SCIM's membership writes, and ignores IAM's events of the same names", async () => {
    const { aws } = sso.emulator;
    const { emulator } = sso;
    const operators = aws.addGroup('Operators');
    aws.addMembership(DEPLOYERS, BOB);
    aws.addMembership(operators, ALICE);
    sso.addAssignment(DEPLOYERS, READ_ONLY, ACCOUNT, 'GROUP');
    sso.addAssignment(operators, READ_ONLY, OTHER, 'GROUP');
    const inputs = { snapshot: 's3://snapshots/report', 'expand-groups': 'true' };
    const members = (read: AccessRead) =>
      Object.fromEntries([...(read.members ?? [])].map(([g, m]) => [g, m.map((u) => u.id).sort()]));
    await report(inputs);

    // The console adds alice to Deployers; IAM deletes a group of its own, of the same event name.
    aws.consoleMembershipAs('add', DEPLOYERS, ALICE, admin);
    aws.addCloudTrailEvent({
      eventSource: 'iam.amazonaws.com',
      eventName: 'DeleteGroup',
      principalArn: admin.principalArn,
      requestParameters: { groupName: 'Admins' },
    });
    const read = () => sso.inputsOf('ListGroupMemberships').map((i) => i.GroupId);
    let before = read().length;
    const consoleRun = await report(inputs);
    expect(consoleRun.notes).toContainEqual(
      expect.stringMatching(/^snapshot: read from .*1 group\(s\)' members read again/),
    );
    expect(read().slice(before)).toEqual([DEPLOYERS]);
    expect(members(consoleRun)[DEPLOYERS.toLowerCase()]).toEqual([ALICE, BOB].sort());

    // IAM's own users and groups, written under the same event names, make no Identity Store read:
    // the run reads what a run with no new event reads (the console's write, still inside
    // CloudTrail's 30-minute overlap, reads its group again), and lists no user or group: the rows'
    // names are the snapshot's.
    const directory = () =>
      emulator.requests.filter((r) => r.service === 'identitystore').map((r) => r.operation);
    let directoryBefore = directory().length;
    await report(inputs);
    const quiet = directory().slice(directoryBefore);
    expect(quiet).toEqual(['ListGroupMemberships']);
    for (const eventName of ['CreateUser', 'DeleteUser', 'DeleteGroup', 'UpdateUser', 'UpdateGroup'])
      aws.addCloudTrailEvent({
        eventSource: 'iam.amazonaws.com',
        eventName,
        principalArn: admin.principalArn,
        requestParameters: eventName.endsWith('User') ? { userName: 'ci-bot' } : { groupName: 'Admins' },
      });
    directoryBefore = directory().length;
    const iamRun = await report(inputs);
    expect(directory().slice(directoryBefore)).toEqual(quiet);
    expect(members(iamRun)[DEPLOYERS.toLowerCase()]).toEqual([ALICE, BOB].sort());
    expect(iamRun.held.map((h) => h.principal.name).sort()).toEqual(['Deployers', 'Operators']);

    // SCIM removes bob from Deployers (PatchGroup, members hidden): the group named is read again.
    aws.scimPatchGroup(DEPLOYERS, { remove: [BOB] });
    before = read().length;
    const scimRun = await report(inputs);
    expect(read().slice(before)).toEqual([DEPLOYERS]);
    expect(members(scimRun)[DEPLOYERS.toLowerCase()]).toEqual([ALICE]);

    // A SCIM PatchGroup that names no group: every kept group is read again, and the step says why.
    aws.addCloudTrailEvent({
      eventSource: 'identitystore-scim.amazonaws.com',
      eventName: 'PatchGroup',
      principalArn: admin.principalArn,
      requestParameters: { httpBody: { Operations: [] } },
    });
    before = read().length;
    const unnamed = await report(inputs);
    expect(unnamed.notes).toContainEqual(
      expect.stringMatching(
        /every kept group's members read again, because a PatchGroup record from identitystore-scim.amazonaws.com names no group/,
      ),
    );
    expect(read().slice(before).sort()).toEqual([DEPLOYERS, operators].sort());
  });

  it('after a complete read, names in `missed` a membership changed with no event, with the likely causes; one CloudTrail explained is not', async () => {
    const { aws } = sso.emulator;
    const operators = aws.addGroup('Operators');
    const auditors = aws.addGroup('Auditors');
    aws.addMembership(DEPLOYERS, BOB);
    aws.addMembership(operators, ALICE);
    sso.addAssignment(DEPLOYERS, READ_ONLY, ACCOUNT, 'GROUP');
    sso.addAssignment(operators, READ_ONLY, OTHER, 'GROUP');
    sso.addAssignment(auditors, READ_ONLY, OTHER, 'GROUP');
    const inputs = { snapshot: 's3://snapshots/report', 'expand-groups': 'true' };
    await report(inputs);
    // Changes CloudTrail's history here does not show (another Region's or account's, an untracked
    // path): alice joins Deployers, leaves Operators. And one it shows: bob joins Auditors.
    aws.addMembership(DEPLOYERS, ALICE);
    aws.removeMembership(operators, ALICE);
    aws.addGroupMembershipAs(auditors, BOB, admin);
    // The snapshot's last complete read two hours ago: this run reads completely.
    const [key, object] = aws.s3.objects('snapshots')[0]!;
    const kept = JSON.parse(gunzipSync(object.bytes).toString('utf8')) as { completeReadAt: string };
    kept.completeReadAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    aws.s3.buckets.get('snapshots')!.set(key, newObject(gzipSync(JSON.stringify(kept)), 'application/gzip'));

    const read = await report({ ...inputs, 'full-read-every': '1h' });
    expect(read.notes).toContainEqual(expect.stringMatching(/^snapshot: a complete read, because /));
    expect(read.read.missed).toEqual(
      [
        { kind: 'membership', groupId: DEPLOYERS, userId: ALICE, change: 'added' },
        { kind: 'membership', groupId: operators, userId: ALICE, change: 'removed' },
      ].sort((a, b) => (a.groupId < b.groupId ? -1 : 1)),
    );
    const [warning] = read.warnings.filter((w) => /group membership/.test(w));
    expect(warning).toMatch(
      new RegExp(`found 2 group membership\\(s\\) .* \\(missed\\): USER ${ALICE} in GROUP `),
    );
    // The likely causes: CloudTrail's delivery and its 90 days, another Region, a path it does not record.
    expect(warning).toMatch(
      /later than the 30-minute overlap \(or that its 90 days of event history no longer hold\)/,
    );
    expect(warning).toMatch(/another Region's event history/);
    expect(warning).toMatch(/a path CloudTrail does not record/);
    expect(warning).toMatch(/another account that administers the instance/);

    // The next run, from the snapshot that read anew, misses nothing.
    const next = await report(inputs);
    expect(next.read.missed ?? []).toEqual([]);
  });

  it('a group deleted by SCIM keeps no member rows and is not read; its assignments stay, orphaned', async () => {
    const { aws } = sso.emulator;
    aws.addMembership(DEPLOYERS, BOB);
    sso.addAssignment(DEPLOYERS, READ_ONLY, ACCOUNT, 'GROUP');
    const inputs = { snapshot: 's3://snapshots/report', 'expand-groups': 'true' };
    await report(inputs);
    aws.deleteGroupAs(DEPLOYERS, 'scim');
    const before = sso.inputsOf('ListGroupMemberships').length;
    const after = await report(inputs);
    expect(after.notes).toContainEqual(expect.stringMatching(/^snapshot: read from /));
    expect(sso.inputsOf('ListGroupMemberships').length - before).toBe(0);
    expect(rows(after)).toEqual([`${DEPLOYERS.toLowerCase()}|${READ_ONLY}|${ACCOUNT}`]);
    expect([...(after.members ?? [])].map(([g, m]) => [g, m.length])).toEqual([[DEPLOYERS.toLowerCase(), 0]]);
  });
});
