// The emulated IAM Access Analyzer against its Smithy model
// (__tests__/fixtures/contracts/aws/accessanalyzer-2019-11-01.json), through the real SDK client
// (restJson1): each operation is at the model's method and URI, every member of every answer is a
// member of the operation's output (recursively, of the model's JSON type), each error answered is
// one the model lists for the operation, with its HTTP status; and what it proves: a policy's shape
// and Version, `*` on `*`, new access compared as globs (Allow minus Deny), access not granted.
// Also IAM's GetPolicyVersion of an AWS-managed policy (its document URL-encoded, as IAM sends it).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessAnalyzerClient,
  CheckAccessNotGrantedCommand,
  CheckNoNewAccessCommand,
  ValidatePolicyCommand,
} from '@aws-sdk/client-accessanalyzer';
import { GetPolicyVersionCommand, IAMClient } from '@aws-sdk/client-iam';
import { ACCESS_ANALYZER_OPERATIONS } from '../../emulator/aws/access-analyzer/access-analyzer.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { capturingHandler, rejection, staticCredentials, type RawExchange } from './sdk.js';
import { smithyModel } from './smithy-model.js';

const NS = 'com.amazonaws.accessanalyzer#';
const { shape, contractProblems } = smithyModel(
  'accessanalyzer-2019-11-01.json',
  'com.amazonaws.accessanalyzer',
  'Access Analyzer',
);

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const analyzer = (exchanges?: RawExchange[]) =>
  new AccessAnalyzerClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_ACCESSANALYZER,
    credentials: staticCredentials(emulator),
    maxAttempts: 1,
    ...(exchanges ? { requestHandler: capturingHandler(exchanges) } : {}),
  });

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (Action: string | string[], Resource: string | string[] = '*', Sid?: string) => ({
  ...(Sid ? { Sid } : {}),
  Effect: 'Allow',
  Action,
  Resource,
});
const deny = (Action: string | string[], Resource: string | string[] = '*') => ({
  Effect: 'Deny',
  Action,
  Resource,
});

/** The raw answer of one call, checked against the operation's output shape. */
async function answerOf(send: (client: AccessAnalyzerClient) => Promise<unknown>, operation: string) {
  const exchanges: RawExchange[] = [];
  await send(analyzer(exchanges));
  const body = JSON.parse(exchanges[0]!.body) as unknown;
  expect(contractProblems(body, shape(operation).output!.target)).toEqual([]);
  return body;
}

describe('Access Analyzer in its model', () => {
  it('serves each operation at the model’s method and URI', () => {
    for (const [name, op] of Object.entries(ACCESS_ANALYZER_OPERATIONS)) {
      const http = shape(name).traits?.['smithy.api#http'] as { uri: string; method: string };
      expect({ name, uri: op.path, method: 'POST' }).toEqual({ name, uri: http.uri, method: http.method });
    }
  });

  it('lists for each operation only errors its model lists', () => {
    for (const [name, op] of Object.entries(ACCESS_ANALYZER_OPERATIONS)) {
      const modelled = shape(name).errors!.map((e) => e.target.split('#')[1]);
      expect(op.errors.filter((e) => !modelled.includes(e))).toEqual([]);
    }
  });

  it('answers each check in its output shape', async () => {
    const wide = policy(allow('s3:*', '*', 'S3Admin'));
    const narrow = policy(allow('s3:GetObject'));
    await answerOf(
      (c) =>
        c.send(
          new ValidatePolicyCommand({ policyDocument: policy(allow('*')), policyType: 'IDENTITY_POLICY' }),
        ),
      'ValidatePolicy',
    );
    await answerOf(
      (c) =>
        c.send(
          new CheckNoNewAccessCommand({
            newPolicyDocument: wide,
            existingPolicyDocument: narrow,
            policyType: 'IDENTITY_POLICY',
          }),
        ),
      'CheckNoNewAccess',
    );
    await answerOf(
      (c) =>
        c.send(
          new CheckAccessNotGrantedCommand({
            policyDocument: wide,
            access: [{ actions: ['s3:DeleteBucket'] }],
            policyType: 'IDENTITY_POLICY',
          }),
        ),
      'CheckAccessNotGranted',
    );
  });

  it('answers an injected AccessDenied and a throttle with the model’s status and error', async () => {
    emulator.aws.faults.accessDenied.push('CheckNoNewAccess');
    const denied = await rejection(
      analyzer().send(
        new CheckNoNewAccessCommand({
          newPolicyDocument: policy(allow('s3:*')),
          existingPolicyDocument: policy(allow('s3:*')),
          policyType: 'IDENTITY_POLICY',
        }),
      ),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('access-analyzer:CheckNoNewAccess');
    expect((denied.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403);
    emulator.aws.faults.throttleRate = 1;
    const throttled = await rejection(
      analyzer().send(
        new ValidatePolicyCommand({ policyDocument: policy(allow('s3:*')), policyType: 'IDENTITY_POLICY' }),
      ),
    );
    expect(throttled.name).toBe('ThrottlingException');
    expect((throttled.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(429);
    expect(shape('ValidatePolicy').errors!.map((e) => e.target)).toContain(`${NS}ThrottlingException`);
  });

  it('refuses more than 100 actions in one CheckAccessNotGranted, as the model’s length bound says', async () => {
    const bound = shape('Access').members!.actions!.traits!['smithy.api#length'] as { max: number };
    const actions = Array.from({ length: bound.max + 1 }, (_, i) => `s3:Action${i}`);
    const error = await rejection(
      analyzer().send(
        new CheckAccessNotGrantedCommand({
          policyDocument: policy(allow('s3:*')),
          access: [{ actions }],
          policyType: 'IDENTITY_POLICY',
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
  });
});

describe('ValidatePolicy', () => {
  const findings = async (document: string) =>
    (
      await analyzer().send(
        new ValidatePolicyCommand({ policyDocument: document, policyType: 'IDENTITY_POLICY' }),
      )
    ).findings!.map((f) => `${f.findingType} ${f.issueCode}`);

  it('passes a well-formed policy with no finding', async () => {
    expect(await findings(policy(allow('s3:GetObject', 'arn:aws:s3:::logs/*')))).toEqual([]);
  });

  it('reports JSON that is not a policy, a missing Version and a wrong one', async () => {
    expect(await findings('{"Statement": [')).toEqual(['ERROR POLICY_SYNTAX_ERROR']);
    expect(await findings(JSON.stringify({ Statement: [allow('s3:GetObject')] }))).toEqual([
      'WARNING MISSING_VERSION',
    ]);
    expect(
      await findings(JSON.stringify({ Version: '2020-01-01', Statement: [allow('s3:GetObject')] })),
    ).toEqual(['ERROR INVALID_VERSION']);
  });

  it('flags every action on every resource, and iam:PassRole on `*`, as SECURITY_WARNINGs at the statement', async () => {
    const answer = await analyzer().send(
      new ValidatePolicyCommand({
        policyDocument: policy(allow('s3:GetObject'), allow('*')),
        policyType: 'IDENTITY_POLICY',
      }),
    );
    expect(answer.findings).toHaveLength(1);
    expect(answer.findings![0]).toMatchObject({ findingType: 'SECURITY_WARNING' });
    expect(answer.findings![0]!.locations![0]!.path).toEqual([
      { value: 'Statement' },
      { index: 1 },
      { value: 'Action' },
    ]);
    expect(await findings(policy(allow('iam:PassRole')))).toEqual([
      'SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE',
    ]);
  });
});

describe('CheckNoNewAccess', () => {
  const check = (next: string, existing: string) =>
    analyzer().send(
      new CheckNoNewAccessCommand({
        newPolicyDocument: next,
        existingPolicyDocument: existing,
        policyType: 'IDENTITY_POLICY',
      }),
    );

  it('passes a narrowing change and names the statement of a widening one by index and Sid', async () => {
    expect((await check(policy(allow('s3:GetObject')), policy(allow('s3:Get*')))).result).toBe('PASS');
    const wider = await check(
      policy(allow('s3:GetObject'), allow('s3:DeleteBucket', '*', 'S3Admin')),
      policy(allow('s3:Get*')),
    );
    expect(wider.result).toBe('FAIL');
    expect(wider.reasons).toEqual([expect.objectContaining({ statementIndex: 1, statementId: 'S3Admin' })]);
  });

  it('counts a Deny taken away as new access, and a Deny added as none', async () => {
    const fenced = policy(allow('s3:*'), deny('s3:DeleteBucket'));
    expect((await check(policy(allow('s3:*')), fenced)).result).toBe('FAIL');
    expect((await check(fenced, policy(allow('s3:*')))).result).toBe('PASS');
  });
});

describe('CheckAccessNotGranted', () => {
  const check = (document: string, actions: string[], resources?: string[]) =>
    analyzer().send(
      new CheckAccessNotGrantedCommand({
        policyDocument: document,
        access: [{ actions, ...(resources ? { resources } : {}) }],
        policyType: 'IDENTITY_POLICY',
      }),
    );

  it('compares actions as case-blind globs both ways, and resources as globs', async () => {
    expect((await check(policy(allow('iam:*')), ['iam:PassRole'])).result).toBe('FAIL');
    expect((await check(policy(allow('IAM:passrole')), ['iam:PassRole'])).result).toBe('FAIL');
    expect((await check(policy(allow('sso:ListInstances')), ['sso:*'])).result).toBe('FAIL');
    expect((await check(policy(allow('s3:GetObject')), ['iam:PassRole', 'sso:*'])).result).toBe('PASS');
    expect(
      (
        await check(
          policy(allow('s3:*', 'arn:aws:s3:::logs/*')),
          ['s3:GetObject'],
          ['arn:aws:s3:::secrets/*'],
        )
      ).result,
    ).toBe('PASS');
  });

  it('leaves out what a Deny covers (Allow minus Deny)', async () => {
    expect((await check(policy(allow('iam:*'), deny('iam:PassRole')), ['iam:PassRole'])).result).toBe('PASS');
    expect((await check(policy(allow('iam:*'), deny('iam:PassRole')), ['iam:CreateAccessKey'])).result).toBe(
      'FAIL',
    );
  });
});

describe('IAM GetPolicyVersion of an AWS-managed policy', () => {
  const iam = () =>
    new IAMClient({
      region: 'us-east-1',
      endpoint: emulator.env.AWS_ENDPOINT_URL_IAM,
      credentials: staticCredentials(emulator),
      maxAttempts: 1,
    });

  it('answers its default version’s document, URL-encoded as IAM sends it', async () => {
    const { PolicyVersion } = await iam().send(
      new GetPolicyVersionCommand({
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        VersionId: 'v1',
      }),
    );
    expect(PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    expect(JSON.parse(decodeURIComponent(PolicyVersion!.Document!))).toMatchObject({
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
  });

  it('answers NoSuchEntity for a version or a policy IAM does not have, and AccessDenied when denied', async () => {
    const missing = await rejection(
      iam().send(
        new GetPolicyVersionCommand({
          PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
          VersionId: 'v9',
        }),
      ),
    );
    expect(missing.name).toBe('NoSuchEntityException');
    emulator.aws.faults.accessDenied.push('GetPolicyVersion');
    const denied = await rejection(
      iam().send(
        new GetPolicyVersionCommand({
          PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
          VersionId: 'v1',
        }),
      ),
    );
    expect(denied.message).toContain('iam:GetPolicyVersion');
  });
});
