// The emulated CloudTrail's records of the permission-set writes a snapshot's delta looks up, as
// AWS writes them: `sso.amazonaws.com`, camelCase request parameters naming the instance and the set
// (`permissionSetArn`; a tag write's `resourceArn`), through the real clients.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AttachManagedPolicyToPermissionSetCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  TagResourceCommand,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { policyWriteOf } from '../../src/aws/permission-sets/policy-writes.js';
import { cloudTrailClient, record, ROLE_ARN, webIdentitySession } from './cloudtrail-helpers.js';
import { ssoAdminClient } from './sdk.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe("a permission set's writes, as LookupEvents shows them", () => {
  it('each names the instance and the set, from sso.amazonaws.com', async () => {
    const InstanceArn = emulator.aws.instanceArn;
    const PermissionSetArn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const set = { InstanceArn, PermissionSetArn };
    const client = ssoAdminClient(emulator);
    await client.send(new UpdatePermissionSetCommand({ ...set, SessionDuration: 'PT2H' }));
    await client.send(
      new PutInlinePolicyToPermissionSetCommand({
        ...set,
        InlinePolicy:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}',
      }),
    );
    await client.send(
      new AttachManagedPolicyToPermissionSetCommand({
        ...set,
        ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    await client.send(new ProvisionPermissionSetCommand({ ...set, TargetType: 'ALL_PROVISIONED_ACCOUNTS' }));
    await client.send(
      new TagResourceCommand({
        InstanceArn,
        ResourceArn: PermissionSetArn,
        Tags: [{ Key: 'team', Value: 'a' }],
      }),
    );
    const { Events } = await cloudTrailClient(emulator).send(new LookupEventsCommand({}));
    const records = Events!.map(record);
    const names = (r: (typeof records)[number]) => String(r.eventName);
    expect(records.map(names).sort()).toEqual(
      [
        'AttachManagedPolicyToPermissionSet',
        'ProvisionPermissionSet',
        'PutInlinePolicyToPermissionSet',
        'TagResource',
        'UpdatePermissionSet',
      ].sort(),
    );
    for (const r of records) {
      expect(r.eventSource).toBe('sso.amazonaws.com');
      expect(r.requestParameters).toMatchObject(
        r.eventName === 'TagResource'
          ? { instanceArn: InstanceArn, resourceArn: PermissionSetArn }
          : { instanceArn: InstanceArn, permissionSetArn: PermissionSetArn },
      );
    }
  });

  it('an inline policy put by the action’s web identity session is recorded as AWS writes it: the set, the session’s role, no answer', async () => {
    const InstanceArn = emulator.aws.instanceArn;
    const PermissionSetArn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const session = await webIdentitySession(emulator, 'cloud-access-123-7-1-e');
    const InlinePolicy =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
    await ssoAdminClient(emulator, session).send(
      new PutInlinePolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn, InlinePolicy }),
    );
    const { Events } = await cloudTrailClient(emulator).send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutInlinePolicyToPermissionSet' }],
      }),
    );
    expect(Events).toHaveLength(1);
    expect(record(Events![0]!)).toMatchObject({
      eventSource: 'sso.amazonaws.com',
      eventName: 'PutInlinePolicyToPermissionSet',
      userIdentity: {
        type: 'AssumedRole',
        sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE_ARN } },
      },
      requestParameters: { instanceArn: InstanceArn, permissionSetArn: PermissionSetArn },
      responseElements: null,
    });
    // What the sweep takes of it to find the sets whose session fences it may take out.
    expect(policyWriteOf(Events![0]!, InstanceArn)).toEqual({
      permissionSetArn: PermissionSetArn,
      roleArn: ROLE_ARN,
      at: expect.any(Number),
    });
  });
});
