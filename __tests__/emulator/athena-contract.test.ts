// The emulated Athena against its Smithy model (a cut of it:
// __tests__/fixtures/contracts/aws/athena-2017-05-18.json), through the real SDK client
// (awsJson1_1, `X-Amz-Target: AmazonAthena.<Operation>`): the operations exist, every member of
// every answer is in the operation's output (recursively, of the model's JSON type), each error is
// one the model lists, and what it does: a query goes QUEUED → RUNNING → SUCCEEDED over time, a
// workgroup that does not exist is refused, a query it does not answer ends FAILED with its reason,
// results come in pages with the header row first.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import { COMMON_ERRORS, EMULATED_ATHENA, startEmulator, type Emulator } from '../../emulator/index.js';
import { capturingHandler, rejection, sleep, staticCredentials, type RawExchange } from './sdk.js';
import { shortName, smithyModel } from './smithy-model.js';

const { shape, contractProblems } = smithyModel(EMULATED_ATHENA.model, EMULATED_ATHENA.namespace, 'Athena');

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  Object.assign(emulator.aws.config, { athenaQueuedMs: 60, athenaRunningMs: 120 });
});

const client = (exchanges?: RawExchange[]) =>
  new AthenaClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_ATHENA,
    credentials: staticCredentials(emulator),
    maxAttempts: 1,
    ...(exchanges ? { requestHandler: capturingHandler(exchanges) } : {}),
  });

const SIGN_INS = [
  'SELECT eventid, eventtime, json_format(CAST(useridentity AS JSON)) AS useridentity, serviceeventdetails',
  'FROM "cloudtrail"."org_trail"',
  "WHERE eventsource = 'sso.amazonaws.com' AND eventname = 'GetRoleCredentials' AND eventtime >= '2000-01-01T00:00:00Z'",
].join('\n');
const start = (input: Partial<StartQueryExecutionCommandInput> = {}, exchanges?: RawExchange[]) =>
  client(exchanges).send(
    new StartQueryExecutionCommand({ QueryString: SIGN_INS, WorkGroup: 'primary', ...input }),
  );

async function stateAfter(id: string, ms: number) {
  await sleep(ms);
  return (await client().send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!
    .Status!;
}

describe('the catalog', () => {
  it('serves operations of the service, over awsJson1_1 signed as athena', () => {
    const service = shape(EMULATED_ATHENA.serviceShape);
    expect(service.operations!.map((o) => shortName(o.target))).toEqual(
      expect.arrayContaining(Object.keys(EMULATED_ATHENA.operations)),
    );
    expect(service.traits).toMatchObject({
      'aws.auth#sigv4': { name: 'athena' },
      'aws.protocols#awsJson1_1': {},
      'aws.api#service': { sdkId: 'Athena' },
    });
  });

  it("answers only each operation's model errors and common AWS errors", () => {
    const common = [
      ...COMMON_ERRORS.auth,
      ...COMMON_ERRORS.protocol,
      'AccessDeniedException',
      'ValidationException',
    ];
    for (const [name, op] of Object.entries(EMULATED_ATHENA.operations)) {
      const own = shape(name).errors!.map((e) => shortName(e.target));
      expect([name, op.errors.filter((e) => ![...own, ...common].includes(e))]).toEqual([name, []]);
    }
  });

  it('pages GetQueryResults as the model says, MaxResults 1–1000', () => {
    expect(shape('GetQueryResults').traits).toMatchObject({
      'smithy.api#paginated': { inputToken: 'NextToken', outputToken: 'NextToken', pageSize: 'MaxResults' },
    });
    expect(shape('MaxQueryResults').traits).toMatchObject({ 'smithy.api#range': { min: 1, max: 1000 } });
  });
});

describe('a query run through the real SDK client', () => {
  it('is QUEUED, then RUNNING, then SUCCEEDED, every answer a member of its output', async () => {
    Object.assign(emulator.aws.config, { athenaQueuedMs: 1_000, athenaRunningMs: 1_000 });
    const exchanges: RawExchange[] = [];
    const { QueryExecutionId: id } = await start(
      { QueryExecutionContext: { Database: 'cloudtrail' } },
      exchanges,
    );
    expect(exchanges[0]).toMatchObject({ target: 'AmazonAthena.StartQueryExecution', status: 200 });
    expect(
      contractProblems(JSON.parse(exchanges[0]!.body), shape('StartQueryExecution').output!.target),
    ).toEqual([]);
    // Read until it ends: the states it went through, in order.
    const seen: string[] = [];
    let done = await stateAfter(id!, 0);
    for (; ; done = await stateAfter(id!, 100)) {
      if (seen.at(-1) !== done.State) seen.push(done.State!);
      if (done.State === 'SUCCEEDED' || done.State === 'FAILED') break;
    }
    expect(seen).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(done.CompletionDateTime).toBeInstanceOf(Date);
    const read: RawExchange[] = [];
    await client(read).send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    expect(contractProblems(JSON.parse(read[0]!.body), shape('GetQueryExecution').output!.target)).toEqual(
      [],
    );
  });

  it('answers the sign-ins over the trail, the header row first, in pages bound to their query', async () => {
    const aws = emulator.aws;
    for (let i = 0; i < 3; i++)
      aws.addRoleCredentialsEvent({
        userId: aws.userId('alice'),
        accountId: '111111111111',
        roleName: 'ReadOnlyAccess',
      });
    aws.addRoleCredentialsEvent({
      userName: 'bob',
      format: 'older',
      accountId: '111111111111',
      roleName: 'ReadOnlyAccess',
      awsRegion: 'eu-west-1',
    });
    aws.addRoleCredentialsEvent({
      userId: aws.userId('bob'),
      accountId: '111111111111',
      roleName: 'ReadOnlyAccess',
      eventName: 'ListAccountRoles',
    });
    const { QueryExecutionId: id } = await start();
    expect((await stateAfter(id!, 200)).State).toBe('SUCCEEDED');
    const pages: RawExchange[] = [];
    const first = await client(pages).send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 3 }),
    );
    expect(contractProblems(JSON.parse(pages[0]!.body), shape('GetQueryResults').output!.target)).toEqual([]);
    expect(first.ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => c.Name)).toEqual([
      'eventid',
      'eventtime',
      'useridentity',
      'serviceeventdetails',
    ]);
    expect(first.ResultSet!.Rows![0]!.Data!.map((d) => d.VarCharValue)).toEqual([
      'eventid',
      'eventtime',
      'useridentity',
      'serviceeventdetails',
    ]);
    const second = await client().send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 3, NextToken: first.NextToken }),
    );
    expect(second.NextToken).toBeUndefined();
    const rows = [...first.ResultSet!.Rows!.slice(1), ...second.ResultSet!.Rows!];
    // Four GetRoleCredentials in both Regions, both formats; the ListAccountRoles is not one.
    expect(rows).toHaveLength(4);
    const identities = rows.map((r) => JSON.parse(r.Data![2]!.VarCharValue!) as Record<string, unknown>);
    expect(identities[0]).toMatchObject({
      type: 'IdentityCenterUser',
      username: null,
      onbehalfof: {
        userid: aws.userId('alice'),
        identitystorearn: expect.stringContaining(aws.identityStoreId),
      },
    });
    expect(identities[3]).toMatchObject({ username: 'bob', onbehalfof: null });
    expect(JSON.parse(rows[0]!.Data![3]!.VarCharValue!)).toEqual({
      role_name: 'ReadOnlyAccess',
      account_id: '111111111111',
    });
    const wrong = await rejection(
      client().send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: 'not-a-token' })),
    );
    expect(wrong.name).toBe('InvalidRequestException');
  });

  it('refuses a workgroup that does not exist, and results before the query ends', async () => {
    emulator.aws.config.athenaQueuedMs = 5_000;
    const missing = await rejection(start({ WorkGroup: 'nowhere' }));
    expect(missing).toMatchObject({ name: 'InvalidRequestException', AthenaErrorCode: 'INVALID_INPUT' });
    expect(missing.message).toMatch(/WorkGroup nowhere is not found/);
    const { QueryExecutionId: id } = await start();
    const early = await rejection(client().send(new GetQueryResultsCommand({ QueryExecutionId: id })));
    expect(early.message).toMatch(/not yet finished. Current state: QUEUED/);
    const big = await rejection(
      client().send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 })),
    );
    expect(big.name).toBe('InvalidRequestException');
  });

  it.each([
    [
      'a query it does not answer',
      'SELECT count(*) FROM cloudtrail.org_trail GROUP BY eventname',
      /NOT_SUPPORTED|COLUMN_NOT_FOUND/,
    ],
    [
      'a table that does not exist',
      SIGN_INS.replace('org_trail', 'other'),
      /TABLE_NOT_FOUND: Table 'awsdatacatalog.cloudtrail.other'/,
    ],
  ])('ends FAILED with its reason for %s', async (_label, sql, reason) => {
    const { QueryExecutionId: id } = await start({ QueryString: sql });
    const status = await stateAfter(id!, 200);
    expect(status.State).toBe('FAILED');
    expect(status.StateChangeReason).toMatch(reason);
  });

  it('ends FAILED with an injected reason, and a retried start with its token is the same query', async () => {
    emulator.aws.faults.athenaQueryFailures.push('HIVE_CURSOR_ERROR: emulated');
    const token = 'a'.repeat(32);
    const { QueryExecutionId: id } = await start({ ClientRequestToken: token });
    const { QueryExecutionId: again } = await start({ ClientRequestToken: token });
    expect(again).toBe(id);
    expect(await stateAfter(id!, 200)).toMatchObject({
      State: 'FAILED',
      StateChangeReason: 'HIVE_CURSOR_ERROR: emulated',
    });
  });
});
