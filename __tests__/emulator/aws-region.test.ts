// An IAM Identity Center instance lives in one Region (its home Region), read from each request's
// SigV4 credential scope: in any other, ListInstances shows none, a call naming the instance or its
// identity store answers ResourceNotFoundException, and CloudTrail's history has none of its calls.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, ListPermissionSetsCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { rejection, staticCredentials } from './sdk.js';

const HOME = 'eu-central-1';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false, awsRegion: HOME });
});
afterAll(() => emulator.close());

const clients = (region: string) => {
  const common = { region, credentials: staticCredentials(emulator), maxAttempts: 1 };
  return {
    ssoAdmin: new SSOAdminClient({ ...common, endpoint: emulator.env.AWS_ENDPOINT_URL_SSO_ADMIN }),
    identityStore: new IdentitystoreClient({
      ...common,
      endpoint: emulator.env.AWS_ENDPOINT_URL_IDENTITYSTORE,
    }),
    cloudTrail: new CloudTrailClient({ ...common, endpoint: emulator.env.AWS_ENDPOINT_URL_CLOUDTRAIL }),
  };
};

describe('the instance lives in one Region', () => {
  it('is the Region the emulator was started with, and its AWS_REGION', async () => {
    expect(emulator.aws.region).toBe(HOME);
    expect(emulator.env.AWS_REGION).toBe(HOME);
    const { Instances } = await clients(HOME).ssoAdmin.send(new ListInstancesCommand({}));
    expect(Instances?.map((i) => i.InstanceArn)).toEqual([emulator.aws.instanceArn]);
  });

  it('in another Region ListInstances shows none, and the instance and its identity store are not found', async () => {
    const elsewhere = clients('us-east-1');
    expect((await elsewhere.ssoAdmin.send(new ListInstancesCommand({}))).Instances).toEqual([]);
    const permissionSets = await rejection(
      elsewhere.ssoAdmin.send(new ListPermissionSetsCommand({ InstanceArn: emulator.aws.instanceArn })),
    );
    expect(permissionSets).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Instance ${emulator.aws.instanceArn} does not exist.`,
    });
    const users = await rejection(
      elsewhere.identityStore.send(new ListUsersCommand({ IdentityStoreId: emulator.aws.identityStoreId })),
    );
    expect(users).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it("keeps CloudTrail's history per Region: a write shows only where it was made", async () => {
    emulator.aws.createAssignmentAs(
      {
        accountId: '111111111111',
        permissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
        principalType: 'USER',
        principalId: emulator.aws.userId('alice'),
      },
      { principalArn: 'arn:aws:iam::123456789012:user/admin' },
    );
    const lookUp = async (region: string) =>
      (await clients(region).cloudTrail.send(new LookupEventsCommand({}))).Events?.map((e) => e.EventName);
    expect(await lookUp(HOME)).toEqual(['CreateAccountAssignment']);
    expect(await lookUp('us-east-1')).toEqual([]);
  });
});
