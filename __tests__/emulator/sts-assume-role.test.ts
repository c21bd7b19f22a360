// STS AssumeRole (awsQuery, signed with SigV4 as every STS call but the web identity one) and
// CloudTrail's event history kept per account: a session of the step's role assumes a role of
// another account whose trust policy names it, and that account's history holds the writes its
// principals made, which the step's own history does not.
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { aliceReadOnly, cloudTrailClient, ROLE_ARN, webIdentitySession } from './cloudtrail-helpers.js';
import { capturingHandler, rejection, type RawExchange } from './sdk.js';

const HISTORY_ROLE = 'arn:aws:iam::210987654321:role/cloud-access-history';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const sts = (credentials: AwsCredentialIdentity, exchanges?: RawExchange[]) =>
  new STSClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_STS,
    credentials,
    maxAttempts: 1,
    ...(exchanges ? { requestHandler: capturingHandler(exchanges) } : {}),
  });

/** The CreateAccountAssignment events an identity's LookupEvents shows. */
async function createsSeenBy(credentials: AwsCredentialIdentity): Promise<string[]> {
  const { Events } = await cloudTrailClient(emulator, { credentials }).send(
    new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAccountAssignment' }],
    }),
  );
  return (Events ?? []).map((e) => e.Username ?? '');
}

describe('STS AssumeRole', () => {
  it('gives a session of the role to a principal its trust policy names, answered as the model shapes it', async () => {
    emulator.aws.assumableRoles.push({ arn: HISTORY_ROLE, trustedPrincipals: [ROLE_ARN] });
    const step = await webIdentitySession(emulator, 'step');
    const exchanges: RawExchange[] = [];
    const answer = await sts(step, exchanges).send(
      new AssumeRoleCommand({ RoleArn: HISTORY_ROLE, RoleSessionName: 'history-read' }),
    );
    expect(answer.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::210987654321:assumed-role/cloud-access-history/history-read',
    );
    expect(answer.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(exchanges[0]!.body).toMatch(
      /^<AssumeRoleResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><AssumeRoleResult><AssumedRoleUser>/,
    );
    expect(emulator.aws.sessions.at(-1)).toMatchObject({
      principalArn: 'arn:aws:sts::210987654321:assumed-role/cloud-access-history/history-read',
      sessionName: 'history-read',
    });
  });

  it('refuses a principal the trust policy does not name, an unknown role, and a key STS never issued', async () => {
    emulator.aws.assumableRoles.push({
      arn: HISTORY_ROLE,
      trustedPrincipals: ['arn:aws:iam::123456789012:role/someone-else'],
    });
    const step = await webIdentitySession(emulator, 'step');
    const exchanges: RawExchange[] = [];
    const untrusted = await rejection(
      sts(step, exchanges).send(new AssumeRoleCommand({ RoleArn: HISTORY_ROLE, RoleSessionName: 'h' + 'r' })),
    );
    expect(untrusted).toMatchObject({ name: 'AccessDenied' });
    expect(untrusted.message).toBe(
      `User: arn:aws:sts::123456789012:assumed-role/cloud-access/step is not authorized to perform: sts:AssumeRole on resource: ${HISTORY_ROLE}`,
    );
    expect(exchanges[0]).toMatchObject({ status: 403 });
    expect(exchanges[0]!.body).toMatch(/<Error><Type>Sender<\/Type><Code>AccessDenied<\/Code>/);
    const unknown = await rejection(
      sts(step).send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/none', RoleSessionName: 'hr' }),
      ),
    );
    expect(unknown).toMatchObject({ name: 'AccessDenied' });
    const forged = await rejection(
      sts({ accessKeyId: 'ASIAFORGED0000000000', secretAccessKey: 'x', sessionToken: 'y' }).send(
        new AssumeRoleCommand({ RoleArn: HISTORY_ROLE, RoleSessionName: 'hr' }),
      ),
    );
    expect(forged).toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('trusts every principal of an account its trust policy names by the account root', async () => {
    emulator.aws.assumableRoles.push({
      arn: HISTORY_ROLE,
      trustedPrincipals: ['arn:aws:iam::123456789012:root'],
    });
    const step = await webIdentitySession(emulator, 'step');
    const answer = await sts(step).send(
      new AssumeRoleCommand({ RoleArn: HISTORY_ROLE, RoleSessionName: 'hr' }),
    );
    expect(answer.Credentials?.SessionToken).toBeTruthy();
  });
});

describe('CloudTrail event history, per account', () => {
  it("holds a write in the history of the caller's account: another account's write only its own role's session sees", async () => {
    emulator.aws.assumableRoles.push({ arn: HISTORY_ROLE, trustedPrincipals: [ROLE_ARN] });
    emulator.aws.createAssignmentAs(aliceReadOnly(emulator, '111111111111'), {
      principalArn: 'arn:aws:sts::210987654321:assumed-role/OrganizationAdmin/carol',
    });
    emulator.aws.createAssignmentAs(aliceReadOnly(emulator, '222222222222'), {
      principalArn: 'arn:aws:iam::123456789012:user/admin',
    });
    const step = await webIdentitySession(emulator, 'step');
    const { Credentials } = await sts(step).send(
      new AssumeRoleCommand({ RoleArn: HISTORY_ROLE, RoleSessionName: 'hr' }),
    );
    const assumed = {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    };
    expect(await createsSeenBy(step)).toEqual(['admin']);
    expect(await createsSeenBy(assumed)).toEqual(['carol']);
    const { Events } = await cloudTrailClient(emulator, { credentials: assumed }).send(
      new LookupEventsCommand({}),
    );
    expect(JSON.parse(Events![0]!.CloudTrailEvent!)).toMatchObject({ recipientAccountId: '210987654321' });
  });
});
