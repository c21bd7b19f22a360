// The access portal's sign-ins as CloudTrail records them (emulator/aws/cloudtrail/portal.ts): a
// person who holds a permission set in an account gets its credentials and a GetRoleCredentials
// record in AWS's shape lands in the Identity Center account's history; LookupEvents by EventName
// finds them, 50 a page; tests stage the older format, other instances and look-alikes beside them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { cloudTrailClient, record } from './cloudtrail-helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.aws.config.cloudTrailTps = 100;
});

const HOUR = 3_600_000;
const byName = (EventName: string, NextToken?: string) =>
  cloudTrailClient(emulator).send(
    new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: EventName }],
      ...(NextToken ? { NextToken } : {}),
    }),
  );
const onBehalfOf = (event: Event) => record(event).userIdentity.onBehalfOf as Record<string, string>;
const roleCredentials = async () => (await byName('GetRoleCredentials')).Events ?? [];
const hold = (principal: string, principalType: 'USER' | 'GROUP' = 'USER', accountId = '111111111111') => {
  const aws = emulator.aws;
  aws.state.putAssignment({
    accountId,
    permissionSetArn: aws.permissionSetArn('ReadOnlyAccess'),
    principalType,
    principalId: principalType === 'USER' ? aws.userId(principal) : aws.groupId(principal),
  });
};

describe('a sign-in through the portal', () => {
  it("issues the role's credentials and records GetRoleCredentials as AWS writes it", async () => {
    hold('alice');
    const at = Date.now() - 2 * HOUR;
    const signIn = emulator.aws.signInToPortal({
      user: 'alice',
      accountId: '111111111111',
      permissionSet: 'ReadOnlyAccess',
      at,
    });
    expect(signIn.credentials?.accessKeyId).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(emulator.aws.sessions.at(-1)?.principalArn).toMatch(
      /^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_ReadOnlyAccess_[0-9a-f]{16}\/alice$/,
    );

    const [event] = await roleCredentials();
    expect(event).toMatchObject({
      EventName: 'GetRoleCredentials',
      EventSource: 'sso.amazonaws.com',
      EventTime: new Date(Math.floor(at / 1000) * 1000),
    });
    const trail = record(event!);
    expect(trail).toMatchObject({
      eventSource: 'sso.amazonaws.com',
      eventName: 'GetRoleCredentials',
      eventType: 'AwsServiceEvent',
      requestParameters: null,
      responseElements: null,
      recipientAccountId: '123456789012',
      awsRegion: 'us-east-1',
      userIdentity: {
        type: 'IdentityCenterUser',
        accountId: '123456789012',
        onBehalfOf: {
          userId: emulator.aws.userId('alice'),
          identityStoreArn: `arn:aws:identitystore::123456789012:identitystore/${emulator.aws.identityStoreId}`,
        },
      },
      serviceEventDetails: { account_id: '111111111111', role_name: 'ReadOnlyAccess' },
    });
    expect(trail).not.toHaveProperty('errorCode');
  });

  it("a group's member signs in through the group's assignment", async () => {
    const aws = emulator.aws;
    const groupId = aws.groupId([...aws.state.groups.values()][0]!.displayName);
    const group = aws.state.groups.get(groupId)!;
    hold(group.displayName, 'GROUP');
    aws.addMembership(groupId, aws.userId('bob'));
    expect(
      aws.signInToPortal({ user: 'bob', accountId: '111111111111', permissionSet: 'ReadOnlyAccess' })
        .credentials,
    ).toBeDefined();
    expect(record((await roleCredentials())[0]!)).not.toHaveProperty('errorCode');
  });

  it('a person without the grant gets no credentials, and the record carries the refusal', async () => {
    const signIn = emulator.aws.signInToPortal({
      user: 'alice',
      accountId: '222222222222',
      permissionSet: 'ReadOnlyAccess',
    });
    expect(signIn).toMatchObject({ errorCode: 'ForbiddenException' });
    expect(signIn.credentials).toBeUndefined();
    expect(record((await roleCredentials())[0]!)).toMatchObject({
      errorCode: 'ForbiddenException',
      serviceEventDetails: { account_id: '222222222222', role_name: 'ReadOnlyAccess' },
    });
  });
});

describe('records staged as they stand in CloudTrail', () => {
  it('the older format names the user by userName, and LookupEvents shows it as Username', async () => {
    emulator.aws.addRoleCredentialsEvent({
      userName: 'bob',
      accountId: '111111111111',
      roleName: 'ReadOnlyAccess',
      format: 'older',
    });
    const [event] = await roleCredentials();
    expect(event!.Username).toBe('bob');
    const { userIdentity } = record(event!) as { userIdentity: Record<string, unknown> };
    expect(userIdentity).toMatchObject({ type: 'Unknown', userName: 'bob', principalId: '123456789012' });
    expect(userIdentity).not.toHaveProperty('onBehalfOf');
  });

  it("another instance's record names its identity store; a look-alike source is not found by name alone", async () => {
    const other = 'arn:aws:identitystore::999999999999:identitystore/d-9999999999';
    emulator.aws.addRoleCredentialsEvent({
      userId: 'u-1',
      accountId: '111111111111',
      roleName: 'ReadOnlyAccess',
      identityStoreArn: other,
    });
    emulator.aws.addRoleCredentialsEvent({
      userId: 'u-1',
      accountId: '111111111111',
      roleName: 'ReadOnlyAccess',
      eventSource: 'sso-lookalike.example.com',
    });
    const events: Event[] = await roleCredentials();
    expect(events.map((e) => e.EventSource).sort()).toEqual([
      'sso-lookalike.example.com',
      'sso.amazonaws.com',
    ]);
    expect(events.map((e) => onBehalfOf(e).identityStoreArn)).toContain(other);
  });

  it('LookupEvents by EventName answers 50 a page, newest first, and other events stay out', async () => {
    const now = Date.now();
    for (let i = 0; i < 60; i++)
      emulator.aws.addRoleCredentialsEvent({
        userId: `u-${i}`,
        accountId: '111111111111',
        roleName: 'ReadOnlyAccess',
        at: now - i * 60_000,
      });
    emulator.aws.addRoleCredentialsEvent({
      userId: 'u-x',
      accountId: '111111111111',
      roleName: 'ReadOnlyAccess',
      eventName: 'ListAccountRoles',
    });
    const first = await byName('GetRoleCredentials');
    expect(first.Events).toHaveLength(50);
    expect(onBehalfOf(first.Events![0]!).userId).toBe('u-0');
    const second = await byName('GetRoleCredentials', first.NextToken);
    expect(second.Events).toHaveLength(10);
    expect(second.NextToken).toBeUndefined();
  });
});
