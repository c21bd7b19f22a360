// What tests (and people, through the control API) put in CloudTrail's history: planted events,
// and account assignment and group membership writes by other identities, back-dated, each also
// where IAM Identity Center or the Identity Store keeps it (the assignment, the request in the
// status lists, the group's members).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DescribeAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentDeletionStatusCommand,
  CreatePermissionSetCommand,
  ProvisionPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { aliceReadOnly, cloudTrailClient, record } from './cloudtrail-helpers.js';
import { identityStoreClient, ssoAdminClient } from './sdk.js';
import {
  CreateGroupMembershipCommand,
  DeleteGroupMembershipCommand,
  ListGroupMembershipsCommand,
} from '@aws-sdk/client-identitystore';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ awsWriteDelayMs: 20, quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.aws.config.cloudTrailTps = 100;
});

const MINUTE = 60_000;
const lookup = async (EventName?: string) =>
  (
    await cloudTrailClient(emulator).send(
      new LookupEventsCommand(
        EventName ? { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: EventName }] } : {},
      ),
    )
  ).Events ?? [];
const session = (name: string) => ({
  principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`,
  sessionName: name,
});
const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };

describe('createAssignmentAs / deleteAssignmentAs', () => {
  it("another workflow's create, 30 minutes ago: the assignment, a SUCCEEDED request created then, its event", async () => {
    const at = Date.now() - 30 * MINUTE;
    const request = emulator.aws.createAssignmentAs(
      aliceReadOnly(emulator),
      session('cloud-access-555-707-1-e'),
      at,
    );
    expect(emulator.aws.hasAssignment(aliceReadOnly(emulator))).toBe(true);

    const sso = ssoAdminClient(emulator);
    const InstanceArn = emulator.aws.instanceArn;
    const { AccountAssignmentCreationStatus: status } = await sso.send(
      new DescribeAccountAssignmentCreationStatusCommand({
        InstanceArn,
        AccountAssignmentCreationRequestId: request.requestId,
      }),
    );
    expect(status).toMatchObject({ Status: 'SUCCEEDED', TargetId: '111111111111' });
    expect(status!.CreatedDate!.getTime()).toBe(at);

    const [event] = await lookup('CreateAccountAssignment');
    expect(event).toMatchObject({
      Username: 'cloud-access-555-707-1-e',
      EventTime: new Date(Math.floor(at / 1000) * 1000),
    });
    expect(record(event!)).toMatchObject({
      requestID: request.requestId,
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-555-707-1-e',
        accessKeyId: expect.stringMatching(/^ASIA[0-9A-F]{16}$/),
        // The role is one GitHub's tokens assume: a web identity session.
        sessionContext: {
          webIdFederationData: { federatedProvider: expect.stringContaining('oidc-provider') },
        },
      },
      responseElements: {
        accountAssignmentCreationStatus: { status: 'IN_PROGRESS', requestId: request.requestId },
      },
    });
  });

  it('keeps the status lists newest first, whatever order the back-dated writes came in', async () => {
    const older = emulator.aws.createAssignmentAs(
      aliceReadOnly(emulator, '222222222222'),
      admin,
      Date.now() - 60 * MINUTE,
    );
    const newer = emulator.aws.createAssignmentAs(
      aliceReadOnly(emulator, '333333333333'),
      admin,
      Date.now() - 10 * MINUTE,
    );
    const oldest = emulator.aws.createAssignmentAs(
      aliceReadOnly(emulator, '444444444444'),
      admin,
      Date.now() - 90 * MINUTE,
    );
    const { AccountAssignmentsCreationStatus: list } = await ssoAdminClient(emulator).send(
      new ListAccountAssignmentCreationStatusCommand({ InstanceArn: emulator.aws.instanceArn }),
    );
    expect(list!.map((r) => r.RequestId)).toEqual([newer.requestId, older.requestId, oldest.requestId]);
    expect((await lookup()).map((e) => record(e).requestID)).toEqual([
      newer.requestId,
      older.requestId,
      oldest.requestId,
    ]);
  });

  it("a person's delete removes the assignment; a delete of none ends FAILED; both are in CloudTrail", async () => {
    emulator.aws.addAssignment(aliceReadOnly(emulator));
    const removed = emulator.aws.deleteAssignmentAs(aliceReadOnly(emulator), admin);
    expect(removed.status).toBe('SUCCEEDED');
    expect(emulator.aws.hasAssignment(aliceReadOnly(emulator))).toBe(false);
    const missing = emulator.aws.deleteAssignmentAs(aliceReadOnly(emulator, '999999999999'), admin);
    expect(missing).toMatchObject({
      status: 'FAILED',
      failureReason: expect.stringContaining("EntitlementItem doesn't exist"),
    });
    const { AccountAssignmentsDeletionStatus: list } = await ssoAdminClient(emulator).send(
      new ListAccountAssignmentDeletionStatusCommand({ InstanceArn: emulator.aws.instanceArn }),
    );
    expect(list!.map((r) => [r.RequestId, r.Status])).toEqual([
      [missing.requestId, 'FAILED'],
      [removed.requestId, 'SUCCEEDED'],
    ]);
    const events = await lookup('DeleteAccountAssignment');
    expect(events.map((e) => e.Username)).toEqual(['admin', 'admin']);
    expect(record(events[1]!).userIdentity).toMatchObject({ type: 'IAMUser', userName: 'admin' });
  });

  it('reset() clears every event and request', () => {
    emulator.aws.createAssignmentAs(aliceReadOnly(emulator), admin, Date.now() - MINUTE);
    emulator.aws.addCloudTrailEvent({ eventName: 'X', principalArn: admin.principalArn });
    emulator.reset();
    expect(emulator.aws.cloudTrail).toEqual([]);
    expect(emulator.aws.state.creations.size).toBe(0);
  });
});

describe('addCloudTrailEvent', () => {
  it('plants any event at any time, with the identity given (a person signed in through IAM Identity Center)', async () => {
    const person = {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID0000001:alice@example.com',
      arn: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com',
      accountId: '123456789012',
    };
    const event = emulator.aws.addCloudTrailEvent({
      eventName: 'CreateAccountAssignment',
      principalArn: person.arn,
      userIdentity: person,
      at: Date.now() - 20 * 24 * 60 * MINUTE,
      requestParameters: { InstanceArn: emulator.aws.instanceArn, TargetId: '111111111111' },
    });
    const [found] = await lookup();
    expect(found).toMatchObject({
      EventId: event.eventId,
      Username: 'alice@example.com',
      EventSource: 'sso.amazonaws.com',
    });
    expect(record(found!)).toMatchObject({
      userIdentity: person,
      requestParameters: { instanceArn: emulator.aws.instanceArn, targetId: '111111111111' },
      responseElements: null,
    });
  });
});

describe('the control API', () => {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${emulator.endpoints.github}/_emulator${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('plants events and writes by another identity, by names, back-dated', async () => {
    const planted = await post('/aws/cloudtrail-events', {
      eventName: 'CreateAccountAssignment',
      principalArn: admin.principalArn,
      at: new Date(Date.now() - 5 * MINUTE).toISOString(),
    });
    expect(planted).toMatchObject({
      status: 200,
      body: { EventName: 'CreateAccountAssignment', Username: 'admin' },
    });
    const created = await post('/aws/create-assignment-as', {
      accountId: '222222222222',
      permissionSet: 'ReadOnlyAccess',
      principalType: 'GROUP',
      principal: 'Deployers',
      caller: session('cloud-access-123456789-42-1-e'),
      at: Date.now() - 2 * MINUTE,
    });
    expect(created).toMatchObject({ status: 200, body: { kind: 'create', status: 'SUCCEEDED' } });
    expect(
      emulator.aws.hasAssignment({
        accountId: '222222222222',
        permissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
        principalType: 'GROUP',
        principalId: emulator.aws.groupId('Deployers'),
      }),
    ).toBe(true);
    expect((await lookup()).map((e) => e.Username)).toEqual(['cloud-access-123456789-42-1-e', 'admin']);
    expect((await post('/aws/delete-assignment-as', { accountId: '1' })).status).toBe(400);
    expect((await post('/aws/cloudtrail-events', { eventName: 'X' })).status).toBe(400);
  });

  it('sets the delivery delay and the quota through /_emulator/config', async () => {
    expect((await post('/config', { cloudTrailDelayMs: 60_000, cloudTrailTps: 5 })).status).toBe(200);
    emulator.aws.addCloudTrailEvent({ eventName: 'Recent', principalArn: admin.principalArn });
    expect(await lookup()).toEqual([]);
    expect(emulator.aws.config).toMatchObject({ cloudTrailDelayMs: 60_000, cloudTrailTps: 5 });
  });
});

describe('addGroupMembershipAs / removeGroupMembershipAs', () => {
  it('a membership added and removed by another identity: the group changes, and LookupEvents shows each write with its time', async () => {
    const groupId = emulator.aws.groupId('Deployers');
    const bob = emulator.aws.userId('bob');
    const at = Date.now() - 10 * MINUTE;
    const membershipId = emulator.aws.addGroupMembershipAs(groupId, bob, admin, at);
    expect(emulator.aws.state.groups.get(groupId)!.members?.get(bob)).toBe(membershipId);
    emulator.aws.removeGroupMembershipAs(groupId, bob, admin, at + MINUTE);
    expect(emulator.aws.state.groups.get(groupId)!.members?.has(bob)).toBe(false);

    const [created] = await lookup('CreateGroupMembership');
    expect(created).toMatchObject({ EventSource: 'identitystore.amazonaws.com', Username: 'admin' });
    expect(created!.EventTime!.getTime()).toBe(Math.floor(at / 1000) * 1000);
    expect(record(created!)).toMatchObject({
      requestParameters: { groupId, memberId: { userId: bob } },
      responseElements: { membershipId },
    });
    const [deleted] = await lookup('DeleteGroupMembership');
    expect(record(deleted!)).toMatchObject({ requestParameters: { membershipId }, responseElements: null });
  });
});

describe('the Identity Center writes served through the API', () => {
  it('are looked up by event name: a permission set created, and its provisioning', async () => {
    const sso = ssoAdminClient(emulator);
    const InstanceArn = emulator.aws.instanceArn;
    const { PermissionSet } = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn, Name: 'Auditor' }),
    );
    await sso.send(
      new ProvisionPermissionSetCommand({
        InstanceArn,
        PermissionSetArn: PermissionSet!.PermissionSetArn!,
        TargetType: 'AWS_ACCOUNT',
        TargetId: '111111111111',
      }),
    );
    expect((await lookup('CreatePermissionSet')).map((e) => record(e).requestParameters)).toEqual([
      expect.objectContaining({ name: 'Auditor' }),
    ]);
    expect((await lookup('ProvisionPermissionSet')).map((e) => record(e).requestParameters)).toEqual([
      expect.objectContaining({
        permissionSetArn: PermissionSet!.PermissionSetArn,
        targetId: '111111111111',
      }),
    ]);
  });
});

describe('Identity Store group membership writes through the SDK', () => {
  it('CreateGroupMembership and DeleteGroupMembership change the members and are recorded as the Identity Store records them', async () => {
    const client = identityStoreClient(emulator);
    const IdentityStoreId = emulator.aws.state.identityStoreId;
    const GroupId = emulator.aws.groupId('Auditors');
    const UserId = emulator.aws.userId('alice');
    const members = async () =>
      (
        (await client.send(new ListGroupMembershipsCommand({ IdentityStoreId, GroupId }))).GroupMemberships ??
        []
      ).map((m) => (m.MemberId && 'UserId' in m.MemberId ? m.MemberId.UserId : undefined));
    const { MembershipId } = await client.send(
      new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId } }),
    );
    expect(await members()).toEqual([UserId]);
    // Twice is a conflict, as the service answers a membership that exists.
    await expect(
      client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId } })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    await client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId: MembershipId! }));
    expect(await members()).toEqual([]);
    await expect(
      client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId: MembershipId! })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    const recorded = async (name: string) =>
      (await lookup(name)).map((e) => {
        const record = JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>;
        return { source: record.eventSource, parameters: record.requestParameters, error: record.errorCode };
      });
    expect((await recorded('CreateGroupMembership'))[1]).toEqual({
      source: 'identitystore.amazonaws.com',
      parameters: { identityStoreId: IdentityStoreId, groupId: GroupId, memberId: { userId: UserId } },
      error: undefined,
    });
    expect((await recorded('DeleteGroupMembership'))[1]).toEqual({
      source: 'identitystore.amazonaws.com',
      parameters: { identityStoreId: IdentityStoreId, membershipId: MembershipId },
      error: undefined,
    });
  });
});

describe('membership and directory writes from the console and SCIM, as AWS records them', () => {
  const consoleUser = { principalArn: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin/carol' };
  const recordOf = async (name: string) => record((await lookup(name))[0]!);

  it("the console's AddMemberToGroup and RemoveMemberFromGroup come from sso-directory.amazonaws.com and name the group and the member", async () => {
    const groupId = emulator.aws.groupId('Deployers');
    const bob = emulator.aws.userId('bob');
    emulator.aws.consoleMembershipAs('add', groupId, bob, consoleUser);
    expect(emulator.aws.state.groups.get(groupId)!.members?.has(bob)).toBe(true);
    emulator.aws.consoleMembershipAs('remove', groupId, bob, consoleUser);
    expect(emulator.aws.state.groups.get(groupId)!.members?.has(bob)).toBe(false);
    for (const name of ['AddMemberToGroup', 'RemoveMemberFromGroup'])
      expect(await recordOf(name)).toMatchObject({
        eventSource: 'sso-directory.amazonaws.com',
        requestParameters: { groupId, member: { memberId: bob } },
      });
  });

  it("SCIM's PatchGroup comes from identitystore-scim.amazonaws.com, names the group and hides its member values", async () => {
    const groupId = emulator.aws.groupId('Deployers');
    const bob = emulator.aws.userId('bob');
    emulator.aws.scimPatchGroup(groupId, { add: [bob] });
    expect(emulator.aws.state.groups.get(groupId)!.members?.has(bob)).toBe(true);
    const patched = await recordOf('PatchGroup');
    expect(patched).toMatchObject({
      eventSource: 'identitystore-scim.amazonaws.com',
      userIdentity: { type: 'WebIdentityUser' },
      requestParameters: {
        groupId,
        httpBody: {
          Operations: [{ op: 'add', path: 'members', value: [{ value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }] }],
        },
      },
    });
    expect(JSON.stringify(patched)).not.toContain(bob);
  });

  it('DeleteGroup and DeleteUser are recorded by the source that made them; the group goes with its members, its assignments stay', async () => {
    const groupId = emulator.aws.groupId('Deployers');
    const bob = emulator.aws.userId('bob');
    const alice = emulator.aws.userId('alice');
    emulator.aws.addMembership(groupId, bob);
    const assignment = {
      accountId: '111111111111',
      permissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
      principalType: 'GROUP' as const,
      principalId: groupId,
    };
    emulator.aws.addAssignment(assignment);
    emulator.aws.deleteGroupAs(groupId, 'scim');
    expect(emulator.aws.state.groups.has(groupId)).toBe(false);
    expect(emulator.aws.hasAssignment(assignment)).toBe(true);
    emulator.aws.deleteUserAs(alice, 'console', consoleUser);
    expect(emulator.aws.state.users.has(alice)).toBe(false);
    expect(await recordOf('DeleteGroup')).toMatchObject({
      eventSource: 'identitystore-scim.amazonaws.com',
      requestParameters: { groupId },
    });
    expect(await recordOf('DeleteUser')).toMatchObject({
      eventSource: 'sso-directory.amazonaws.com',
      requestParameters: { userId: alice },
    });
  });
});
