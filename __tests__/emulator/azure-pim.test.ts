// The Azure emulator's PIM endpoints (Microsoft.Authorization 2020-10-01) through the real
// @azure/arm-authorization SDK: every swagger example of __tests__/fixtures/contracts/azure/2020-10-01
// answers with the example's shape, and each behaviour the action will rely on (with its sources
// in emulator/README.md). Times are shortened through config.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { RoleAssignmentScheduleRequest } from '@azure/arm-authorization';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseIsoDuration } from '../../emulator/azure/pim/iso-duration.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { CONTRIBUTOR, READER, startTestBed, type AzureTestBed } from './azure-helpers.js';
import { operationsByExample, readJson, shapeDifferences, SPEC_DIR } from './azure-swagger.js';

let bed: AzureTestBed;
let token: string;
beforeAll(async () => {
  bed = await startTestBed();
  token = await bed.accessToken();
});
afterAll(() => bed.az.close());
beforeEach(() => {
  bed.az.reset();
  bed.requests.length = 0;
  // Short times, so the file runs in seconds.
  bed.az.config.pimProvisioningDelayMs = 150;
});

const credentialFor = (accessToken: () => string): TokenCredential => ({
  getToken: async (): Promise<AccessToken> => ({
    token: accessToken(),
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
});

/** The SDK as the action builds it, trusting the emulator's CA, without retries. */
const sdk = (accessToken: () => string = () => token) =>
  new AuthorizationManagementClient(credentialFor(accessToken), bed.az.subscriptionId, {
    endpoint: bed.az.resourceManagerEndpoint,
    credentialScopes: ['https://management.azure.com/.default'],
    retryOptions: { maxRetries: 0 },
    tlsOptions: { ca: bed.az.caCert },
  });

/**
 * The SDK's scope argument: no leading slash (a leading one makes `//subscriptions/…`, the path
 * template is `/{scope}/providers/…`, with skipEncoding).
 */
const scope = () => `subscriptions/${bed.az.subscriptionId}`;
const sub = () => `/${scope()}`;
const roleId = (guid: string) => `${sub()}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const principal = (type: 'User' | 'Group' | 'ServicePrincipal' = 'User') =>
  bed.az.addPrincipal({ type, createdAt: 0 });

const assign = (
  principalId: string,
  expiration: Record<string, unknown> = { type: 'AfterDuration', duration: 'PT8H' },
  extra: Partial<RoleAssignmentScheduleRequest> = {},
  name: string = randomUUID(),
  client = sdk(),
) =>
  client.roleAssignmentScheduleRequests.create(scope(), name, {
    principalId,
    roleDefinitionId: roleId(READER),
    requestType: 'AdminAssign',
    scheduleInfo: { expiration },
    ...extra,
  });
const remove = (principalId: string, extra: Partial<RoleAssignmentScheduleRequest> = {}) =>
  sdk().roleAssignmentScheduleRequests.create(scope(), randomUUID(), {
    principalId,
    roleDefinitionId: roleId(READER),
    requestType: 'AdminRemove',
    ...extra,
  });

async function all<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}
const schedulesOf = (principalId: string) =>
  all(sdk().roleAssignmentSchedules.listForScope(scope(), { filter: `principalId eq '${principalId}'` }));
const instancesOf = (principalId: string) =>
  all(
    sdk().roleAssignmentScheduleInstances.listForScope(scope(), {
      filter: `principalId eq '${principalId}'`,
    }),
  );
const assignmentsOf = (principalId: string) =>
  all(sdk().roleAssignments.listForScope(scope(), { filter: `principalId eq '${principalId}'` }));

/** The error a call rejected with (fails the test when it resolved). */
async function rejection(
  promise: Promise<unknown>,
): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; code?: string; message: string };
  }
  throw new Error('expected the call to fail, and it succeeded');
}
const errorOf = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  return { status: error.statusCode, code: error.code, message: error.message };
};

// ---- the swagger examples ----

// The examples' own values, and the state each presumes.
const EXAMPLE_SUBSCRIPTIONS = [
  'dfa2a084-766f-4003-8ae1-c4aeb893a99f',
  '129ff972-28f8-46b8-a726-e497be039368',
];
const EXAMPLE_PRINCIPAL = 'a3bb8764-cb92-4276-9d2a-ca1e895e55ea';
const EXAMPLE_ROLE = 'c8d4ff99-41c3-41a8-9f60-21dfdad59608';
const EXAMPLE_REQUEST = 'fea7a502-9a96-4806-a26f-eee560e52045';

async function seedFor(file: string, body: Record<string, unknown> | undefined): Promise<void> {
  const { az } = bed;
  for (const id of EXAMPLE_SUBSCRIPTIONS) az.addSubscription(id, { managementGroup: 'platform' });
  az.addPrincipal({ id: EXAMPLE_PRINCIPAL, type: 'User', createdAt: 0 });
  az.addRoleDefinition({ guid: EXAMPLE_ROLE, roleName: 'Example Contributor', assignableScopes: ['/'] });
  az.config.pimProvisioningDelayMs = 0;
  const exampleScope = `/subscriptions/${EXAMPLE_SUBSCRIPTIONS[0]}`;
  if (/^(Get|Cancel)RoleAssignmentScheduleRequest/.test(file)) {
    // Cancel needs a pending request: one waiting for an approval.
    if (file.startsWith('Cancel')) az.setPimPolicy({ approvalRequired: true });
    const res = await bed.arm(
      'PUT',
      `${exampleScope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${EXAMPLE_REQUEST}?api-version=2020-10-01`,
      { body, token },
    );
    expect(res.status).toBe(201);
  }
  if (/^GetRoleAssignmentSchedule(s|ByName|Instances)/.test(file)) {
    az.addRoleAssignmentSchedule({
      scope: exampleScope,
      roleDefinitionId: EXAMPLE_ROLE,
      principalId: EXAMPLE_PRINCIPAL,
      name: 'c9e264ff-3133-4776-a81a-ebc7c33c8ec6',
      assignmentName: 'ed9b8180-cef7-4c77-a63c-b8566ecfc412',
      requestName: EXAMPLE_REQUEST,
      endMs: Date.now() + 8 * 3_600_000,
    });
  }
}

/**
 * The emulator serves AdminAssign and AdminRemove, and no eligibilities: the SelfActivate
 * examples' body is sent as an AdminAssign (without linkedRoleEligibilityScheduleId) starting now.
 */
const EXAMPLE_ASSIGN_BODY = {
  properties: {
    principalId: EXAMPLE_PRINCIPAL,
    roleDefinitionId: `/subscriptions/${EXAMPLE_SUBSCRIPTIONS[0]}/providers/Microsoft.Authorization/roleDefinitions/${EXAMPLE_ROLE}`,
    requestType: 'AdminAssign',
    scheduleInfo: {
      startDateTime: new Date().toISOString(),
      expiration: { type: 'AfterDuration', endDateTime: null, duration: 'PT8H' },
    },
    condition:
      "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:ContainerName] StringEqualsIgnoreCase 'foo_storage_container'",
    conditionVersion: '1.0',
  },
};

describe('the 2020-10-01 swagger examples replayed against the emulator', () => {
  const examples = operationsByExample();
  // The eligibility examples are replayed in azure-pim-eligibility-contract.test.ts.
  const files = readdirSync(join(SPEC_DIR, 'examples')).filter(
    (f) => f.endsWith('.json') && !f.includes('RoleEligibility'),
  );

  it('covers every example file', () => {
    expect(files).toHaveLength(9);
    expect(files.filter((f) => !examples.has(f))).toEqual([]);
  });

  it.each(files)('%s', async (file) => {
    const op = examples.get(file)!;
    const example = readJson(join('examples', file)) as {
      parameters: Record<string, unknown>;
      responses: Record<string, { body?: unknown }>;
    };
    const body = example.parameters.parameters === undefined ? undefined : EXAMPLE_ASSIGN_BODY;
    await seedFor(file, EXAMPLE_ASSIGN_BODY);
    // The examples' scopes are `providers/Microsoft.Subscription/subscriptions/{id}`; their answers
    // (and the moved copies upstream) say `/subscriptions/{id}`, the form ARM and the SDK use.
    const path = op.pathTemplate.replace(/\{([^}]+)\}/g, (_m, name: string) =>
      String(example.parameters[name]).replace(/^providers\/Microsoft\.Subscription\//, ''),
    );
    const query = new URLSearchParams({ 'api-version': String(example.parameters['api-version']) });
    if (example.parameters.$filter) query.set('$filter', String(example.parameters.$filter));
    const res = await bed.arm(op.method, `/${path}?${query}`, { ...(body ? { body } : {}), token });
    const listed = Object.keys(example.responses);
    expect({ status: String(res.status), error: res.json?.error }).toEqual({
      status: listed.includes(String(res.status)) ? String(res.status) : `one of ${listed.join(', ')}`,
      error: undefined,
    });
    const expected = example.responses[String(res.status)]!.body;
    if (expected === undefined) {
      expect(res.text).toBe('');
      return;
    }
    // A list must not be empty, or there would be no shape to compare.
    if ((expected as { value?: unknown[] }).value) expect(res.json.value.length).toBeGreaterThan(0);
    const schema = op.responses[String(res.status)]?.schema;
    expect(shapeDifferences(expected, res.json, schema, op.file)).toEqual([]);
    expect(bed.requests.at(-1)?.operation).toBe(op.operationId);
  });
});

// ---- behaviours, through the SDK ----

/**
 * Every request waiting out `pimProvisioningDelayMs` falls due now, as when the delay has passed:
 * a test sets a delay no busy machine outlasts, then says when it has passed.
 */
const makeDue = () => {
  for (const request of bed.az.state.pimRequests) if (request.dueAt !== undefined) request.dueAt = Date.now();
};

describe('AdminAssign', () => {
  it('answers 201 Accepted, then GET shows Provisioned after pimProvisioningDelayMs', async () => {
    // A delay no busy machine outlasts between the PUT and the reads below; then the request falls
    // due at once, as when the delay has passed.
    bed.az.config.pimProvisioningDelayMs = 600_000;
    const p = principal();
    const name = randomUUID();
    let remainingWrites: string | undefined;
    const created = await sdk().roleAssignmentScheduleRequests.create(
      scope(),
      name,
      {
        principalId: p,
        roleDefinitionId: roleId(READER),
        requestType: 'AdminAssign',
        scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT8H' } },
        justification: 'deploy',
      },
      {
        onResponse: (raw) =>
          (remainingWrites = raw.headers.get('x-ms-ratelimit-remaining-subscription-writes')),
      },
    );
    expect(created).toMatchObject({
      name,
      status: 'Accepted',
      requestType: 'AdminAssign',
      principalId: p,
      principalType: 'User',
      scope: sub(),
      roleDefinitionId: roleId(READER),
      requestorId: bed.az.objectId,
      justification: 'deploy',
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT8H' } },
    });
    // PIM PUTs take from ARM's write bucket like any write.
    expect(remainingWrites).toBe('199');
    expect((await sdk().roleAssignmentScheduleRequests.get(scope(), name)).status).toBe('Accepted');
    expect(await assignmentsOf(p)).toEqual([]);
    makeDue();
    const provisioned = await sdk().roleAssignmentScheduleRequests.get(scope(), name);
    expect(provisioned.status).toBe('Provisioned');
    const [schedule] = await schedulesOf(p);
    expect(schedule?.name).toBe(provisioned.targetRoleAssignmentScheduleId);
    expect(
      bed.requests
        .filter((r) => r.operation.startsWith('RoleAssignmentScheduleRequests_'))
        .map((r) => [r.operation, r.status, r.write]),
    ).toEqual([
      ['RoleAssignmentScheduleRequests_Create', 201, true],
      ['RoleAssignmentScheduleRequests_Get', 200, false],
      ['RoleAssignmentScheduleRequests_Get', 200, false],
    ]);
  });

  it('makes a schedule, an instance and a role assignment, which disappear at endDateTime', async () => {
    bed.az.config.pimProvisioningDelayMs = 0;
    bed.az.config.pimMinimumDurationMs = 500;
    const p = principal();
    const created = await assign(p, { type: 'AfterDuration', duration: 'PT1.2S' });
    expect(created.status).toBe('Provisioned');
    const [schedule] = await schedulesOf(p);
    const [instance] = await instancesOf(p);
    const [assignment] = await assignmentsOf(p);
    expect(schedule).toMatchObject({
      assignmentType: 'Assigned',
      memberType: 'Direct',
      status: 'Provisioned',
      principalId: p,
      roleDefinitionId: roleId(READER),
      scope: sub(),
      roleAssignmentScheduleRequestId: `${sub()}/providers/Microsoft.Authorization/RoleAssignmentScheduleRequests/${created.name}`,
    });
    expect(schedule!.endDateTime!.getTime() - schedule!.startDateTime!.getTime()).toBe(1200);
    expect(instance).toMatchObject({
      roleAssignmentScheduleId: schedule!.id,
      originRoleAssignmentId: assignment!.id,
      startDateTime: schedule!.startDateTime,
      endDateTime: schedule!.endDateTime,
    });
    expect(instance!.name).toBe(assignment!.name);
    expect(assignment).toMatchObject({ principalId: p, createdBy: bed.az.objectId });
    expect(bed.az.findRoleAssignment(sub(), p, READER)).toBeDefined();
    const mine = (items: { properties: { principalId: string } }[]) =>
      items.filter((i) => i.properties.principalId === p);
    expect(mine(bed.az.pim().schedules)).toMatchObject([{ name: schedule!.name }]);
    expect(mine(bed.az.pim().instances)).toMatchObject([{ name: instance!.name }]);

    await sleep(1300);
    expect(await schedulesOf(p)).toEqual([]);
    expect(await instancesOf(p)).toEqual([]);
    expect(await assignmentsOf(p)).toEqual([]);
    expect(bed.az.findRoleAssignment(sub(), p, READER)).toBeUndefined();
    // The request stays, Provisioned.
    expect((await sdk().roleAssignmentScheduleRequests.get(scope(), created.name!)).status).toBe(
      'Provisioned',
    );
  });

  it('takes AfterDateTime and NoExpiration too, and a future start shows in schedules before instances', async () => {
    bed.az.config.pimProvisioningDelayMs = 0;
    const p = principal();
    const end = new Date(Date.now() + 3_600_000);
    await assign(p, { type: 'AfterDateTime', endDateTime: end });
    expect((await schedulesOf(p))[0]?.endDateTime).toEqual(end);
    const q = principal();
    await assign(q, { type: 'NoExpiration' });
    expect((await instancesOf(q))[0]?.endDateTime).toBeNull();
    const r = principal();
    const start = new Date(Date.now() + 600);
    await assign(
      r,
      { type: 'AfterDuration', duration: 'PT1H' },
      { scheduleInfo: { startDateTime: start, expiration: { type: 'AfterDuration', duration: 'PT1H' } } },
    );
    expect(await schedulesOf(r)).toHaveLength(1);
    expect(await instancesOf(r)).toEqual([]);
    expect(await assignmentsOf(r)).toEqual([]);
    await sleep(700);
    expect(await instancesOf(r)).toHaveLength(1);
    expect(await assignmentsOf(r)).toHaveLength(1);
  });

  it('refuses a window under 5 minutes and a duration that is not ISO 8601 (400 InvalidScheduleInfo)', async () => {
    const p = principal();
    expect(await errorOf(assign(p, { type: 'AfterDuration', duration: 'PT4M59S' }))).toEqual({
      status: 400,
      code: 'InvalidScheduleInfo',
      message: 'The role assignment cannot be assigned for a duration of less than 5 minutes.',
    });
    expect((await errorOf(assign(p, { type: 'AfterDuration', duration: '8 hours' }))).code).toBe(
      'InvalidScheduleInfo',
    );
    expect((await errorOf(assign(p, { type: 'AfterDuration' }))).code).toBe('InvalidScheduleInfo');
    expect((await assign(p, { type: 'AfterDuration', duration: 'PT5M' })).status).toBe('Accepted');
  });

  it('answers 400 RoleAssignmentExists for a permanent or a PIM assignment of the same principal, role and scope', async () => {
    bed.az.config.pimProvisioningDelayMs = 0;
    const p = principal();
    bed.az.addRoleAssignment({ scope: sub(), roleDefinitionId: READER, principalId: p });
    expect(await errorOf(assign(p))).toEqual({
      status: 400,
      code: 'RoleAssignmentExists',
      message: 'The Role assignment already exists.',
    });
    const q = principal();
    await assign(q);
    expect((await errorOf(assign(q))).code).toBe('RoleAssignmentExists');
    // Another role, or another scope, is another assignment.
    expect((await assign(q, undefined, { roleDefinitionId: roleId(CONTRIBUTOR) })).status).toBe(
      'Provisioned',
    );
    // And a plain PUT of the same assignment meets it as usual (409).
    const plain = await bed.arm(
      'PUT',
      `${sub()}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`,
      {
        body: { properties: { roleDefinitionId: roleId(READER), principalId: q } },
      },
    );
    expect([plain.status, plain.json.error.code]).toEqual([409, 'RoleAssignmentExists']);
  });

  it('answers 400 RoleAssignmentRequestExists when a request name is used again', async () => {
    const name = randomUUID();
    await assign(principal(), undefined, {}, name);
    expect(await errorOf(assign(principal(), undefined, {}, name))).toEqual({
      status: 400,
      code: 'RoleAssignmentRequestExists',
      message: `A role assignment request with Id: ${name} already exists`,
    });
  });

  it('validates like the service: GUID name, required members, request type, role, principal', async () => {
    const p = principal();
    expect((await errorOf(assign(p, undefined, {}, 'not-a-guid'))).code).toBe(
      'InvalidRoleAssignmentScheduleRequestName',
    );
    expect((await errorOf(assign(p, undefined, { requestType: 'SelfActivate' }))).code).toBe(
      'UnsupportedRequestType',
    );
    expect(
      (
        await errorOf(
          assign(p, undefined, { roleDefinitionId: roleId('00000000-0000-4000-8000-000000000000') }),
        )
      ).code,
    ).toBe('RoleDefinitionDoesNotExist');
    expect((await errorOf(assign('12345678-1234-4234-8234-123456789012'))).code).toBe('SubjectNotFound');
    const missing = await bed.arm(
      'PUT',
      `${sub()}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${randomUUID()}?api-version=2020-10-01`,
      { body: { properties: { principalId: p, requestType: 'AdminAssign' } } },
    );
    expect([missing.status, missing.json.error.code]).toEqual([400, 'InvalidRequestContent']);
    // PIM answers only at its own api-version.
    const version = await bed.arm(
      'GET',
      `${sub()}/providers/Microsoft.Authorization/roleAssignmentSchedules?api-version=2022-04-01`,
    );
    expect([version.status, version.json.error.code]).toEqual([400, 'NoRegisteredProviderFound']);
  });

  it('needs roleAssignmentScheduleRequests/write at the gateway (403 AuthorizationFailed), and read to list', async () => {
    const subject = 'repo:octo-org/reader:ref:refs/heads/main';
    const app = bed.az.addApp({
      federatedSubjects: [subject],
      roleAtScopes: [{ scope: sub(), role: 'Reader' }],
    });
    const readerToken = await bed.accessToken(app.clientId, subject);
    const reader = sdk(() => readerToken);
    const error = await errorOf(assign(principal(), undefined, {}, randomUUID(), reader));
    expect(error.status).toBe(403);
    expect(error.code).toBe('AuthorizationFailed');
    expect(error.message).toContain("'Microsoft.Authorization/roleAssignmentScheduleRequests/write'");
    expect(await all(reader.roleAssignmentSchedules.listForScope(scope()))).toBeDefined();
  });

  it("needs roleAssignments/write too (PIM checks it), and names each list's own read action", async () => {
    bed.az.faults.authorizationFailed = ['Microsoft.Authorization/roleAssignments/write'];
    const denied = await errorOf(assign(principal()));
    expect(denied.status).toBe(403);
    expect(denied.message).toContain("'Microsoft.Authorization/roleAssignments/write'");
    bed.az.faults.authorizationFailed = ['Microsoft.Authorization/roleAssignmentScheduleInstances/read'];
    const listed = await errorOf(all(sdk().roleAssignmentScheduleInstances.listForScope(scope())));
    expect(listed.status).toBe(403);
    expect(listed.message).toContain("'Microsoft.Authorization/roleAssignmentScheduleInstances/read'");
  });
});

describe('role management policies', () => {
  it('lists one policy assignment per role, named {policy}_{role}, with the admin assignment rules', async () => {
    bed.az.setPimPolicy({ isExpirationRequired: true, maximumDuration: 'PT1H' }, 'Reader');
    const items = await all(sdk().roleManagementPolicyAssignments.listForScope(scope()));
    const reader = items.find((i) => i.roleDefinitionId === roleId(READER))!;
    expect(reader.name).toBe(`${reader.policyId!.split('/').at(-1)}_${READER}`);
    const rule = (id: string) =>
      reader.effectiveRules!.find((r) => r.id === id) as unknown as Record<string, unknown>;
    expect(rule('Expiration_Admin_Assignment')).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: 'PT1H',
    });
    expect(rule('Enablement_Admin_Assignment')).toMatchObject({ enabledRules: [] });
    const contributor = items.find((i) => i.roleDefinitionId === roleId(CONTRIBUTOR))!;
    expect(contributor.effectiveRules!.find((r) => r.id === 'Expiration_Admin_Assignment')).toMatchObject({
      isExpirationRequired: false,
      maximumDuration: 'P180D',
    });
    // The policy itself, by name, and by the roleDefinitionId filter the docs use.
    const policy = await sdk().roleManagementPolicies.get(scope(), reader.policyId!.split('/').at(-1)!);
    expect(policy.id).toBe(reader.policyId);
    const filtered = await bed.arm(
      'GET',
      `${sub()}/providers/Microsoft.Authorization/roleManagementPolicies?api-version=2020-10-01&$filter=${encodeURIComponent(`roleDefinitionId eq '${roleId(READER)}'`)}`,
    );
    expect(filtered.json.value.map((v: { id: string }) => v.id)).toEqual([reader.policyId]);
    expect(bed.requests.map((r) => r.operation)).toContain('RoleManagementPolicyAssignments_ListForScope');
  });

  it('answers 400 RoleAssignmentRequestPolicyValidationFailed ["ExpirationRule"] beyond the maximum, or without expiration', async () => {
    bed.az.setPimPolicy({ isExpirationRequired: true, maximumDuration: 'PT1H' }, READER);
    const p = principal();
    expect(await errorOf(assign(p, { type: 'AfterDuration', duration: 'PT2H' }))).toEqual({
      status: 400,
      code: 'RoleAssignmentRequestPolicyValidationFailed',
      message: 'The following policy rules failed: ["ExpirationRule"]',
    });
    expect((await errorOf(assign(p, { type: 'NoExpiration' }))).message).toContain('["ExpirationRule"]');
    expect((await assign(p, { type: 'AfterDuration', duration: 'PT1H' })).status).toBe('Accepted');
  });

  it('requires a justification and a ticket when the policy enables them, listing every failed rule', async () => {
    bed.az.setPimPolicy({
      enabledRules: ['Justification', 'Ticketing'],
      isExpirationRequired: true,
      maximumDuration: 'PT1H',
    });
    const p = principal();
    expect((await errorOf(assign(p))).message).toBe(
      'The following policy rules failed: ["ExpirationRule","JustificationRule","TicketingRule"]',
    );
    expect(
      (await errorOf(assign(p, { type: 'AfterDuration', duration: 'PT1H' }, { justification: 'release' })))
        .message,
    ).toBe('The following policy rules failed: ["TicketingRule"]');
    const ok = await assign(
      p,
      { type: 'AfterDuration', duration: 'PT1H' },
      {
        justification: 'release',
        ticketInfo: { ticketNumber: 'CHG-1', ticketSystem: 'ServiceNow' },
      },
    );
    expect(ok).toMatchObject({
      status: 'Accepted',
      ticketInfo: { ticketNumber: 'CHG-1', ticketSystem: 'ServiceNow' },
    });
  });

  it('fails MfaRule for a service principal, whatever it sends; a user signed in with MFA passes', async () => {
    bed.az.setPimPolicy({ enabledRules: ['MultiFactorAuthentication'] });
    expect((await errorOf(assign(principal()))).message).toBe(
      'The following policy rules failed: ["MfaRule"]',
    );
    const admin = principal('User');
    bed.az.addRoleAssignment({
      scope: sub(),
      roleDefinitionId: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
      principalId: admin,
    });
    const userToken = (amr: string[]) =>
      bed.az.signAccessToken({
        aud: 'https://management.azure.com/',
        iss: `https://sts.windows.net/${bed.az.tenantId}/`,
        tid: bed.az.tenantId,
        oid: admin,
        idtyp: 'user',
        amr,
        exp: Math.floor(Date.now() / 1000) + 600,
      });
    const withoutMfa = userToken(['pwd']);
    expect(
      (
        await errorOf(
          assign(
            principal(),
            undefined,
            {},
            randomUUID(),
            sdk(() => withoutMfa),
          ),
        )
      ).message,
    ).toContain('MfaRule');
    const withMfa = userToken(['pwd', 'mfa']);
    expect(
      (
        await assign(
          principal(),
          undefined,
          {},
          randomUUID(),
          sdk(() => withMfa),
        )
      ).status,
    ).toBe('Accepted');
  });

  it('with approval required, keeps the request PendingApproval until it is cancelled', async () => {
    bed.az.setPimPolicy({ approvalRequired: true }, 'Reader');
    const p = principal();
    const created = await assign(p);
    await sleep(200);
    const pending = await sdk().roleAssignmentScheduleRequests.get(scope(), created.name!);
    expect(pending.status).toBe('PendingApproval');
    expect(pending.approvalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await schedulesOf(p)).toEqual([]);
    await sdk().roleAssignmentScheduleRequests.cancel(scope(), created.name!);
    expect((await sdk().roleAssignmentScheduleRequests.get(scope(), created.name!)).status).toBe('Canceled');
    expect(await errorOf(sdk().roleAssignmentScheduleRequests.cancel(scope(), created.name!))).toEqual({
      status: 400,
      code: 'RoleAssignmentRequestNotCancelable',
      message: `The role assignment schedule request '${created.name}' is in status 'Canceled'. Only a pending request can be canceled.`,
    });
    expect(await assignmentsOf(p)).toEqual([]);
    expect(bed.requests.find((r) => r.operation === 'RoleAssignmentScheduleRequests_Cancel')).toMatchObject({
      status: 200,
      write: true,
    });
  });

  it('a cancelled Accepted request never provisions', async () => {
    bed.az.config.pimProvisioningDelayMs = 600_000;
    const p = principal();
    const created = await assign(p);
    await sdk().roleAssignmentScheduleRequests.cancel(scope(), created.name!);
    makeDue();
    expect((await sdk().roleAssignmentScheduleRequests.get(scope(), created.name!)).status).toBe('Canceled');
    expect(await schedulesOf(p)).toEqual([]);
  });
});

describe('AdminRemove', () => {
  it('answers ActiveDurationTooShort within pimMinimumActiveMs of the start, then removes (Revoked)', async () => {
    bed.az.config.pimProvisioningDelayMs = 0;
    bed.az.config.pimMinimumActiveMs = 1000;
    const p = principal();
    await assign(p);
    expect(await errorOf(remove(p))).toEqual({
      status: 400,
      code: 'ActiveDurationTooShort',
      message: 'The Active duration is too short. Miniumum Required is 0.02 minutes.',
    });
    await sleep(1000);
    bed.az.config.pimProvisioningDelayMs = 600_000;
    const removal = await remove(p, { justification: 'done' });
    expect(removal).toMatchObject({ status: 'Accepted', requestType: 'AdminRemove' });
    expect(await instancesOf(p)).toHaveLength(1);
    makeDue();
    expect((await sdk().roleAssignmentScheduleRequests.get(scope(), removal.name!)).status).toBe('Revoked');
    expect(await schedulesOf(p)).toEqual([]);
    expect(await instancesOf(p)).toEqual([]);
    expect(await assignmentsOf(p)).toEqual([]);
  });

  it('removes a permanent role assignment too, and answers RoleAssignmentDoesNotExist when there is none', async () => {
    bed.az.config.pimProvisioningDelayMs = 0;
    bed.az.config.pimMinimumActiveMs = 0;
    const p = principal();
    bed.az.addRoleAssignment({ scope: sub(), roleDefinitionId: READER, principalId: p });
    // A permanent assignment shows as a schedule and an instance without end (pim-apis).
    expect((await instancesOf(p))[0]?.endDateTime).toBeNull();
    expect((await remove(p)).status).toBe('Revoked');
    expect(await assignmentsOf(p)).toEqual([]);
    expect(await errorOf(remove(p))).toEqual({
      status: 400,
      code: 'RoleAssignmentDoesNotExist',
      message: 'The Role assignment does not exist.',
    });
  });

  it('ends an assignment that reads do not show yet (addRoleAssignment hiddenForMs): it names only principal, role and scope', async () => {
    bed.az.config.pimProvisioningDelayMs = 0;
    bed.az.config.pimMinimumActiveMs = 0;
    const p = principal();
    bed.az.addRoleAssignment({ scope: sub(), roleDefinitionId: READER, principalId: p, hiddenForMs: 60_000 });
    expect(await schedulesOf(p)).toEqual([]);
    expect(await instancesOf(p)).toEqual([]);
    expect(await assignmentsOf(p)).toEqual([]);
    expect((await remove(p)).status).toBe('Revoked');
    expect(bed.az.findRoleAssignment(sub(), p, READER)).toBeUndefined();
  });
});

describe('faults and config', () => {
  it('pimLicense: false answers every PIM call 400 AadPremiumLicenseRequired; plain role assignments still work', async () => {
    bed.az.config.pimLicense = false;
    const licence = {
      status: 400,
      code: 'AadPremiumLicenseRequired',
      message: 'The tenant needs an AAD Premium 2 license.',
    };
    expect(await errorOf(assign(principal()))).toEqual(licence);
    expect(await errorOf(schedulesOf(principal()))).toEqual(licence);
    expect(await errorOf(instancesOf(principal()))).toEqual(licence);
    expect(await errorOf(all(sdk().roleManagementPolicyAssignments.listForScope(scope())))).toEqual(licence);
    expect(await assignmentsOf(principal())).toEqual([]);
  });

  it('pimDenyPolicyRead answers policy reads 403 AuthorizationFailed while writes work', async () => {
    bed.az.faults.pimDenyPolicyRead = true;
    const denied = await errorOf(all(sdk().roleManagementPolicyAssignments.listForScope(scope())));
    expect(denied).toMatchObject({ status: 403, code: 'AuthorizationFailed' });
    expect(denied.message).toContain("'Microsoft.Authorization/roleManagementPolicyAssignments/read'");
    expect((await errorOf(all(sdk().roleManagementPolicies.listForScope(scope())))).status).toBe(403);
    expect((await assign(principal())).status).toBe('Accepted');
  });

  it.each(['Denied', 'Failed', 'TimedOut', 'AdminDenied', 'FailedAsResourceIsLocked'] as const)(
    'pimRequestOutcome %s: the request ends so and nothing is assigned',
    async (outcome) => {
      bed.az.faults.pimRequestOutcome = outcome;
      bed.az.config.pimProvisioningDelayMs = 600_000;
      const p = principal();
      const created = await assign(p);
      expect(created.status).toBe('Accepted');
      makeDue();
      expect((await sdk().roleAssignmentScheduleRequests.get(scope(), created.name!)).status).toBe(outcome);
      expect(await schedulesOf(p)).toEqual([]);
      expect(await assignmentsOf(p)).toEqual([]);
    },
  );

  it('the state and the request log show PIM', async () => {
    bed.az.config.pimProvisioningDelayMs = 0;
    const p = principal();
    const created = await assign(p);
    const snapshot = bed.az.pim();
    expect(snapshot.requests.map((r) => [r.name, r.properties.status])).toEqual([
      [created.name, 'Provisioned'],
    ]);
    // This one, and the seeded app's permanent User Access Administrator (subscription, management group).
    expect(snapshot.schedules.map((s) => s.properties.principalId)).toEqual([
      p,
      bed.az.objectId,
      bed.az.objectId,
    ]);
    expect(snapshot.instances).toHaveLength(3);
    await schedulesOf(p);
    await instancesOf(p);
    expect(bed.requests.map((r) => r.operation)).toEqual([
      'RoleAssignmentScheduleRequests_Create',
      'RoleAssignmentSchedules_ListForScope',
      'RoleAssignmentScheduleInstances_ListForScope',
    ]);
  });
});

describe('lists', () => {
  it('filter by principalId, roleDefinitionId, atScope(), asRequestor(); accept `//subscriptions` and page with nextLink', async () => {
    bed.az.config.pimProvisioningDelayMs = 0;
    bed.az.config.pageSize = 1;
    const p = principal();
    const rg = `${sub()}/resourceGroups/rg-app`;
    await assign(p);
    await assign(p, undefined, { roleDefinitionId: roleId(CONTRIBUTOR) });
    await sdk().roleAssignmentScheduleRequests.create(rg.slice(1), randomUUID(), {
      principalId: p,
      roleDefinitionId: roleId(READER),
      requestType: 'AdminAssign',
      scheduleInfo: { expiration: { type: 'NoExpiration' } },
    });
    const list = (at: string, filter: string) =>
      all(sdk().roleAssignmentSchedules.listForScope(at, { filter })).then((items) =>
        items.map((s) => [s.scope, s.roleDefinitionId!.split('/').at(-1), s.memberType]),
      );
    expect(await list(scope(), `principalId eq '${p}'`)).toEqual([
      [sub(), READER, 'Direct'],
      [sub(), CONTRIBUTOR, 'Direct'],
      [rg, READER, 'Direct'],
    ]);
    expect(
      await list(scope(), `principalId eq '${p}' and roleDefinitionId eq '${roleId(CONTRIBUTOR)}'`),
    ).toEqual([[sub(), CONTRIBUTOR, 'Direct']]);
    // At the resource group: atScope() is at or above it; the subscription's are Inherited there.
    expect(await list(`/${rg.slice(1)}`, `(principalId eq '${p}') and (atScope())`)).toEqual([
      [sub(), READER, 'Inherited'],
      [sub(), CONTRIBUTOR, 'Inherited'],
      [rg, READER, 'Direct'],
    ]);
    const mine = await all(
      sdk().roleAssignmentScheduleRequests.listForScope(scope(), { filter: 'asRequestor()' }),
    );
    expect(mine).toHaveLength(3);
    const bad = await errorOf(
      all(sdk().roleAssignmentScheduleInstances.listForScope(scope(), { filter: "roleName eq 'Reader'" })),
    );
    expect([bad.status, bad.code]).toEqual([400, 'UnsupportedQuery']);
  });

  it('gets one schedule, instance and request by name, and answers 404 for unknown ones', async () => {
    const seeded = bed.az.addRoleAssignmentSchedule({
      scope: sub(),
      roleDefinitionId: READER,
      principalId: principal(),
      endMs: Date.now() + 3_600_000,
    });
    expect((await sdk().roleAssignmentSchedules.get(scope(), seeded.name)).id).toBe(seeded.id);
    const [instance] = await instancesOf(seeded.properties.principalId);
    expect((await sdk().roleAssignmentScheduleInstances.get(scope(), instance!.name!)).id).toBe(instance!.id);
    const unknown = randomUUID();
    expect((await errorOf(sdk().roleAssignmentSchedules.get(scope(), unknown))).code).toBe(
      'RoleAssignmentScheduleNotFound',
    );
    expect((await errorOf(sdk().roleAssignmentScheduleRequests.get(scope(), unknown))).code).toBe(
      'RoleAssignmentScheduleRequestNotFound',
    );
  });
});

describe('ISO 8601 durations', () => {
  it.each([
    ['PT8H', 8 * 3_600_000],
    ['P30D', 30 * 86_400_000],
    ['P1DT2H3M4S', 86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4_000],
    ['P2W', 14 * 86_400_000],
    ['PT0.5S', 500],
    ['P1Y', 365 * 86_400_000],
    ['P', undefined],
    ['PT', undefined],
    ['P1DT', undefined],
    ['8h', undefined],
  ])('%s', (text, ms) => expect(parseIsoDuration(text)).toBe(ms));
});

describe('the control API', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.close());

  it('sets Azure config with POST /_emulator/config and shows azure.pim in GET /_emulator/state', async () => {
    const control = (path: string, body?: unknown) =>
      fetch(`${emulator.endpoints.github}/_emulator/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const set = await control('config', { azure: { pimLicense: false, pimMinimumActiveMs: 2000 } });
    expect(set.status).toBe(200);
    expect(emulator.azure!.config).toMatchObject({ pimLicense: false, pimMinimumActiveMs: 2000 });
    expect((await control('config', { azure: { pimLicence: false } })).status).toBe(400);
    expect((await control('faults', { azure: { pimRequestOutcome: 'Denied' } })).status).toBe(200);
    expect(emulator.azure!.faults.pimRequestOutcome).toBe('Denied');
    emulator.azure!.addRoleAssignmentSchedule({
      scope: `/subscriptions/${emulator.azure!.subscriptionId}`,
      roleDefinitionId: READER,
      principalId: emulator.azure!.addPrincipal({ createdAt: 0 }),
      endMs: Date.now() + 3_600_000,
    });
    const state = (await (await control('state')).json()) as { azure: { pim: Record<string, unknown[]> } };
    expect(Object.keys(state.azure.pim)).toEqual(['requests', 'schedules', 'instances']);
    expect(state.azure.pim.requests).toHaveLength(1);
  });
});
