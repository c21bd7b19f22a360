// PIM eligibility in the Azure emulator against its contract, Microsoft.Authorization 2020-10-01
// (__tests__/fixtures/contracts/azure/2020-10-01: RoleEligibilityScheduleRequest.json,
// RoleEligibilitySchedule.json, RoleEligibilityScheduleInstance.json and their examples): every
// example replayed answers with the example's status and shape, and the real
// @azure/arm-authorization SDK reads each answer back into its models.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestBed, type AzureTestBed } from './azure-helpers.js';
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
});

// The examples' own values, and the state each presumes.
const SUBSCRIPTION = 'dfa2a084-766f-4003-8ae1-c4aeb893a99f';
const PRINCIPAL = 'a3bb8764-cb92-4276-9d2a-ca1e895e55ea';
const ROLE = 'c8d4ff99-41c3-41a8-9f60-21dfdad59608';
const REQUEST = '64caffb6-55c0-4deb-a585-68e948ea1ad6';
const SCHEDULE = 'b1477448-2cc6-4ceb-93b4-54a202a89413';
const INSTANCE = '21e4b59a-0499-4fe0-a3c3-43a3055b773a';
const SCOPE = `/subscriptions/${SUBSCRIPTION}`;
const CONDITION =
  "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:ContainerName] StringEqualsIgnoreCase 'foo_storage_container'";

/**
 * The Put example's body, starting now: its own start (2020-09-09) with P365D ends in the past,
 * which the service refuses.
 */
const body = () => ({
  properties: {
    principalId: PRINCIPAL,
    roleDefinitionId: `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}`,
    requestType: 'AdminAssign',
    scheduleInfo: {
      startDateTime: new Date().toISOString(),
      expiration: { type: 'AfterDuration', endDateTime: null, duration: 'P365D' },
    },
    condition: CONDITION,
    conditionVersion: '1.0',
  },
});

const put = (name = REQUEST) =>
  bed.arm(
    'PUT',
    `${SCOPE}/providers/Microsoft.Authorization/roleEligibilityScheduleRequests/${name}?api-version=2020-10-01`,
    { body: body(), token },
  );

async function seedFor(file: string): Promise<void> {
  const { az } = bed;
  az.addSubscription(SUBSCRIPTION, { managementGroup: 'platform' });
  az.addPrincipal({ id: PRINCIPAL, type: 'User', createdAt: 0 });
  az.addRoleDefinition({ guid: ROLE, roleName: 'Example Contributor', assignableScopes: ['/'] });
  if (/^(Get|Cancel)RoleEligibilityScheduleRequest/.test(file)) {
    // Cancel needs a pending request: one waiting for an approval.
    if (file.startsWith('Cancel')) az.faults.pimRequestOutcome = 'PendingApproval';
    expect((await put()).status).toBe(201);
  }
  if (/^GetRoleEligibilitySchedule(s|ByName|Instance)/.test(file)) {
    az.writeEligibilityAsAdmin({
      scope: SCOPE,
      roleDefinitionId: ROLE,
      principalId: PRINCIPAL,
      requestName: REQUEST,
      scheduleName: SCHEDULE,
      instanceName: INSTANCE,
    });
  }
}

describe('the 2020-10-01 eligibility examples replayed against the emulator', () => {
  const examples = operationsByExample();
  const files = readdirSync(join(SPEC_DIR, 'examples')).filter(
    (f) => f.endsWith('.json') && f.includes('RoleEligibility'),
  );

  it('covers every eligibility example file', () => {
    expect(files).toHaveLength(9);
    expect(files.filter((f) => !examples.has(f))).toEqual([]);
  });

  it.each(files)('%s', async (file) => {
    const op = examples.get(file)!;
    const example = readJson(join('examples', file)) as {
      parameters: Record<string, unknown>;
      responses: Record<string, { body?: unknown }>;
    };
    await seedFor(file);
    // The examples' scopes are `providers/Microsoft.Subscription/subscriptions/{id}`; their answers
    // say `/subscriptions/{id}`, the form ARM and the SDK use.
    const path = op.pathTemplate.replace(/\{([^}]+)\}/g, (_m, name: string) =>
      String(example.parameters[name]).replace(/^providers\/Microsoft\.Subscription\//, ''),
    );
    const query = new URLSearchParams({ 'api-version': String(example.parameters['api-version']) });
    if (example.parameters.$filter) query.set('$filter', String(example.parameters.$filter));
    const send = example.parameters.parameters === undefined ? {} : { body: body() };
    const res = await bed.arm(op.method, `/${path}?${query}`, { ...send, token });
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
    if ((expected as { value?: unknown[] }).value) expect(res.json.value.length).toBeGreaterThan(0);
    const schema = op.responses[String(res.status)]?.schema;
    expect(shapeDifferences(expected, res.json, schema, op.file)).toEqual([]);
    expect(bed.requests.at(-1)?.operation).toBe(op.operationId);
  });
});

const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const sdk = () =>
  new AuthorizationManagementClient(credential, SUBSCRIPTION, {
    endpoint: bed.az.resourceManagerEndpoint,
    credentialScopes: ['https://management.azure.com/.default'],
    retryOptions: { maxRetries: 0 },
    tlsOptions: { ca: bed.az.caCert },
  });

async function all<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

describe('the SDK reads every answer into its models', () => {
  it('create, get, list and cancel of requests; get and list of schedules and instances', async () => {
    await seedFor('Put');
    const scope = SCOPE.slice(1);
    const client = sdk();
    const created = await client.roleEligibilityScheduleRequests.create(scope, REQUEST, {
      principalId: PRINCIPAL,
      roleDefinitionId: `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}`,
      requestType: 'AdminAssign',
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P365D' } },
      condition: CONDITION,
      conditionVersion: '1.0',
    });
    expect(created).toMatchObject({
      name: REQUEST,
      id: `${SCOPE}/providers/Microsoft.Authorization/RoleEligibilityScheduleRequests/${REQUEST}`,
      type: 'Microsoft.Authorization/RoleEligibilityScheduleRequests',
      status: 'Provisioned',
      principalType: 'User',
      targetRoleEligibilityScheduleInstanceId: null,
      expandedProperties: { scope: { id: SCOPE, type: 'subscription' }, principal: { id: PRINCIPAL } },
    });
    expect(created.createdOn).toBeInstanceOf(Date);
    const scheduleName = created.targetRoleEligibilityScheduleId!;
    const schedule = await client.roleEligibilitySchedules.get(scope, scheduleName);
    expect(schedule).toMatchObject({
      type: 'Microsoft.Authorization/RoleEligibilitySchedules',
      roleEligibilityScheduleRequestId: created.id,
      memberType: 'Direct',
      status: 'Provisioned',
      condition: CONDITION,
    });
    expect(schedule.updatedOn).toBeInstanceOf(Date);
    const [instance] = await all(
      client.roleEligibilityScheduleInstances.listForScope(scope, { filter: `assignedTo('${PRINCIPAL}')` }),
    );
    expect(instance).toMatchObject({
      type: 'Microsoft.Authorization/RoleEligibilityScheduleInstances',
      roleEligibilityScheduleId: schedule.id,
    });
    expect(instance).not.toHaveProperty('updatedOn');
    expect(
      await all(client.roleEligibilityScheduleRequests.listForScope(scope, { filter: 'atScope()' })),
    ).toEqual([created]);
    bed.az.faults.pimRequestOutcome = 'PendingApproval';
    bed.az.config.pimMinimumActiveMs = 0;
    const pending = await client.roleEligibilityScheduleRequests.create(scope, randomUUID(), {
      principalId: PRINCIPAL,
      roleDefinitionId: `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}`,
      requestType: 'AdminRemove',
    });
    expect(pending.status).toBe('PendingApproval');
    await client.roleEligibilityScheduleRequests.cancel(scope, pending.name!);
    expect((await client.roleEligibilityScheduleRequests.get(scope, pending.name!)).status).toBe('Canceled');
    // Nothing was removed.
    expect(await all(client.roleEligibilitySchedules.listForScope(scope))).toHaveLength(1);
  });
});
