// What an emulated permission set allows, through the real SDK client and checked against the
// copied model (__tests__/fixtures/contracts/aws/sso-admin-2020-07-20.json): created with its tags,
// its inline policy, AWS-managed and customer-managed policies and boundary put, read and taken
// away, the quotas, the delete refused while it is provisioned, and a provisioning that fails in
// the one account missing a customer-managed policy it references.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { rejection, ssoAdminClient } from './sdk.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  Object.assign(emulator.aws.config, { tps: 1000, writeDelayMs: 0, provisionDelayMs: 0 });
});

const sso = () => ssoAdminClient(emulator);
const InstanceArn = () => emulator.aws.instanceArn;

type Shape = { traits?: Record<string, unknown> };
const model = JSON.parse(
  readFileSync(resolve(process.cwd(), '__tests__/fixtures/contracts/aws/sso-admin-2020-07-20.json'), 'utf8'),
) as { shapes: Record<string, Shape> };
const traitOf = (shape: string, trait: string) =>
  model.shapes[`com.amazonaws.ssoadmin#${shape}`]!.traits![trait];

async function create(Name: string, Tags?: { Key: string; Value: string }[]) {
  const answer = await sso().send(
    new ssoAdmin.CreatePermissionSetCommand({
      InstanceArn: InstanceArn(),
      Name,
      Description: `${Name} for engineers`,
      SessionDuration: 'PT4H',
      ...(Tags ? { Tags } : {}),
    }),
  );
  return answer.PermissionSet!.PermissionSetArn!;
}

const set = (PermissionSetArn: string) => ({ InstanceArn: InstanceArn(), PermissionSetArn });

async function waitProvisioned(RequestId: string) {
  for (let i = 0; i < 50; i++) {
    const { PermissionSetProvisioningStatus: status } = await sso().send(
      new ssoAdmin.DescribePermissionSetProvisioningStatusCommand({
        InstanceArn: InstanceArn(),
        ProvisionPermissionSetRequestId: RequestId,
      }),
    );
    if (status?.Status !== 'IN_PROGRESS') return status!;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the provisioning never ended');
}

async function provision(arn: string, TargetId: string) {
  const { PermissionSetProvisioningStatus } = await sso().send(
    new ssoAdmin.ProvisionPermissionSetCommand({ ...set(arn), TargetType: 'AWS_ACCOUNT', TargetId }),
  );
  return waitProvisioned(PermissionSetProvisioningStatus!.RequestId!);
}

const accounts = async (arn: string, ProvisioningStatus?: ssoAdmin.ProvisioningStatus) =>
  (
    await sso().send(
      new ssoAdmin.ListAccountsForProvisionedPermissionSetCommand({ ...set(arn), ProvisioningStatus }),
    )
  ).AccountIds;

describe('a permission set is created with its tags and described as it was made', () => {
  it('carries the tags CreatePermissionSet was given from the start, and DescribePermissionSet answers its fields', async () => {
    const arn = await create('ReadOnly', [
      { Key: 'cloud-access:manifest', Value: 'octo-org/infra:access.yml' },
    ]);
    const tags = await sso().send(new ssoAdmin.ListTagsForResourceCommand({ ...set(arn), ResourceArn: arn }));
    expect(tags.Tags).toEqual([{ Key: 'cloud-access:manifest', Value: 'octo-org/infra:access.yml' }]);
    const { PermissionSet } = await sso().send(new ssoAdmin.DescribePermissionSetCommand(set(arn)));
    expect(PermissionSet).toMatchObject({
      Name: 'ReadOnly',
      PermissionSetArn: arn,
      Description: 'ReadOnly for engineers',
      SessionDuration: 'PT4H',
    });
  });

  it('refuses tags outside the model’s Tag shape, and more than 50, creating nothing', async () => {
    expect(traitOf('TagList', 'smithy.api#length')).toEqual({ min: 0, max: 75 });
    const bad = await rejection(create('Bad', [{ Key: 'team#1', Value: 'x' }]));
    expect(bad.name).toBe('ValidationException');
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await rejection(create('Many', many))).name).toBe('ServiceQuotaExceededException');
    const names = [...emulator.aws.state.permissionSets.values()].map((p) => p.name);
    expect(names).not.toContain('Bad');
    expect(names).not.toContain('Many');
  });

  it('a taken name is ConflictException', async () => {
    await create('ReadOnly');
    expect((await rejection(create('ReadOnly'))).name).toBe('ConflictException');
  });
});

describe('the inline policy', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }],
  });

  it('is put, read back as written, and deleted (a permission set without one answers no InlinePolicy)', async () => {
    const arn = await create('ReadOnly');
    const get = () => sso().send(new ssoAdmin.GetInlinePolicyForPermissionSetCommand(set(arn)));
    expect((await get()).InlinePolicy).toBeUndefined();
    await sso().send(
      new ssoAdmin.PutInlinePolicyToPermissionSetCommand({ ...set(arn), InlinePolicy: policy }),
    );
    expect((await get()).InlinePolicy).toBe(policy);
    await sso().send(new ssoAdmin.DeleteInlinePolicyFromPermissionSetCommand(set(arn)));
    expect((await get()).InlinePolicy).toBeUndefined();
  });

  it('longer than the model’s 32,768 characters, or not JSON, is ValidationException', async () => {
    expect(traitOf('PermissionSetPolicyDocument', 'smithy.api#length')).toEqual({ min: 1, max: 32768 });
    const arn = await create('ReadOnly');
    const long = JSON.stringify({ Version: '2012-10-17', Statement: [], Sid: 'x'.repeat(32_768) });
    for (const InlinePolicy of [long, '{"Version": '])
      expect(
        (
          await rejection(
            sso().send(new ssoAdmin.PutInlinePolicyToPermissionSetCommand({ ...set(arn), InlinePolicy })),
          )
        ).name,
      ).toBe('ValidationException');
  });
});

describe('AWS-managed policies and customer-managed policy references', () => {
  /** Real AWS-managed policies: the emulator refuses one IAM does not have. */
  const REAL = [
    'AdministratorAccess',
    'PowerUserAccess',
    'SecurityAudit',
    'IAMReadOnlyAccess',
    'AmazonS3ReadOnlyAccess',
    'AmazonEC2ReadOnlyAccess',
    'AmazonVPCReadOnlyAccess',
    'AWSSupportAccess',
    'CloudWatchReadOnlyAccess',
    'AmazonRDSReadOnlyAccess',
  ].map((name) => `arn:aws:iam::aws:policy/${name}`);
  const READ_ONLY_ACCESS = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
  const VIEW_ONLY = 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess';

  it('are attached, listed (the AWS-managed ones with their names, the references with their paths) and detached', async () => {
    const arn = await create('ReadOnly');
    for (const ManagedPolicyArn of [READ_ONLY_ACCESS, VIEW_ONLY])
      await sso().send(
        new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({ ...set(arn), ManagedPolicyArn }),
      );
    await sso().send(
      new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
        ...set(arn),
        CustomerManagedPolicyReference: { Name: 'deny-secrets' },
      }),
    );
    await sso().send(
      new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
        ...set(arn),
        CustomerManagedPolicyReference: { Name: 'audit', Path: '/security/' },
      }),
    );
    const managed = () => sso().send(new ssoAdmin.ListManagedPoliciesInPermissionSetCommand(set(arn)));
    const customer = () =>
      sso().send(new ssoAdmin.ListCustomerManagedPolicyReferencesInPermissionSetCommand(set(arn)));
    expect((await managed()).AttachedManagedPolicies).toEqual([
      { Name: 'ReadOnlyAccess', Arn: READ_ONLY_ACCESS },
      { Name: 'ViewOnlyAccess', Arn: VIEW_ONLY },
    ]);
    expect((await customer()).CustomerManagedPolicyReferences).toEqual([
      { Name: 'deny-secrets', Path: '/' },
      { Name: 'audit', Path: '/security/' },
    ]);
    await sso().send(
      new ssoAdmin.DetachManagedPolicyFromPermissionSetCommand({
        ...set(arn),
        ManagedPolicyArn: READ_ONLY_ACCESS,
      }),
    );
    await sso().send(
      new ssoAdmin.DetachCustomerManagedPolicyReferenceFromPermissionSetCommand({
        ...set(arn),
        CustomerManagedPolicyReference: { Name: 'audit', Path: '/security/' },
      }),
    );
    expect((await managed()).AttachedManagedPolicies).toEqual([{ Name: 'ViewOnlyAccess', Arn: VIEW_ONLY }]);
    expect((await customer()).CustomerManagedPolicyReferences).toEqual([{ Name: 'deny-secrets', Path: '/' }]);
  });

  it('are listed a page at a time, as the model’s paginated traits say', async () => {
    expect(traitOf('ListManagedPoliciesInPermissionSet', 'smithy.api#paginated')).toMatchObject({
      items: 'AttachedManagedPolicies',
    });
    expect(
      traitOf('ListCustomerManagedPolicyReferencesInPermissionSet', 'smithy.api#paginated'),
    ).toMatchObject({
      items: 'CustomerManagedPolicyReferences',
    });
    const arn = await create('ReadOnly');
    for (let i = 0; i < 3; i++)
      await sso().send(
        new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({
          ...set(arn),
          ManagedPolicyArn: REAL[i]!,
        }),
      );
    Object.assign(emulator.aws.config, { defaultPageSize: 2, maxPageSize: 2 });
    const first = await sso().send(new ssoAdmin.ListManagedPoliciesInPermissionSetCommand(set(arn)));
    expect(first.AttachedManagedPolicies).toHaveLength(2);
    const second = await sso().send(
      new ssoAdmin.ListManagedPoliciesInPermissionSetCommand({ ...set(arn), NextToken: first.NextToken }),
    );
    expect(second.AttachedManagedPolicies?.map((p) => p.Name)).toEqual(['SecurityAudit']);
    expect(second.NextToken).toBeUndefined();
  });

  it('an attach given twice is ConflictException; a detach of what is not attached is ResourceNotFoundException', async () => {
    const arn = await create('ReadOnly');
    const attach = () =>
      sso().send(
        new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({ ...set(arn), ManagedPolicyArn: VIEW_ONLY }),
      );
    await attach();
    expect((await rejection(attach())).name).toBe('ConflictException');
    const detach = await rejection(
      sso().send(
        new ssoAdmin.DetachCustomerManagedPolicyReferenceFromPermissionSetCommand({
          ...set(arn),
          CustomerManagedPolicyReference: { Name: 'never-attached' },
        }),
      ),
    );
    expect(detach.name).toBe('ResourceNotFoundException');
  });

  it('a customer-managed policy ARN as a managed policy, or a reference outside the model’s name and path, is ValidationException', async () => {
    const arn = await create('ReadOnly');
    const customerArn = await rejection(
      sso().send(
        new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({
          ...set(arn),
          ManagedPolicyArn: 'arn:aws:iam::111111111111:policy/deny-secrets',
        }),
      ),
    );
    expect(customerArn.name).toBe('ValidationException');
    for (const CustomerManagedPolicyReference of [{ Name: 'a b' }, { Name: 'ok', Path: 'no-slashes' }])
      expect(
        (
          await rejection(
            sso().send(
              new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
                ...set(arn),
                CustomerManagedPolicyReference,
              }),
            ),
          )
        ).name,
      ).toBe('ValidationException');
  });

  it('more than 20 together, AWS-managed and customer-managed, is ServiceQuotaExceededException', async () => {
    const arn = await create('ReadOnly');
    for (let i = 0; i < 10; i++) {
      await sso().send(
        new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({
          ...set(arn),
          ManagedPolicyArn: REAL[i]!,
        }),
      );
      await sso().send(
        new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
          ...set(arn),
          CustomerManagedPolicyReference: { Name: `custom-${i}` },
        }),
      );
    }
    const over = await rejection(
      sso().send(
        new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({ ...set(arn), ManagedPolicyArn: VIEW_ONLY }),
      ),
    );
    expect(over.name).toBe('ServiceQuotaExceededException');
  });
});

describe('the permissions boundary', () => {
  it('is an AWS-managed ARN or a customer-managed reference, read back as put, and deleted; none is ResourceNotFoundException', async () => {
    const arn = await create('ReadOnly');
    const get = () => sso().send(new ssoAdmin.GetPermissionsBoundaryForPermissionSetCommand(set(arn)));
    expect((await rejection(get())).name).toBe('ResourceNotFoundException');
    await sso().send(
      new ssoAdmin.PutPermissionsBoundaryToPermissionSetCommand({
        ...set(arn),
        PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'boundary' } },
      }),
    );
    expect((await get()).PermissionsBoundary).toEqual({
      CustomerManagedPolicyReference: { Name: 'boundary', Path: '/' },
    });
    await sso().send(
      new ssoAdmin.PutPermissionsBoundaryToPermissionSetCommand({
        ...set(arn),
        PermissionsBoundary: { ManagedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      }),
    );
    expect((await get()).PermissionsBoundary).toEqual({
      ManagedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    });
    await sso().send(new ssoAdmin.DeletePermissionsBoundaryFromPermissionSetCommand(set(arn)));
    expect((await rejection(get())).name).toBe('ResourceNotFoundException');
  });

  it('naming both kinds, or neither, is ValidationException', async () => {
    const arn = await create('ReadOnly');
    for (const PermissionsBoundary of [
      {},
      {
        ManagedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
        CustomerManagedPolicyReference: { Name: 'b' },
      },
    ])
      expect(
        (
          await rejection(
            sso().send(
              new ssoAdmin.PutPermissionsBoundaryToPermissionSetCommand({ ...set(arn), PermissionsBoundary }),
            ),
          )
        ).name,
      ).toBe('ValidationException');
  });
});

describe('an edit, a provisioning, and the accounts on the latest version', () => {
  it('an UpdatePermissionSet without RelayState clears the relay state, as AWS does (terraform-provider-aws #17411)', async () => {
    const arn = await create('ReadOnly');
    const relayState = 'https://console.aws.amazon.com/';
    await sso().send(new ssoAdmin.UpdatePermissionSetCommand({ ...set(arn), RelayState: relayState }));
    const described = async () =>
      (await sso().send(new ssoAdmin.DescribePermissionSetCommand(set(arn)))).PermissionSet!;
    expect((await described()).RelayState).toBe(relayState);
    await sso().send(new ssoAdmin.UpdatePermissionSetCommand({ ...set(arn), SessionDuration: 'PT8H' }));
    expect(await described()).toMatchObject({
      SessionDuration: 'PT8H',
      Description: 'ReadOnly for engineers',
    });
    expect((await described()).RelayState).toBeUndefined();
  });

  it('an update makes every provisioned account not the latest until ProvisionPermissionSet runs there', async () => {
    const arn = await create('ReadOnly');
    await provision(arn, '111111111111');
    await provision(arn, '222222222222');
    expect(await accounts(arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED')).toEqual([]);
    await sso().send(new ssoAdmin.UpdatePermissionSetCommand({ ...set(arn), SessionDuration: 'PT8H' }));
    expect(await accounts(arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED')).toEqual([
      '111111111111',
      '222222222222',
    ]);
    expect((await provision(arn, '111111111111')).Status).toBe('SUCCEEDED');
    expect(await accounts(arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED')).toEqual(['222222222222']);
    expect(await accounts(arn, 'LATEST_PERMISSION_SET_PROVISIONED')).toEqual(['111111111111']);
  });

  it('fails, naming the policy, in the one account that lacks a customer-managed policy the set references, which stays outdated', async () => {
    const arn = await create('ReadOnly');
    await provision(arn, '111111111111');
    await provision(arn, '222222222222');
    emulator.aws.addCustomerManagedPolicy(['111111111111'], 'deny-secrets');
    await sso().send(
      new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
        ...set(arn),
        CustomerManagedPolicyReference: { Name: 'deny-secrets' },
      }),
    );
    expect((await provision(arn, '111111111111')).Status).toBe('SUCCEEDED');
    const failed = await provision(arn, '222222222222');
    expect(failed).toMatchObject({ Status: 'FAILED', AccountId: '222222222222' });
    expect(failed.FailureReason).toContain('arn:aws:iam::222222222222:policy/deny-secrets');
    expect(await accounts(arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED')).toEqual(['222222222222']);
  });

  it('an assignment’s create fails the same way where the boundary’s customer-managed policy is missing', async () => {
    const arn = await create('Bounded');
    await sso().send(
      new ssoAdmin.PutPermissionsBoundaryToPermissionSetCommand({
        ...set(arn),
        PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'boundary', Path: '/guard/' } },
      }),
    );
    const { AccountAssignmentCreationStatus: created } = await sso().send(
      new ssoAdmin.CreateAccountAssignmentCommand({
        ...set(arn),
        TargetId: '333333333333',
        TargetType: 'AWS_ACCOUNT',
        PrincipalType: 'USER',
        PrincipalId: emulator.aws.userId('alice'),
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    const { AccountAssignmentCreationStatus: status } = await sso().send(
      new ssoAdmin.DescribeAccountAssignmentCreationStatusCommand({
        InstanceArn: InstanceArn(),
        AccountAssignmentCreationRequestId: created!.RequestId,
      }),
    );
    expect(status?.Status).toBe('FAILED');
    expect(status?.FailureReason).toContain('arn:aws:iam::333333333333:policy/guard/boundary');
    expect(emulator.aws.assignments()).toEqual([]);
  });

  it('fails everywhere when the inline policy is over IAM’s 10,240 characters without whitespace, which the model lets in', async () => {
    const arn = await create('Large');
    const InlinePolicy = JSON.stringify({ Version: '2012-10-17', Statement: [], Sid: 'x'.repeat(10_240) });
    await sso().send(new ssoAdmin.PutInlinePolicyToPermissionSetCommand({ ...set(arn), InlinePolicy }));
    const failed = await provision(arn, '111111111111');
    expect(failed.Status).toBe('FAILED');
    expect(failed.FailureReason).toContain('Maximum policy size of 10240 bytes exceeded');
  });

  it('ListPermissionSetProvisioningStatus lists the provisionings newest first, filtered by status', async () => {
    const arn = await create('ReadOnly');
    emulator.aws.addCustomerManagedPolicy(['111111111111'], 'deny-secrets');
    await sso().send(
      new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
        ...set(arn),
        CustomerManagedPolicyReference: { Name: 'deny-secrets' },
      }),
    );
    const ok = await provision(arn, '111111111111');
    const failed = await provision(arn, '222222222222');
    const list = (Status?: ssoAdmin.StatusValues) =>
      sso().send(
        new ssoAdmin.ListPermissionSetProvisioningStatusCommand({
          InstanceArn: InstanceArn(),
          ...(Status ? { Filter: { Status } } : {}),
        }),
      );
    expect((await list()).PermissionSetsProvisioningStatus?.map((s) => s.RequestId)).toEqual([
      failed.RequestId,
      ok.RequestId,
    ]);
    expect((await list('FAILED')).PermissionSetsProvisioningStatus).toEqual([
      expect.objectContaining({ Status: 'FAILED', RequestId: failed.RequestId }),
    ]);
  });
});

describe('a permission set’s delete', () => {
  it('is refused with ConflictException while the set is provisioned, and done once its last assignment is gone', async () => {
    const arn = await create('ReadOnly');
    const assignment = {
      accountId: '111111111111',
      permissionSetArn: arn,
      principalType: 'USER' as const,
      principalId: emulator.aws.userId('alice'),
    };
    emulator.aws.addAssignment(assignment);
    const refused = await rejection(sso().send(new ssoAdmin.DeletePermissionSetCommand(set(arn))));
    expect(refused.name).toBe('ConflictException');
    expect(emulator.aws.state.permissionSets.has(arn)).toBe(true);
    emulator.aws.state.removeAssignment(assignment);
    await sso().send(new ssoAdmin.DeletePermissionSetCommand(set(arn)));
    expect(emulator.aws.state.permissionSets.has(arn)).toBe(false);
    const gone = await rejection(sso().send(new ssoAdmin.DescribePermissionSetCommand(set(arn))));
    expect(gone.name).toBe('ResourceNotFoundException');
  });
});

describe('an AWS-managed policy IAM does not have', () => {
  it('is refused by AttachManagedPolicyToPermissionSet with the model’s ResourceNotFoundException, and not attached', async () => {
    const arn = await create('ReadOnly');
    const refused = await rejection(
      sso().send(
        new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({
          ...set(arn),
          ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAcess',
        }),
      ),
    );
    expect(refused.name).toBe('ResourceNotFoundException');
    expect(model.shapes['com.amazonaws.ssoadmin#AttachManagedPolicyToPermissionSet']).toMatchObject({
      errors: expect.arrayContaining([{ target: 'com.amazonaws.ssoadmin#ResourceNotFoundException' }]),
    });
    const listed = await sso().send(new ssoAdmin.ListManagedPoliciesInPermissionSetCommand(set(arn)));
    expect(listed.AttachedManagedPolicies).toEqual([]);
  });
});
