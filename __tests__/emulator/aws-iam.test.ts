// The emulated IAM, through the real SDK client (awsQuery, as STS): GetPolicy of an AWS-managed
// policy IAM has, at its path; NoSuchEntity for one it does not have (a typo); AccessDenied for an
// identity that may not call it; ListPolicies of the AWS-managed ones, by page.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GetPolicyCommand, IAMClient, ListPoliciesCommand } from '@aws-sdk/client-iam';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { rejection, staticCredentials } from './sdk.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const iam = () =>
  new IAMClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_IAM,
    credentials: staticCredentials(emulator),
    maxAttempts: 1,
  });

describe('IAM GetPolicy of an AWS-managed policy', () => {
  it('answers a policy IAM has, at the root or at its path (job-function/)', async () => {
    const root = await iam().send(
      new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
    );
    expect(root.Policy).toMatchObject({
      PolicyName: 'ReadOnlyAccess',
      Path: '/',
      Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      IsAttachable: true,
    });
    const viewOnly = await iam().send(
      new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' }),
    );
    expect(viewOnly.Policy).toMatchObject({ PolicyName: 'ViewOnlyAccess', Path: '/job-function/' });
  });

  it('answers NoSuchEntity for a policy IAM does not have, as AWS does (404)', async () => {
    const missing = await rejection(
      iam().send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAcess' })),
    );
    expect(missing.name).toBe('NoSuchEntityException');
    expect((missing.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(404);
    expect(missing.message).toMatch(/ReadOnlyAcess does not exist or is not attachable/);
  });

  it('answers AccessDenied to an identity that may not call it', async () => {
    emulator.aws.faults.accessDenied.push('GetPolicy');
    const denied = await rejection(
      iam().send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
    );
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toMatch(/not authorized to perform: iam:GetPolicy/);
  });
});

describe('IAM ListPolicies of the AWS-managed policies', () => {
  it('lists them by page, each with its path', async () => {
    const first = await iam().send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 10 }));
    expect(first.Policies).toHaveLength(10);
    expect(first.IsTruncated).toBe(true);
    const names: string[] = (first.Policies ?? []).map((p) => `${p.Path}${p.PolicyName}`);
    let marker = first.Marker;
    while (marker) {
      const page = await iam().send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 10, Marker: marker }));
      names.push(...(page.Policies ?? []).map((p) => `${p.Path}${p.PolicyName}`));
      marker = page.IsTruncated ? page.Marker : undefined;
    }
    expect(names).toEqual(
      expect.arrayContaining(['/ReadOnlyAccess', '/AdministratorAccess', '/job-function/ViewOnlyAccess']),
    );
  });
});
