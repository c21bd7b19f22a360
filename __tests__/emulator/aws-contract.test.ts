// The emulator against the official Smithy models (__tests__/fixtures/contracts/aws): every operation it
// serves exists, every member it sends exists in the operation's output (or error) shape, and
// every error code it can answer is one the model lists for that operation, or a common AWS error.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import * as identityStore from '@aws-sdk/client-identitystore';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import { COMMON_ERRORS, EMULATED_OPERATIONS, startEmulator, type Emulator } from '../../emulator/index.js';
import { permissionSetArnFor } from '../../emulator/aws/account/model.js';
import {
  capturingHandler,
  identityStoreClient,
  rejection,
  sleep,
  ssoAdminClient,
  stsClient,
  type RawExchange,
} from './sdk.js';

interface Shape {
  type: string;
  members?: Record<string, { target: string }>;
  member?: { target: string };
  input?: { target: string };
  output?: { target: string };
  errors?: { target: string }[];
  operations?: { target: string }[];
  traits?: Record<string, unknown>;
}
interface Model {
  shapes: Record<string, Shape>;
}

const CONTRACTS = resolve(process.cwd(), '__tests__/fixtures/contracts/aws');

/**
 * Shapes the stored official model predates, written from the SDK's types and kept apart from the
 * verbatim copy (the fixtures' README): SSO Admin's ListRegions. Added to the model, and the
 * service's operations, as the newer official model holds them.
 */
const UNOFFICIAL: Partial<Record<string, string>> = { 'sso-admin': 'sso-admin-list-regions.unofficial.json' };

function modelOf(service: string, file: string): Model {
  const model = JSON.parse(readFileSync(resolve(CONTRACTS, file), 'utf8')) as Model;
  const extra = UNOFFICIAL[service];
  if (!extra) return model;
  const { operations, shapes } = JSON.parse(readFileSync(resolve(CONTRACTS, extra), 'utf8')) as {
    operations: string[];
    shapes: Record<string, Shape>;
  };
  const all = { ...model.shapes, ...shapes };
  for (const s of Object.values(all))
    if (s.type === 'service')
      s.operations = [...(s.operations ?? []), ...operations.map((target) => ({ target }))];
  return { shapes: all };
}

const models = Object.fromEntries(
  Object.entries(EMULATED_OPERATIONS).map(([service, catalog]) => [service, modelOf(service, catalog.model)]),
) as Record<keyof typeof EMULATED_OPERATIONS, Model>;

const shortName = (id: string) => id.split('#')[1] ?? id;

function shape(service: keyof typeof EMULATED_OPERATIONS, id: string): Shape {
  const found = models[service].shapes[id];
  if (!found) throw new Error(`${id} is not in the ${service} model`);
  return found;
}

function operationShape(service: keyof typeof EMULATED_OPERATIONS, operation: string): Shape {
  return shape(service, `${EMULATED_OPERATIONS[service].namespace}#${operation}`);
}

/** Every operation the service binds, directly or through its resources. */
function modelOperations(service: keyof typeof EMULATED_OPERATIONS, id: string): string[] {
  const s = shape(service, id) as Shape & Record<string, unknown>;
  const direct = ['operations', 'collectionOperations']
    .flatMap((key) => (s[key] as { target: string }[] | undefined) ?? [])
    .concat(
      ['create', 'put', 'read', 'update', 'delete', 'list'].flatMap((key) =>
        s[key] ? [s[key] as { target: string }] : [],
      ),
    )
    .map((o) => shortName(o.target));
  const nested = ((s.resources as { target: string }[] | undefined) ?? []).flatMap((r) =>
    modelOperations(service, r.target),
  );
  return [...direct, ...nested];
}

/** Wire error codes the model allows for an operation: its own errors plus the service's. */
function modelErrors(service: keyof typeof EMULATED_OPERATIONS, operation: string): string[] {
  const catalog = EMULATED_OPERATIONS[service];
  const serviceShape = shape(service, `${catalog.namespace}#${catalog.serviceShape}`);
  return [...(operationShape(service, operation).errors ?? []), ...(serviceShape.errors ?? [])].map((e) => {
    const query = shape(service, e.target).traits?.['aws.protocols#awsQueryError'] as
      { code?: string } | undefined;
    return query?.code ?? shortName(e.target);
  });
}

/** Every key of `value`, recursively, must be a member of the shape it claims to be. */
function unknownMembers(
  service: keyof typeof EMULATED_OPERATIONS,
  value: unknown,
  shapeId: string,
  path = '',
): string[] {
  const s = shape(service, shapeId);
  if (value === null || value === undefined) return [];
  if (s.type === 'structure' || s.type === 'union') {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${path || '/'} is not an object`];
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
      const member = s.members?.[key];
      if (!member) return [`${path}/${key} (not a member of ${shortName(shapeId)})`];
      return unknownMembers(service, v, member.target, `${path}/${key}`);
    });
  }
  if (s.type === 'list' || s.type === 'set') {
    if (!Array.isArray(value)) return [`${path} is not a list`];
    return value.flatMap((v, i) => unknownMembers(service, v, s.member!.target, `${path}/${i}`));
  }
  return [];
}

/** A tiny XML reader, enough for STS answers: element name → children, or text. */
type XmlNode = { name: string; children: XmlNode[] };
function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', children: [] };
  const stack = [root];
  for (const [, closing, name, selfClosing] of xml.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
    if (closing) stack.pop();
    else {
      const node = { name: name!, children: [] };
      stack[stack.length - 1]!.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  return root;
}

/** The XML elements under an output structure must be members of that structure (recursively). */
function unknownXmlMembers(node: XmlNode, shapeId: string, path = ''): string[] {
  const s = shape('sts', shapeId);
  if (s.type !== 'structure') return [];
  return node.children.flatMap((child) => {
    const member = s.members?.[child.name];
    if (!member) return [`${path}/${child.name} (not a member of ${shortName(shapeId)})`];
    return unknownXmlMembers(child, member.target, `${path}/${child.name}`);
  });
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ awsWriteDelayMs: 20, awsProvisionDelayMs: 20, quiet: true });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('the catalog of emulated operations', () => {
  it.each(Object.keys(EMULATED_OPERATIONS) as (keyof typeof EMULATED_OPERATIONS)[])(
    '%s: every operation exists in the service model',
    (service) => {
      const catalog = EMULATED_OPERATIONS[service];
      const served = modelOperations(service, `${catalog.namespace}#${catalog.serviceShape}`);
      for (const operation of Object.keys(catalog.operations)) expect(served).toContain(operation);
    },
  );

  it.each(Object.keys(EMULATED_OPERATIONS) as (keyof typeof EMULATED_OPERATIONS)[])(
    '%s: every error an operation can answer is in its model errors, or a common AWS error',
    (service) => {
      const common = [
        ...COMMON_ERRORS.auth,
        ...COMMON_ERRORS.protocol,
        ...(service === 'sts' ? COMMON_ERRORS.sts : []),
      ];
      for (const [operation, { errors }] of Object.entries(EMULATED_OPERATIONS[service].operations)) {
        const allowed = [...modelErrors(service, operation), ...common];
        expect({ operation, unknown: errors.filter((e) => !allowed.includes(e)) }).toEqual({
          operation,
          unknown: [],
        });
      }
    },
  );
});

describe('responses through the real SDK clients', () => {
  // One call per operation, back to back: more than the 20 a second of the collective quota.
  beforeEach(() => void (emulator.aws.config.tps = 1000));

  /** One call per emulated operation, in an order where each finds what it needs. */
  function ssoAdminCalls(client: ssoAdmin.SSOAdminClient) {
    const InstanceArn = emulator.aws.instanceArn;
    const PermissionSetArn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const assignment = {
      InstanceArn,
      TargetId: '111111111111',
      TargetType: 'AWS_ACCOUNT' as const,
      PermissionSetArn,
      PrincipalType: 'USER' as const,
      PrincipalId: emulator.aws.userId('alice'),
    };
    const ids = { create: '', delete: '', provision: '' };
    const created = `Contract${Date.now() % 100000}`;
    const calls: Record<string, () => Promise<unknown>> = {
      ListInstances: () => client.send(new ssoAdmin.ListInstancesCommand({})),
      ListRegions: () => client.send(new ssoAdmin.ListRegionsCommand({ InstanceArn })),
      ListPermissionSets: () =>
        client.send(new ssoAdmin.ListPermissionSetsCommand({ InstanceArn, MaxResults: 2 })),
      DescribePermissionSet: () =>
        client.send(new ssoAdmin.DescribePermissionSetCommand({ InstanceArn, PermissionSetArn })),
      CreatePermissionSet: () =>
        client.send(
          new ssoAdmin.CreatePermissionSetCommand({
            InstanceArn,
            Name: created,
            Description: 'contract test',
          }),
        ),
      UpdatePermissionSet: () =>
        client.send(
          new ssoAdmin.UpdatePermissionSetCommand({ InstanceArn, PermissionSetArn, SessionDuration: 'PT2H' }),
        ),
      PutInlinePolicyToPermissionSet: () =>
        client.send(
          new ssoAdmin.PutInlinePolicyToPermissionSetCommand({
            InstanceArn,
            PermissionSetArn,
            InlinePolicy: '{"Version":"2012-10-17","Statement":[]}',
          }),
        ),
      AttachManagedPolicyToPermissionSet: () =>
        client.send(
          new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({
            InstanceArn,
            PermissionSetArn,
            ManagedPolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
          }),
        ),
      GetInlinePolicyForPermissionSet: () =>
        client.send(new ssoAdmin.GetInlinePolicyForPermissionSetCommand({ InstanceArn, PermissionSetArn })),
      ListManagedPoliciesInPermissionSet: () =>
        client.send(
          new ssoAdmin.ListManagedPoliciesInPermissionSetCommand({ InstanceArn, PermissionSetArn }),
        ),
      AttachCustomerManagedPolicyReferenceToPermissionSet: () =>
        client.send(
          new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
            InstanceArn,
            PermissionSetArn,
            CustomerManagedPolicyReference: { Name: 'deny-secrets', Path: '/guard/' },
          }),
        ),
      ListCustomerManagedPolicyReferencesInPermissionSet: () =>
        client.send(
          new ssoAdmin.ListCustomerManagedPolicyReferencesInPermissionSetCommand({
            InstanceArn,
            PermissionSetArn,
          }),
        ),
      PutPermissionsBoundaryToPermissionSet: () =>
        client.send(
          new ssoAdmin.PutPermissionsBoundaryToPermissionSetCommand({
            InstanceArn,
            PermissionSetArn,
            PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'boundary' } },
          }),
        ),
      GetPermissionsBoundaryForPermissionSet: () =>
        client.send(
          new ssoAdmin.GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn, PermissionSetArn }),
        ),
      DeletePermissionsBoundaryFromPermissionSet: () =>
        client.send(
          new ssoAdmin.DeletePermissionsBoundaryFromPermissionSetCommand({ InstanceArn, PermissionSetArn }),
        ),
      DetachCustomerManagedPolicyReferenceFromPermissionSet: () =>
        client.send(
          new ssoAdmin.DetachCustomerManagedPolicyReferenceFromPermissionSetCommand({
            InstanceArn,
            PermissionSetArn,
            CustomerManagedPolicyReference: { Name: 'deny-secrets', Path: '/guard/' },
          }),
        ),
      DetachManagedPolicyFromPermissionSet: () =>
        client.send(
          new ssoAdmin.DetachManagedPolicyFromPermissionSetCommand({
            InstanceArn,
            PermissionSetArn,
            ManagedPolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
          }),
        ),
      DeleteInlinePolicyFromPermissionSet: () =>
        client.send(
          new ssoAdmin.DeleteInlinePolicyFromPermissionSetCommand({ InstanceArn, PermissionSetArn }),
        ),
      // The permission set CreatePermissionSet made, never provisioned, so it may go.
      DeletePermissionSet: () =>
        client.send(
          new ssoAdmin.DeletePermissionSetCommand({
            InstanceArn,
            PermissionSetArn: permissionSetArnFor(created),
          }),
        ),
      CreateAccountAssignment: async () => {
        const r = await client.send(new ssoAdmin.CreateAccountAssignmentCommand(assignment));
        ids.create = r.AccountAssignmentCreationStatus?.RequestId ?? ids.create;
        await sleep(40);
        return r;
      },
      DescribeAccountAssignmentCreationStatus: () =>
        client.send(
          new ssoAdmin.DescribeAccountAssignmentCreationStatusCommand({
            InstanceArn,
            AccountAssignmentCreationRequestId: ids.create || '00000000-0000-0000-0000-000000000000',
          }),
        ),
      ListAccountAssignments: () =>
        client.send(
          new ssoAdmin.ListAccountAssignmentsCommand({
            InstanceArn,
            AccountId: '111111111111',
            PermissionSetArn,
          }),
        ),
      ListAccountAssignmentsForPrincipal: () =>
        client.send(
          new ssoAdmin.ListAccountAssignmentsForPrincipalCommand({
            InstanceArn,
            PrincipalId: assignment.PrincipalId,
            PrincipalType: 'USER',
            Filter: { AccountId: '111111111111' },
            MaxResults: 10,
          }),
        ),
      ListAccountsForProvisionedPermissionSet: () =>
        client.send(
          new ssoAdmin.ListAccountsForProvisionedPermissionSetCommand({
            InstanceArn,
            PermissionSetArn,
            ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
          }),
        ),
      ProvisionPermissionSet: async () => {
        const r = await client.send(
          new ssoAdmin.ProvisionPermissionSetCommand({
            InstanceArn,
            PermissionSetArn,
            TargetType: 'ALL_PROVISIONED_ACCOUNTS',
          }),
        );
        ids.provision = r.PermissionSetProvisioningStatus?.RequestId ?? ids.provision;
        await sleep(40);
        return r;
      },
      DescribePermissionSetProvisioningStatus: () =>
        client.send(
          new ssoAdmin.DescribePermissionSetProvisioningStatusCommand({
            InstanceArn,
            ProvisionPermissionSetRequestId: ids.provision || '00000000-0000-0000-0000-000000000000',
          }),
        ),
      ListPermissionSetProvisioningStatus: () =>
        client.send(
          new ssoAdmin.ListPermissionSetProvisioningStatusCommand({
            InstanceArn,
            Filter: { Status: 'SUCCEEDED' },
          }),
        ),
      DeleteAccountAssignment: async () => {
        const r = await client.send(new ssoAdmin.DeleteAccountAssignmentCommand(assignment));
        ids.delete = r.AccountAssignmentDeletionStatus?.RequestId ?? ids.delete;
        await sleep(40);
        return r;
      },
      DescribeAccountAssignmentDeletionStatus: () =>
        client.send(
          new ssoAdmin.DescribeAccountAssignmentDeletionStatusCommand({
            InstanceArn,
            AccountAssignmentDeletionRequestId: ids.delete || '00000000-0000-0000-0000-000000000000',
          }),
        ),
      ListAccountAssignmentCreationStatus: () =>
        client.send(
          new ssoAdmin.ListAccountAssignmentCreationStatusCommand({
            InstanceArn,
            MaxResults: 1,
            Filter: { Status: 'SUCCEEDED' },
          }),
        ),
      ListAccountAssignmentDeletionStatus: () =>
        client.send(new ssoAdmin.ListAccountAssignmentDeletionStatusCommand({ InstanceArn })),
      TagResource: () =>
        client.send(
          new ssoAdmin.TagResourceCommand({
            InstanceArn,
            ResourceArn: PermissionSetArn,
            Tags: [
              { Key: 'team', Value: 'platform' },
              { Key: 'owner', Value: '' },
            ],
          }),
        ),
      ListTagsForResource: () =>
        client.send(new ssoAdmin.ListTagsForResourceCommand({ InstanceArn, ResourceArn: PermissionSetArn })),
      UntagResource: () =>
        client.send(
          new ssoAdmin.UntagResourceCommand({
            InstanceArn,
            ResourceArn: PermissionSetArn,
            TagKeys: ['owner'],
          }),
        ),
    };
    return calls;
  }

  function identityStoreCalls(client: identityStore.IdentitystoreClient) {
    const IdentityStoreId = emulator.aws.identityStoreId;
    const calls: Record<string, () => Promise<unknown>> = {
      GetUserId: () =>
        client.send(
          new identityStore.GetUserIdCommand({
            IdentityStoreId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'alice' } },
          }),
        ),
      GetGroupId: () =>
        client.send(
          new identityStore.GetGroupIdCommand({
            IdentityStoreId,
            AlternateIdentifier: {
              UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Deployers' },
            },
          }),
        ),
      DescribeUser: () =>
        client.send(
          new identityStore.DescribeUserCommand({ IdentityStoreId, UserId: emulator.aws.userId('bob') }),
        ),
      DescribeGroup: () =>
        client.send(
          new identityStore.DescribeGroupCommand({
            IdentityStoreId,
            GroupId: emulator.aws.groupId('Auditors'),
          }),
        ),
      ListUsers: () => client.send(new identityStore.ListUsersCommand({ IdentityStoreId, MaxResults: 2 })),
      ListGroups: () => client.send(new identityStore.ListGroupsCommand({ IdentityStoreId })),
      ListGroupMemberships: () => {
        const GroupId = emulator.aws.groupId('Auditors');
        emulator.aws.addMembership(GroupId, emulator.aws.userId('bob'));
        return client.send(
          new identityStore.ListGroupMembershipsCommand({ IdentityStoreId, GroupId, MaxResults: 1 }),
        );
      },
      CreateGroupMembership: () =>
        client.send(
          new identityStore.CreateGroupMembershipCommand({
            IdentityStoreId,
            GroupId: emulator.aws.groupId('Auditors'),
            MemberId: { UserId: emulator.aws.userId('alice') },
          }),
        ),
      DeleteGroupMembership: () => {
        const GroupId = emulator.aws.groupId('Auditors');
        emulator.aws.addMembership(GroupId, emulator.aws.userId('carol'));
        return client
          .send(new identityStore.ListGroupMembershipsCommand({ IdentityStoreId, GroupId }))
          .then(({ GroupMemberships }) =>
            client.send(
              new identityStore.DeleteGroupMembershipCommand({
                IdentityStoreId,
                MembershipId: GroupMemberships!.find(
                  (m) =>
                    m.MemberId &&
                    'UserId' in m.MemberId &&
                    m.MemberId.UserId === emulator.aws.userId('carol'),
                )!.MembershipId!,
              }),
            ),
          );
      },
      CreateUser: () =>
        client.send(
          new identityStore.CreateUserCommand({
            IdentityStoreId,
            UserName: `user${Date.now()}`,
            DisplayName: 'Contract User',
          }),
        ),
      CreateGroup: () =>
        client.send(
          new identityStore.CreateGroupCommand({
            IdentityStoreId,
            DisplayName: `group${Date.now()}`,
            Description: 'contract',
          }),
        ),
    };
    return calls;
  }

  /** Checks every raw body against the model: outputs on 2xx, error shapes and codes otherwise. */
  function checkExchanges(service: 'sso-admin' | 'identitystore', exchanges: RawExchange[]) {
    const { namespace } = EMULATED_OPERATIONS[service];
    const problems: string[] = [];
    for (const exchange of exchanges) {
      const operation = exchange.target.split('.')[1]!;
      const body = JSON.parse(exchange.body) as Record<string, unknown>;
      if (exchange.status < 300) {
        problems.push(
          ...unknownMembers(service, body, operationShape(service, operation).output!.target, operation),
        );
        continue;
      }
      const code = String(body.__type).split('#')[1]!;
      if (!modelErrors(service, operation).includes(code))
        problems.push(`${operation}: ${code} is not a model error`);
      const { __type: _type, ...members } = body;
      problems.push(...unknownMembers(service, members, `${namespace}#${code}`, `${operation}!${code}`));
      const status = shape(service, `${namespace}#${code}`).traits?.['smithy.api#httpError'];
      if (status !== exchange.status)
        problems.push(`${operation}: ${code} answered ${exchange.status}, the model says ${String(status)}`);
    }
    return problems;
  }

  it('SSO Admin: every operation answers with members of its output shape', async () => {
    const exchanges: RawExchange[] = [];
    const calls = ssoAdminCalls(ssoAdminClient(emulator, undefined, exchanges));
    expect(Object.keys(calls).sort()).toEqual(
      Object.keys(EMULATED_OPERATIONS['sso-admin'].operations).sort(),
    );
    emulator.aws.markOutdated(emulator.aws.permissionSetArn('ReadOnlyAccess'), ['222222222222']);
    for (const call of Object.values(calls)) await call();
    expect(exchanges.map((e) => e.status).every((s) => s === 200)).toBe(true);
    expect(checkExchanges('sso-admin', exchanges)).toEqual([]);
    // Members the SDK parsed, too (a quick look that nothing important was dropped).
    const body = JSON.parse(
      exchanges.find((e) => e.target.endsWith('.CreateAccountAssignment'))!.body,
    ) as Record<string, Record<string, unknown>>;
    expect(Object.keys(body.AccountAssignmentCreationStatus!).sort()).toEqual([
      'CreatedDate',
      'PermissionSetArn',
      'PrincipalId',
      'PrincipalType',
      'RequestId',
      'Status',
      'TargetId',
      'TargetType',
    ]);
  });

  it('Identity Store: every operation answers with members of its output shape', async () => {
    const exchanges: RawExchange[] = [];
    const calls = identityStoreCalls(identityStoreClient(emulator, undefined, exchanges));
    expect(Object.keys(calls).sort()).toEqual(
      Object.keys(EMULATED_OPERATIONS.identitystore.operations).sort(),
    );
    for (const call of Object.values(calls)) await call();
    expect(exchanges.map((e) => e.status).every((s) => s === 200)).toBe(true);
    expect(checkExchanges('identitystore', exchanges)).toEqual([]);
  });

  it.each([
    ['throttleRate', { throttleRate: 1 }, 'ThrottlingException'],
    ['serverErrorRate', { serverErrorRate: 1 }, 'InternalServerException'],
    ['accessDenied', 'all', 'AccessDeniedException'],
  ] as const)(
    'every operation answers injected %s with a model error shape',
    async (_fault, faults, code) => {
      for (const service of ['sso-admin', 'identitystore'] as const) {
        emulator.reset();
        emulator.aws.config.tps = 1000;
        const exchanges: RawExchange[] = [];
        const calls =
          service === 'sso-admin'
            ? ssoAdminCalls(ssoAdminClient(emulator, undefined, exchanges))
            : identityStoreCalls(identityStoreClient(emulator, undefined, exchanges));
        Object.assign(emulator.aws.faults, faults === 'all' ? { accessDenied: Object.keys(calls) } : faults);
        for (const [operation, call] of Object.entries(calls)) {
          const error = await rejection(call());
          expect({ operation, name: error.name }).toEqual({ operation, name: code });
        }
        expect(checkExchanges(service, exchanges)).toEqual([]);
      }
    },
  );

  it('error answers (validation, not found, conflict) use the model error shapes', async () => {
    const exchanges: RawExchange[] = [];
    const client = ssoAdminClient(emulator, undefined, exchanges);
    const InstanceArn = emulator.aws.instanceArn;
    const PermissionSetArn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const bad = await rejection(
      client.send(
        new ssoAdmin.ListAccountAssignmentsCommand({ InstanceArn, AccountId: '12345', PermissionSetArn }),
      ),
    );
    expect(bad.name).toBe('ValidationException');
    expect(bad.message).toMatch(
      /at 'accountId' failed to satisfy constraint: Member must have length greater than or equal to 12/,
    );
    const missing = await rejection(
      client.send(
        new ssoAdmin.DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn,
          AccountAssignmentCreationRequestId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    emulator.aws.faults.conflictRate = 1;
    const conflict = await rejection(
      client.send(
        new ssoAdmin.ProvisionPermissionSetCommand({
          InstanceArn,
          PermissionSetArn,
          TargetType: 'AWS_ACCOUNT',
          TargetId: '111111111111',
        }),
      ),
    );
    expect(conflict.name).toBe('ConflictException');
    expect(checkExchanges('sso-admin', exchanges)).toEqual([]);

    const idsExchanges: RawExchange[] = [];
    const ids = identityStoreClient(emulator, undefined, idsExchanges);
    const notFound = await rejection(
      ids.send(
        new identityStore.GetUserIdCommand({
          IdentityStoreId: emulator.aws.identityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'mallory' } },
        }),
      ),
    );
    expect(notFound).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'USER' });
    expect(checkExchanges('identitystore', idsExchanges)).toEqual([]);
  });

  it("the 16th outstanding CreateAccountAssignment is refused as AWS answers it: ThrottlingException with HTTP 400 (not the model's 429), AWS's text, and nothing the model lacks", async () => {
    // "The CreateAccountAssignment write API has a limit of 15 outstanding asynchronous calls"
    // (User Guide, quotas); AWS's refusal as an SDK recorded it (aws-samples/aws-iam-identity-center-
    // extensions #87): ThrottlingException, `$metadata.httpStatusCode` 400, "There are too many
    // requests processing. Please try again later.", no Retry-After and no RetryAfterSeconds member
    // (the model has none).
    emulator.aws.config.writeDelayMs = 5000;
    const exchanges: RawExchange[] = [];
    const client = ssoAdminClient(emulator, undefined, exchanges);
    const create = (i: number) =>
      client.send(
        new ssoAdmin.CreateAccountAssignmentCommand({
          InstanceArn: emulator.aws.instanceArn,
          TargetId: String(100000000000 + i),
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
          PrincipalType: 'USER',
          PrincipalId: emulator.aws.userId('alice'),
        }),
      );
    for (let i = 0; i < 15; i++) await create(i);
    const refused = await rejection(create(15));
    expect(refused.name).toBe('ThrottlingException');
    expect(refused.message).toBe('There are too many requests processing. Please try again later.');
    expect((refused as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(400);
    const answer = exchanges.at(-1)!;
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      __type: 'com.amazonaws.swbexternalservice#ThrottlingException',
      Message: 'There are too many requests processing. Please try again later.',
    });
    expect(Object.keys(answer.headers ?? {}).filter((h) => /retry-after/i.test(h))).toEqual([]);
    // The one departure from the model, as AWS answers.
    expect(checkExchanges('sso-admin', exchanges)).toEqual([
      'CreateAccountAssignment: ThrottlingException answered 400, the model says 429',
    ]);
  });

  it('STS: AssumeRoleWithWebIdentity answers with members of its output shape, and model error codes', async () => {
    const exchanges: RawExchange[] = [];
    const client = stsClient(emulator, exchanges);
    const RoleArn = emulator.aws.roles[0]!.arn;
    const ok = await client.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn,
        RoleSessionName: 'contract',
        WebIdentityToken: emulator.github.signToken('sts.amazonaws.com'),
      }),
    );
    expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    const result = parseXml(exchanges[0]!.body).children[0]!.children.find(
      (c) => c.name === 'AssumeRoleWithWebIdentityResult',
    )!;
    expect(
      unknownXmlMembers(result, operationShape('sts', 'AssumeRoleWithWebIdentity').output!.target),
    ).toEqual([]);

    const wrongAudience = await rejection(
      client.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn,
          RoleSessionName: 'contract',
          WebIdentityToken: emulator.github.signToken('https://github.com/octo-org'),
        }),
      ),
    );
    expect(wrongAudience).toMatchObject({
      name: 'InvalidIdentityTokenException',
      Code: 'InvalidIdentityToken',
    });
    const expired = await rejection(
      client.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn,
          RoleSessionName: 'contract',
          WebIdentityToken: emulator.github.signToken('sts.amazonaws.com', {
            exp: Math.floor(Date.now() / 1000) - 60,
          }),
        }),
      ),
    );
    expect(expired.name).toBe('ExpiredTokenException');
    emulator.aws.faults.stsIdpCommunicationErrors = 1;
    const idp = await rejection(
      client.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn,
          RoleSessionName: 'contract',
          WebIdentityToken: emulator.github.signToken('sts.amazonaws.com'),
        }),
      ),
    );
    expect(idp.name).toBe('IDPCommunicationErrorException');

    const modelCodes = modelErrors('sts', 'AssumeRoleWithWebIdentity');
    for (const exchange of exchanges.filter((e) => e.status >= 400)) {
      const code = /<Code>([^<]+)<\/Code>/.exec(exchange.body)?.[1] ?? '';
      expect(modelCodes).toContain(code);
      expect(exchange.body).toMatch(/^<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>/);
    }
  });

  it('STS: AssumeRole answers with members of its output shape', async () => {
    const role = 'arn:aws:iam::210987654321:role/history';
    emulator.aws.assumableRoles.push({ arn: role, trustedPrincipals: ['arn:aws:iam::123456789012:root'] });
    const exchanges: RawExchange[] = [];
    const client = new STSClient({
      region: 'us-east-1',
      endpoint: emulator.env.AWS_ENDPOINT_URL_STS,
      credentials: { ...emulator.aws.staticCredentials },
      maxAttempts: 1,
      requestHandler: capturingHandler(exchanges),
    });
    await client.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'contract' }));
    const result = parseXml(exchanges[0]!.body).children[0]!.children.find(
      (c) => c.name === 'AssumeRoleResult',
    )!;
    expect(unknownXmlMembers(result, operationShape('sts', 'AssumeRole').output!.target)).toEqual([]);
  });

  it('every error code answered under random faults is in the catalog entry of its operation', async () => {
    emulator.aws.faults.throttleRate = 0.3;
    emulator.aws.faults.conflictRate = 0.3;
    const sso = ssoAdminCalls(ssoAdminClient(emulator));
    const ids = identityStoreCalls(identityStoreClient(emulator));
    for (const call of [...Object.values(sso), ...Object.values(ids)]) await call().catch(() => undefined);
    const catalog = {
      ...EMULATED_OPERATIONS['sso-admin'].operations,
      ...EMULATED_OPERATIONS.identitystore.operations,
    };
    const answered = emulator.requests.filter((r) => r.errorCode);
    expect(answered.length).toBeGreaterThan(0);
    for (const r of answered) expect(catalog[r.operation]?.errors).toContain(r.errorCode);
  });
});
