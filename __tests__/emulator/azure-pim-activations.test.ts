// The Azure emulator's PIM activations (emulator/azure/activation-api.ts) as a report reads them
// through the real @azure/arm-authorization SDK: a person's SelfActivate request is listed by
// `roleAssignmentScheduleRequests` with the swagger example's shape
// (GetRoleAssignmentScheduleRequestByScope.json: requestType SelfActivate, status, createdOn),
// filtered as ARM filters (`atScope()`: at or above the scope), in the status it ended in, naming the
// eligibility schedule it activates (a group's, for a member's: `linkedRoleEligibilityScheduleId`, the
// schedule's bare name as PutRoleAssignmentScheduleRequest.json sends it), and no
// longer read after the 45 days ARM keeps requests (terraform's "Request records expire after 45 days").
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { join } from 'node:path';
import { READER, startTestBed, type AzureTestBed } from './azure-helpers.js';
import { operationsByExample, readJson, shapeDifferences } from './azure-swagger.js';

let bed: AzureTestBed;
let token: string;
beforeAll(async () => {
  bed = await startTestBed();
  token = await bed.accessToken();
});
afterAll(() => bed.az.close());
beforeEach(() => bed.az.reset());

const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const sdk = () =>
  new AuthorizationManagementClient(credential, bed.az.subscriptionId, {
    endpoint: bed.az.resourceManagerEndpoint,
    credentialScopes: ['https://management.azure.com/.default'],
    retryOptions: { maxRetries: 0 },
    tlsOptions: { ca: bed.az.caCert },
  });
const sub = () => `/subscriptions/${bed.az.subscriptionId}`;
const DAY = 86_400_000;

async function listed(scope: string, filter?: string) {
  const items = [];
  for await (const r of sdk().roleAssignmentScheduleRequests.listForScope(scope.slice(1), {
    ...(filter ? { filter } : {}),
  }))
    items.push(r);
  return items;
}

describe('activations, as roleAssignmentScheduleRequests lists them', () => {
  it("answer with the swagger example's shape: SelfActivate, the status it ended in, its time", async () => {
    const principalId = bed.az.addPrincipal({ type: 'User', createdAt: 0 });
    bed.az.writeEligibilityAsAdmin({ scope: sub(), roleDefinitionId: READER, principalId });
    const at = Date.now() - 3 * DAY;
    const made = bed.az.activateEligibility({ scope: sub(), roleDefinitionId: READER, principalId, at });
    const denied = bed.az.activateEligibility({
      scope: sub(),
      roleDefinitionId: READER,
      principalId,
      status: 'Denied',
    });
    const res = await bed.arm(
      'GET',
      `${sub()}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests?api-version=2020-10-01&$filter=${encodeURIComponent('atScope()')}`,
      { token },
    );
    expect(res.status).toBe(200);
    const file = 'GetRoleAssignmentScheduleRequestByScope.json';
    const example = readJson(join('examples', file)) as { responses: { 200: { body: unknown } } };
    const op = operationsByExample().get(file)!;
    expect(
      shapeDifferences(example.responses[200].body, res.json, op.responses['200']?.schema, op.file),
    ).toEqual([]);
    const requests = await listed(sub(), 'atScope()');
    expect(requests.map((r) => [r.name, r.requestType, r.status, r.principalId, r.requestorId])).toEqual([
      [made.name, 'SelfActivate', 'Provisioned', principalId, principalId],
      [denied.name, 'SelfActivate', 'Denied', principalId, principalId],
    ]);
    expect(requests[0]!.createdOn).toEqual(new Date(at));
    // The eligibility it activates, by its schedule's name.
    expect(requests[0]!.linkedRoleEligibilityScheduleId).toBe(bed.az.eligibility().schedules[0]!.name);
  });

  it("a member's activation of a group's eligibility names the group's schedule, in the example's shape", async () => {
    const alice = bed.az.addUser({ userPrincipalName: 'alice@contoso.com' }).id;
    const ops = bed.az.addGroup({ displayName: 'ops' }).id;
    const auditors = bed.az.addGroup({ displayName: 'auditors' }).id;
    bed.az.state.directory.addMember(ops, alice);
    bed.az.state.directory.addMember(auditors, alice);
    bed.az.writeEligibilityAsAdmin({ scope: sub(), roleDefinitionId: READER, principalId: ops });
    bed.az.writeEligibilityAsAdmin({ scope: sub(), roleDefinitionId: READER, principalId: auditors });
    const scheduleOf = (principalId: string) =>
      bed.az.eligibility().schedules.find((s) => s.properties.principalId === principalId)!.name;
    const viaAuditors = bed.az.activateEligibility({
      scope: sub(),
      roleDefinitionId: READER,
      principalId: alice,
      through: auditors,
    });
    const res = await bed.arm(
      'GET',
      `${sub()}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests?api-version=2020-10-01&$filter=${encodeURIComponent('atScope()')}`,
      { token },
    );
    const file = 'GetRoleAssignmentScheduleRequestByScope.json';
    const example = readJson(join('examples', file)) as { responses: { 200: { body: unknown } } };
    const op = operationsByExample().get(file)!;
    expect(
      shapeDifferences(example.responses[200].body, res.json, op.responses['200']?.schema, op.file),
    ).toEqual([]);
    const [request] = await listed(sub(), 'atScope()');
    expect(request).toMatchObject({
      name: viaAuditors.name,
      principalId: alice,
      principalType: 'User',
      requestType: 'SelfActivate',
      linkedRoleEligibilityScheduleId: scheduleOf(auditors),
    });
    // Without `through`, a group the member is in.
    const picked = bed.az.activateEligibility({ scope: sub(), roleDefinitionId: READER, principalId: alice });
    expect([scheduleOf(ops), scheduleOf(auditors)]).toContain(
      picked.properties.linkedRoleEligibilityScheduleId,
    );
    expect(() =>
      bed.az.activateEligibility({
        scope: sub(),
        roleDefinitionId: READER,
        principalId: ops,
        through: auditors,
      }),
    ).toThrow(/in no group/);
  });

  it('are filtered as ARM filters: atScope() lists those at or above the scope, not below it', async () => {
    const principalId = bed.az.addPrincipal({ type: 'User', createdAt: 0 });
    const rg = bed.az.addResourceGroup('rg-app');
    const atSub = bed.az.activateEligibility({ scope: sub(), roleDefinitionId: READER, principalId });
    const atRg = bed.az.activateEligibility({ scope: rg, roleDefinitionId: READER, principalId });
    expect((await listed(sub(), 'atScope()')).map((r) => r.name)).toEqual([atSub.name]);
    expect((await listed(rg, 'atScope()')).map((r) => r.name)).toEqual([atSub.name, atRg.name]);
    expect((await listed(sub(), `principalId eq '${principalId}'`)).map((r) => r.name)).toEqual([
      atSub.name,
      atRg.name,
    ]);
  });

  it('are no longer read after the 45 days ARM keeps requests', async () => {
    const principalId = bed.az.addPrincipal({ type: 'User', createdAt: 0 });
    const old = bed.az.activateEligibility({
      scope: sub(),
      roleDefinitionId: READER,
      principalId,
      at: Date.now() - 46 * DAY,
    });
    const kept = bed.az.activateEligibility({
      scope: sub(),
      roleDefinitionId: READER,
      principalId,
      at: Date.now() - 44 * DAY,
    });
    expect((await listed(sub(), 'atScope()')).map((r) => r.name)).toEqual([kept.name]);
    await expect(sdk().roleAssignmentScheduleRequests.get(sub().slice(1), old.name)).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
