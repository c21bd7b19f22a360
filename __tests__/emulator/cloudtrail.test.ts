// The emulated CloudTrail event history through the real client (@aws-sdk/client-cloudtrail):
// SSO Admin writes show up with who made them once delivered, newest first, 50 a page, within the
// time range asked, filtered by one attribute, at two requests a second.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LookupEventsCommand, paginateLookupEvents, type Event } from '@aws-sdk/client-cloudtrail';
import { CreateAccountAssignmentCommand } from '@aws-sdk/client-sso-admin';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import {
  assignmentInput,
  cloudTrailClient,
  record,
  ROLE_ARN,
  webIdentitySession,
} from './cloudtrail-helpers.js';
import { rejection, sleep, ssoAdminClient } from './sdk.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ awsWriteDelayMs: 20, quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const DAY = 24 * 60 * 60_000;
const lookup = (input: ConstructorParameters<typeof LookupEventsCommand>[0] = {}) =>
  cloudTrailClient(emulator).send(new LookupEventsCommand(input));
const byName = (name: string) => ({
  LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: name }],
});
/** Planted events, `count` of them a second apart, the newest `newestAt`. */
function plant(count: number, newestAt = Date.now() - 60_000) {
  return Array.from({ length: count }, (_, i) =>
    emulator.aws.addCloudTrailEvent({
      eventName: 'CreateAccountAssignment',
      principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/run-${i}`,
      at: newestAt - (count - 1 - i) * 1000,
    }),
  );
}

describe('an SSO Admin write, as LookupEvents shows it', () => {
  it('by a web identity session: its session name and role, once delivered and not before', async () => {
    // Long enough that the first lookup comes before it, however loaded the machine.
    const delayMs = 2_000;
    emulator.aws.config.cloudTrailDelayMs = delayMs;
    const session = 'cloud-access-123456789-701-1-e';
    const credentials = await webIdentitySession(emulator, session);
    const created = await ssoAdminClient(emulator, credentials).send(
      new CreateAccountAssignmentCommand(assignmentInput(emulator)),
    );
    const answeredAt = Date.now();
    const requestId = created.AccountAssignmentCreationStatus!.RequestId!;

    expect((await lookup(byName('CreateAccountAssignment'))).Events).toEqual([]);
    await sleep(answeredAt + delayMs + 100 - Date.now());
    const { Events } = await lookup(byName('CreateAccountAssignment'));
    expect(Events).toHaveLength(1);
    const event = Events![0]!;
    expect(event).toMatchObject({
      EventName: 'CreateAccountAssignment',
      EventSource: 'sso.amazonaws.com',
      ReadOnly: 'false',
      Username: session,
      AccessKeyId: credentials.accessKeyId,
      Resources: [],
    });
    expect(event.EventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Now, to within what a loaded machine takes between the write and this line.
    expect(Math.abs(event.EventTime!.getTime() - Date.now())).toBeLessThan(10_000);
    const trail = record(event);
    expect(trail).toMatchObject({
      eventVersion: '1.08',
      eventSource: 'sso.amazonaws.com',
      eventName: 'CreateAccountAssignment',
      awsRegion: 'us-east-1',
      eventID: event.EventId,
      requestID: requestId,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '123456789012',
      eventCategory: 'Management',
      requestParameters: {
        instanceArn: emulator.aws.instanceArn,
        targetId: '111111111111',
        targetType: 'AWS_ACCOUNT',
        permissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
        principalType: 'USER',
        principalId: emulator.aws.userId('alice'),
      },
      responseElements: {
        accountAssignmentCreationStatus: { status: 'IN_PROGRESS', requestId, targetId: '111111111111' },
      },
    });
    expect(trail.responseElements!.accountAssignmentCreationStatus).not.toHaveProperty('createdDate');
    expect(trail.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(trail.userIdentity).toMatchObject({
      type: 'AssumedRole',
      principalId: expect.stringMatching(new RegExp(`^AROA[0-9A-F]{17}:${session}$`)),
      arn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${session}`,
      accountId: '123456789012',
      accessKeyId: credentials.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', arn: ROLE_ARN, accountId: '123456789012', userName: 'cloud-access' },
        webIdFederationData: {
          federatedProvider: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
          attributes: {},
        },
        attributes: { mfaAuthenticated: 'false' },
      },
    });
    expect(trail.userAgent).toMatch(/aws-sdk-js/);
    if (process.env.PRINT_CLOUDTRAIL_EVENT)
      console.log(JSON.stringify({ ...event, CloudTrailEvent: trail }, null, 2));
  });

  it('by the static key: an IAM user; a refused write carries its error and no answer', async () => {
    emulator.aws.faults.accessDenied = ['DeleteAccountAssignment'];
    const client = ssoAdminClient(emulator);
    await client.send(new CreateAccountAssignmentCommand(assignmentInput(emulator)));
    const { DeleteAccountAssignmentCommand } = await import('@aws-sdk/client-sso-admin');
    await rejection(client.send(new DeleteAccountAssignmentCommand(assignmentInput(emulator))));
    const [denied, created] = (await lookup()).Events!;
    expect(created).toMatchObject({ EventName: 'CreateAccountAssignment', Username: 'emulator' });
    expect(record(created!).userIdentity).toMatchObject({
      type: 'IAMUser',
      arn: 'arn:aws:iam::123456789012:user/emulator',
      userName: 'emulator',
      accessKeyId: emulator.aws.staticCredentials.accessKeyId,
    });
    expect(record(denied!)).toMatchObject({
      eventName: 'DeleteAccountAssignment',
      errorCode: 'AccessDeniedException',
      errorMessage: expect.stringContaining('is not authorized to perform: sso:DeleteAccountAssignment'),
      responseElements: null,
    });
  });
});

describe('order, pages and time range', () => {
  it('answers newest first, 50 a page (MaxResults at most 50), every event once', async () => {
    emulator.aws.config.cloudTrailTps = 100;
    const planted = plant(120);
    const pages: Event[][] = [];
    for await (const page of paginateLookupEvents({ client: cloudTrailClient(emulator) }, {}))
      pages.push(page.Events ?? []);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    expect(pages.flat().map((e) => e.EventId)).toEqual(planted.reverse().map((e) => e.eventId));
    const small = await lookup({ MaxResults: 7 });
    expect(small.Events).toHaveLength(7);
    expect(small.NextToken).toEqual(expect.any(String));
  });

  it('keeps StartTime and EndTime, both inclusive, in whole seconds', async () => {
    const base = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    const events = [0, 1, 2, 3, 4].map((i) =>
      emulator.aws.addCloudTrailEvent({
        eventName: `Op${i}`,
        principalArn: 'arn:aws:iam::123456789012:user/admin',
        at: base + i * 60_000 + 500,
      }),
    );
    const { Events } = await lookup({
      StartTime: new Date(base + 60_000),
      EndTime: new Date(base + 180_000),
    });
    expect(Events!.map((e) => e.EventName)).toEqual(['Op3', 'Op2', 'Op1']);
    expect(Events![0]!.EventTime!.getTime()).toBe(base + 180_000);
    expect((await lookup({ StartTime: new Date(base + 240_001) })).Events!.map((e) => e.EventId)).toEqual([]);
    expect(events).toHaveLength(5);
  });

  it('keeps 90 days: an event of 20 days ago is there, one of 91 days ago is not', async () => {
    emulator.aws.addCloudTrailEvent({
      eventName: 'Old',
      principalArn: 'arn:aws:iam::123456789012:user/admin',
      at: Date.now() - 91 * DAY,
    });
    emulator.aws.addCloudTrailEvent({
      eventName: 'Recent',
      principalArn: 'arn:aws:iam::123456789012:user/admin',
      at: Date.now() - 20 * DAY,
    });
    expect(
      (await lookup({ StartTime: new Date(Date.now() - 100 * DAY) })).Events!.map((e) => e.EventName),
    ).toEqual(['Recent']);
  });

  it('filters on one attribute of each kind', async () => {
    emulator.aws.config.cloudTrailTps = 100;
    const admin = 'arn:aws:iam::123456789012:user/admin';
    const a = emulator.aws.addCloudTrailEvent({
      eventName: 'CreateAccountAssignment',
      principalArn: admin,
      at: Date.now() - 5000,
    });
    const b = emulator.aws.addCloudTrailEvent({
      eventName: 'DeleteAccountAssignment',
      eventSource: 'identitystore.amazonaws.com',
      principalArn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/run-7',
      readOnly: true,
      resources: [{ ResourceType: 'AWS::SSO::Instance', ResourceName: 'ssoins-1234567890abcdef' }],
      at: Date.now() - 4000,
    });
    const ids = async (AttributeKey: string, AttributeValue: string) =>
      (
        await lookup({ LookupAttributes: [{ AttributeKey: AttributeKey as 'EventId', AttributeValue }] })
      ).Events!.map((e) => e.EventId);
    expect(await ids('EventName', 'CreateAccountAssignment')).toEqual([a.eventId]);
    expect(await ids('EventSource', 'identitystore.amazonaws.com')).toEqual([b.eventId]);
    expect(await ids('Username', 'admin')).toEqual([a.eventId]);
    expect(await ids('Username', 'run-7')).toEqual([b.eventId]);
    expect(await ids('ReadOnly', 'true')).toEqual([b.eventId]);
    expect(await ids('AccessKeyId', a.accessKeyId)).toEqual([a.eventId]);
    expect(await ids('EventId', b.eventId)).toEqual([b.eventId]);
    expect(await ids('ResourceType', 'AWS::SSO::Instance')).toEqual([b.eventId]);
    expect(await ids('ResourceName', 'ssoins-1234567890abcdef')).toEqual([b.eventId]);
    expect(await ids('EventName', 'Nothing')).toEqual([]);
  });
});

describe('the quota: two LookupEvents a second', () => {
  it('throttles a third request in one second; the SDK retries it, and it succeeds', async () => {
    plant(3);
    const once = cloudTrailClient(emulator);
    await once.send(new LookupEventsCommand({}));
    await once.send(new LookupEventsCommand({}));
    const third = await rejection(once.send(new LookupEventsCommand({})));
    expect(third.name).toBe('ThrottlingException');
    expect(third.message).toBe('Rate exceeded');
    expect(third.$metadata).toMatchObject({ httpStatusCode: 429 });

    await sleep(1000);
    const retrying = cloudTrailClient(emulator, { maxAttempts: 8 });
    const answers = await Promise.all([0, 1, 2].map(() => retrying.send(new LookupEventsCommand({}))));
    expect(answers.map((a) => a.Events!.length)).toEqual([3, 3, 3]);
    const statuses = emulator.requests.filter((r) => r.operation === 'LookupEvents').map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(emulator.aws.stats.byOperation.LookupEvents).toBe(statuses.length);
    expect(emulator.requests.find((r) => r.operation === 'LookupEvents')).toMatchObject({
      service: 'cloudtrail',
      write: false,
    });
  }, 30_000);

  it('follows config.cloudTrailTps', async () => {
    emulator.aws.config.cloudTrailTps = 5;
    const client = cloudTrailClient(emulator);
    for (let i = 0; i < 5; i++) await client.send(new LookupEventsCommand({}));
    expect((await rejection(client.send(new LookupEventsCommand({})))).name).toBe('ThrottlingException');
    expect(emulator.aws.stats.throttled).toBe(1);
  });
});
