// The emulated CloudTrail against its Smithy model (a cut of it:
// __tests__/fixtures/contracts/aws/cloudtrail-2013-11-01.json), through the real SDK client: the
// operation exists, every member of every answer is in LookupEventsResponse (recursively), each
// error answered is one the model lists for LookupEvents (or the quota's ThrottlingException, or a
// common AWS error), with the model's HTTP status and members, and the input constraints the
// emulator enforces are the model's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { LOOKUP_ATTRIBUTE_KEYS } from '../../emulator/aws/cloudtrail/cloudtrail.js';
import { COMMON_ERRORS, EMULATED_CLOUDTRAIL, startEmulator, type Emulator } from '../../emulator/index.js';
import { cloudTrailClient } from './cloudtrail-helpers.js';
import { rejection, type RawExchange } from './sdk.js';
import { shortName, smithyModel, type Shape } from './smithy-model.js';

const { shape, contractProblems } = smithyModel(
  EMULATED_CLOUDTRAIL.model,
  EMULATED_CLOUDTRAIL.namespace,
  'CloudTrail',
);
const NS = `${EMULATED_CLOUDTRAIL.namespace}#`;
const trait = <T>(s: Shape, name: string) => s.traits?.[name] as T | undefined;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.aws.config.cloudTrailTps = 1000;
});

const exchangesOf = async (input: LookupEventsCommandInput) => {
  const exchanges: RawExchange[] = [];
  await cloudTrailClient(emulator, { exchanges })
    .send(new LookupEventsCommand(input))
    .catch(() => undefined);
  return exchanges;
};

describe('the catalog', () => {
  it('serves an operation of the service, over awsJson1_1 signed as cloudtrail', () => {
    const service = shape(EMULATED_CLOUDTRAIL.serviceShape);
    expect(service.operations!.map((o) => shortName(o.target))).toEqual(
      expect.arrayContaining(Object.keys(EMULATED_CLOUDTRAIL.operations)),
    );
    expect(service.traits).toMatchObject({
      'aws.auth#sigv4': { name: 'cloudtrail' },
      'aws.protocols#awsJson1_1': {},
    });
  });

  it("answers only LookupEvents' errors, its quota's ThrottlingException, and common AWS errors", () => {
    const own = shape('LookupEvents').errors!.map((e) => shortName(e.target));
    // The pipeline's answers to injected faults and unreadable bodies (AWS "Common Errors").
    const common = [
      ...COMMON_ERRORS.auth,
      ...COMMON_ERRORS.protocol,
      'AccessDeniedException',
      'InternalServerException',
      'ValidationException',
    ];
    expect(shape('ThrottlingException').traits).toMatchObject({ 'smithy.api#httpError': 429 });
    const allowed = [...own, 'ThrottlingException', ...common];
    expect(EMULATED_CLOUDTRAIL.operations.LookupEvents!.errors.filter((e) => !allowed.includes(e))).toEqual(
      [],
    );
  });

  it("enforces the model's constraints: MaxResults' range, the attribute keys, the value's length", () => {
    expect(trait(shape('MaxResults'), 'smithy.api#range')).toEqual({ min: 1, max: 50 });
    const keys = Object.values(shape('LookupAttributeKey').members!).map(
      (m) => m.traits!['smithy.api#enumValue'],
    );
    expect([...LOOKUP_ATTRIBUTE_KEYS].sort()).toEqual((keys as string[]).sort());
    expect(trait(shape('LookupAttributeValue'), 'smithy.api#length')).toEqual({ min: 1, max: 2000 });
    expect(shape('LookupEvents').traits).toMatchObject({
      'smithy.api#paginated': {
        inputToken: 'NextToken',
        outputToken: 'NextToken',
        items: 'Events',
        pageSize: 'MaxResults',
      },
    });
  });
});

describe('answers through the real SDK client', () => {
  it('every member of an answer is in LookupEventsResponse, of its type', async () => {
    emulator.aws.createAssignmentAs(
      {
        accountId: '111111111111',
        permissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
        principalType: 'USER',
        principalId: emulator.aws.userId('bob'),
      },
      { principalArn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/run-1', sessionName: 'run-1' },
    );
    emulator.aws.addCloudTrailEvent({
      eventName: 'Tagged',
      principalArn: 'arn:aws:iam::123456789012:root',
      resources: [{ ResourceType: 'AWS::SSO::PermissionSet', ResourceName: 'ps-1' }],
    });
    const [exchange] = await exchangesOf({ MaxResults: 1 });
    expect(exchange).toMatchObject({ target: 'CloudTrail_20131101.LookupEvents', status: 200 });
    const body = JSON.parse(exchange!.body) as { Events: unknown[]; NextToken?: string };
    expect(body.Events).toHaveLength(1);
    expect(body.NextToken).toEqual(expect.any(String));
    expect(contractProblems(body, shape('LookupEvents').output!.target)).toEqual([]);
    const [all] = await exchangesOf({});
    expect(contractProblems(JSON.parse(all!.body), shape('LookupEvents').output!.target)).toEqual([]);
  });

  const invalid: [string, string, LookupEventsCommandInput][] = [
    ['InvalidMaxResultsException', 'MaxResults 0', { MaxResults: 0 }],
    ['InvalidMaxResultsException', 'MaxResults 51', { MaxResults: 51 }],
    [
      'InvalidLookupAttributesException',
      'two attributes',
      {
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'A' },
          { AttributeKey: 'Username', AttributeValue: 'b' },
        ],
      },
    ],
    [
      'InvalidLookupAttributesException',
      'a key outside the enum',
      { LookupAttributes: [{ AttributeKey: 'UserAgent' as 'Username', AttributeValue: 'x' }] },
    ],
    [
      'InvalidLookupAttributesException',
      'a value of 2001 characters',
      { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'x'.repeat(2001) }] },
    ],
    [
      'InvalidLookupAttributesException',
      'an empty value',
      { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: '' }] },
    ],
    [
      'InvalidEventCategoryException',
      'EventCategory management',
      { EventCategory: 'management' as 'insight' },
    ],
    [
      'InvalidTimeRangeException',
      'StartTime after EndTime',
      { StartTime: new Date(Date.now() - 1000), EndTime: new Date(Date.now() - 60_000) },
    ],
    ['InvalidNextTokenException', 'a NextToken it never gave', { NextToken: 'not-a-token' }],
  ];
  it.each(invalid)('%s, with the model status and members, for %s', async (code, _label, input) => {
    const [exchange] = await exchangesOf(input);
    const error = shape(code);
    expect(exchange!.status).toBe(trait<number>(error, 'smithy.api#httpError'));
    const body = JSON.parse(exchange!.body) as { __type: string; Message: string };
    expect(shortName(body.__type)).toBe(code);
    const { __type: _type, ...members } = body;
    expect(contractProblems(members, `${NS}${code}`)).toEqual([]);
    expect(body.Message.length).toBeGreaterThanOrEqual(4);
    expect((await rejection(cloudTrailClient(emulator).send(new LookupEventsCommand(input)))).name).toBe(
      code,
    );
  });

  it('the boundaries themselves are accepted: MaxResults 1 and 50, a value of 2000, StartTime equal to EndTime', async () => {
    const client = cloudTrailClient(emulator);
    const now = new Date();
    for (const input of [
      { MaxResults: 1 },
      { MaxResults: 50 },
      { LookupAttributes: [{ AttributeKey: 'Username' as const, AttributeValue: 'x'.repeat(2000) }] },
      { StartTime: now, EndTime: now },
      { EventCategory: 'insight' as const },
    ])
      expect((await client.send(new LookupEventsCommand(input))).Events).toEqual([]);
  });

  it('a NextToken is good only with the parameters it came with', async () => {
    for (let i = 0; i < 3; i++)
      emulator.aws.addCloudTrailEvent({
        eventName: 'CreateAccountAssignment',
        principalArn: 'arn:aws:iam::123456789012:user/a',
      });
    const client = cloudTrailClient(emulator);
    const byName = {
      LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'CreateAccountAssignment' }],
    };
    const first = await client.send(new LookupEventsCommand({ ...byName, MaxResults: 2 }));
    const second = await client.send(
      new LookupEventsCommand({ ...byName, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.Events).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const other = await rejection(
      client.send(new LookupEventsCommand({ MaxResults: 2, NextToken: first.NextToken })),
    );
    expect(other.name).toBe('InvalidNextTokenException');
  });
});
