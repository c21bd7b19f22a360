// PIM eligibility in the Azure emulator (Microsoft.Authorization 2020-10-01) through the real
// @azure/arm-authorization SDK: each behaviour an eligible grant relies on, as the facts in
// emulator/README.md ("PIM eligibility") summarise them. The swagger examples are replayed in
// azure-pim-eligibility-contract.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { RoleEligibilityScheduleRequest } from '@azure/arm-authorization';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { randomUUID } from 'node:crypto';
import { READER, startTestBed, type AzureTestBed } from './azure-helpers.js';

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
  bed.az.config.pimMinimumActiveMs = 0;
});

const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
/** The SDK as the action builds it, trusting the emulator's CA, without retries. */
const sdk = () =>
  new AuthorizationManagementClient(credential, bed.az.subscriptionId, {
    endpoint: bed.az.resourceManagerEndpoint,
    credentialScopes: ['https://management.azure.com/.default'],
    retryOptions: { maxRetries: 0 },
    tlsOptions: { ca: bed.az.caCert },
  });

const scope = () => `subscriptions/${bed.az.subscriptionId}`;
const sub = () => `/${scope()}`;
const roleId = (guid: string, at = sub()) =>
  `${at}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const principal = () => bed.az.addPrincipal({ type: 'User', createdAt: 0 });
const requestIdOf = (name: string, at = sub()) =>
  `${at}/providers/Microsoft.Authorization/RoleEligibilityScheduleRequests/${name}`;

const request = (
  principalId: string,
  requestType: RoleEligibilityScheduleRequest['requestType'],
  extra: Partial<RoleEligibilityScheduleRequest> = {},
  name: string = randomUUID(),
  at = scope(),
) =>
  sdk().roleEligibilityScheduleRequests.create(at, name, {
    principalId,
    roleDefinitionId: roleId(READER),
    requestType,
    ...extra,
  });
/** AdminAssign for `duration`; null sends AfterDuration without one (a permanent eligibility, spec #24242). */
const assign = (principalId: string, duration: string | null = 'P30D', name?: string) =>
  request(
    principalId,
    'AdminAssign',
    { scheduleInfo: { expiration: { type: 'AfterDuration', ...(duration === null ? {} : { duration }) } } },
    name,
  );

async function all<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}
/** As terraform and the action read them: `(principalId eq '…') and atScope()`. */
const schedulesOf = (principalId: string, at = scope()) =>
  all(
    sdk().roleEligibilitySchedules.listForScope(at, {
      filter: `(principalId eq '${principalId}') and atScope()`,
    }),
  );
const requestsOf = (principalId: string) =>
  all(
    sdk().roleEligibilityScheduleRequests.listForScope(scope(), {
      filter: `principalId eq '${principalId}' and atScope()`,
    }),
  );

async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; message: string };
    return { status: e.statusCode, code: e.code, message: e.message };
  }
  throw new Error('expected the call to fail, and it succeeded');
}

describe('AdminAssign', () => {
  it('answers 201 Provisioned with a bare-GUID target schedule, which the schedules list shows', async () => {
    const p = principal();
    const name = randomUUID();
    const created = await assign(p, 'P30D', name);
    expect(created).toMatchObject({
      name,
      id: requestIdOf(name),
      type: 'Microsoft.Authorization/RoleEligibilityScheduleRequests',
      status: 'Provisioned',
      requestType: 'AdminAssign',
      principalId: p,
      principalType: 'User',
      scope: sub(),
      roleDefinitionId: roleId(READER),
      requestorId: bed.az.objectId,
      targetRoleEligibilityScheduleInstanceId: null,
    });
    expect(created.targetRoleEligibilityScheduleId).toMatch(/^[0-9a-f-]{36}$/);
    const schedules = await schedulesOf(p);
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({
      name: created.targetRoleEligibilityScheduleId,
      id: `${sub()}/providers/Microsoft.Authorization/RoleEligibilitySchedules/${created.targetRoleEligibilityScheduleId}`,
      roleEligibilityScheduleRequestId: requestIdOf(name),
      memberType: 'Direct',
      status: 'Provisioned',
      roleDefinitionId: roleId(READER),
    });
    const s = schedules[0]!;
    expect(s.endDateTime!.getTime() - s.startDateTime!.getTime()).toBe(30 * 86_400_000);
    expect(await sdk().roleEligibilitySchedules.get(scope(), s.name!)).toMatchObject({ name: s.name });
    const got = await sdk().roleEligibilityScheduleRequests.get(scope(), name);
    expect(got).toMatchObject({ name, status: 'Provisioned', targetRoleEligibilityScheduleId: s.name });
    expect((await requestsOf(p)).map((r) => r.name)).toEqual([name]);
    const [instance] = await all(
      sdk().roleEligibilityScheduleInstances.listForScope(scope(), { filter: `principalId eq '${p}'` }),
    );
    expect(instance).toMatchObject({ roleEligibilityScheduleId: s.id, memberType: 'Direct' });
    expect(await sdk().roleEligibilityScheduleInstances.get(scope(), instance!.name!)).toMatchObject({
      name: instance!.name,
    });
    // An eligibility is not an assignment: nothing to list there.
    expect(bed.az.findRoleAssignment(sub(), p, READER)).toBeUndefined();
    expect(bed.requests.map((r) => r.operation)).toContain('RoleEligibilityScheduleRequests_Create');
  });
});

describe('what ARM refuses', () => {
  it('a request name used before answers "already exists", even after an AdminRemove', async () => {
    const p = principal();
    const name = randomUUID();
    await assign(p, 'P30D', name);
    await request(p, 'AdminRemove');
    expect(await schedulesOf(p)).toEqual([]);
    expect(await errorOf(assign(p, 'P30D', name))).toEqual({
      status: 400,
      code: 'RoleAssignmentExists',
      message: `A role assignment request with Id: ${name} already exists`,
    });
  });

  it('a second AdminAssign for the same principal, role and scope answers RoleAssignmentExists', async () => {
    const p = principal();
    await assign(p);
    expect(await errorOf(assign(p))).toEqual({
      status: 400,
      code: 'RoleAssignmentExists',
      message: 'The Role assignment already exists.',
    });
  });

  it('an eligibility longer than Expiration_Admin_Eligibility allows, or without an end, fails the ExpirationRule', async () => {
    const p = principal();
    const failed = {
      status: 400,
      code: 'RoleAssignmentRequestPolicyValidationFailed',
      message: 'The following policy rules failed: ["ExpirationRule"]',
    };
    // The portal's default: expiration required, at most a year.
    expect(await errorOf(assign(p, 'P366D'))).toEqual(failed);
    expect(await errorOf(assign(p, null))).toEqual(failed);
    expect(
      await errorOf(request(p, 'AdminAssign', { scheduleInfo: { expiration: { type: 'NoExpiration' } } })),
    ).toEqual(failed);
    expect((await assign(p, 'P365D')).status).toBe('Provisioned');
  });
});

describe('changes and removals', () => {
  it('AdminUpdate and AdminExtend give a new schedule name, pointing at the new request; AdminRemove ends it', async () => {
    const p = principal();
    const first = await assign(p, 'P30D');
    const updateName = randomUUID();
    const updated = await request(
      p,
      'AdminUpdate',
      { scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P60D' } } },
      updateName,
    );
    expect(updated.status).toBe('Provisioned');
    expect(updated.targetRoleEligibilityScheduleId).not.toBe(first.targetRoleEligibilityScheduleId);
    let [schedule] = await schedulesOf(p);
    expect(schedule).toMatchObject({
      name: updated.targetRoleEligibilityScheduleId,
      roleEligibilityScheduleRequestId: requestIdOf(updateName),
    });
    expect(schedule!.endDateTime!.getTime() - schedule!.startDateTime!.getTime()).toBe(60 * 86_400_000);
    const extended = await request(p, 'AdminExtend', {
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P90D' } },
    });
    [schedule] = await schedulesOf(p);
    expect(schedule!.name).toBe(extended.targetRoleEligibilityScheduleId);
    expect(await schedulesOf(p)).toHaveLength(1);
    // The replaced schedule is gone.
    expect(
      (await errorOf(sdk().roleEligibilitySchedules.get(scope(), first.targetRoleEligibilityScheduleId!)))
        .status,
    ).toBe(404);

    const removed = await request(p, 'AdminRemove', { justification: 'no longer needed' });
    expect(removed).toMatchObject({
      status: 'Revoked',
      requestType: 'AdminRemove',
      targetRoleEligibilityScheduleId: schedule!.name,
    });
    expect(await schedulesOf(p)).toEqual([]);
    expect(await errorOf(request(p, 'AdminRemove'))).toEqual({
      status: 400,
      code: 'RoleAssignmentDoesNotExist',
      message: 'The Role assignment does not exist.',
    });
    expect((await errorOf(request(p, 'AdminUpdate'))).code).toBe('RoleAssignmentDoesNotExist');
  });

  it('AdminRemove within pimMinimumActiveMs of the start answers ActiveDurationTooShort', async () => {
    bed.az.config.pimMinimumActiveMs = 60_000;
    const p = principal();
    await assign(p);
    expect((await errorOf(request(p, 'AdminRemove'))).code).toBe('ActiveDurationTooShort');
    expect(await schedulesOf(p)).toHaveLength(1);
  });

  it('the service ends an eligibility at its endDateTime: schedule and instance no longer listed', async () => {
    bed.az.config.pimMinimumDurationMs = 100;
    const p = principal();
    await request(p, 'AdminAssign', {
      scheduleInfo: { expiration: { type: 'AfterDateTime', endDateTime: new Date(Date.now() + 400) } },
    });
    expect(await schedulesOf(p)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await schedulesOf(p)).toEqual([]);
    expect(bed.az.eligibility().instances).toEqual([]);
    // Ended: a new AdminAssign is no duplicate.
    expect((await assign(p)).status).toBe('Provisioned');
  });
});

describe('requests that reads stop returning while schedules stay', () => {
  it('past 45 days GET answers 404 and the list leaves the request out; the schedule keeps its request ID, and the name stays taken', async () => {
    const p = principal();
    const name = randomUUID();
    const created = await assign(p, 'P365D', name);
    bed.az.ageEligibilityRequests(44 * 86_400_000);
    expect((await sdk().roleEligibilityScheduleRequests.get(scope(), name)).name).toBe(name);
    bed.az.ageEligibilityRequests(2 * 86_400_000);
    expect(await errorOf(sdk().roleEligibilityScheduleRequests.get(scope(), name))).toMatchObject({
      status: 404,
      code: 'RoleEligibilityScheduleRequestNotFound',
    });
    expect(await requestsOf(p)).toEqual([]);
    expect(await schedulesOf(p)).toMatchObject([
      { name: created.targetRoleEligibilityScheduleId, roleEligibilityScheduleRequestId: requestIdOf(name) },
    ]);
    expect(bed.az.eligibility().expiredRequests.map((r) => r.name)).toEqual([name]);
    expect((await errorOf(assign(principal(), 'P30D', name))).message).toBe(
      `A role assignment request with Id: ${name} already exists`,
    );
  });

  it('the retention is a setting', async () => {
    bed.az.config.eligibilityRequestRetentionMs = 0;
    const p = principal();
    await assign(p);
    expect(await requestsOf(p)).toEqual([]);
    expect(await schedulesOf(p)).toHaveLength(1);
  });
});

describe('an eligibility someone changed in the portal', () => {
  it('gets a new schedule name and a request ID that is not ours', async () => {
    const p = principal();
    const ours = randomUUID();
    const created = await assign(p, 'P30D', ours);
    const changed = bed.az.writeEligibilityAsAdmin({
      scope: sub(),
      roleDefinitionId: READER,
      principalId: p,
      duration: 'P90D',
    });
    const [schedule] = await schedulesOf(p);
    expect(schedule!.name).toBe(changed.name);
    expect(schedule!.name).not.toBe(created.targetRoleEligibilityScheduleId);
    expect(schedule!.roleEligibilityScheduleRequestId).not.toBe(requestIdOf(ours));
    const theirs = schedule!.roleEligibilityScheduleRequestId!.split('/').at(-1)!;
    expect(await sdk().roleEligibilityScheduleRequests.get(scope(), theirs)).toMatchObject({
      requestType: 'AdminUpdate',
      requestorId: expect.not.stringMatching(bed.az.objectId),
    });
  });
});

describe('scopes, role definition IDs and filters', () => {
  const MG = 'providers/Microsoft.Management/managementGroups/platform';
  const unscopedRole = `/providers/Microsoft.Authorization/roleDefinitions/${READER}`;

  it('at a management group the role definition ID has no /subscriptions prefix; at a subscription it must have it', async () => {
    const p = principal();
    const atGroup = (roleDefinitionId: string) =>
      request(
        p,
        'AdminAssign',
        { roleDefinitionId, scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P30D' } } },
        randomUUID(),
        MG,
      );
    expect(await errorOf(atGroup(roleId(READER)))).toMatchObject({
      status: 400,
      code: 'RoleDefinitionDoesNotExist',
    });
    expect(await errorOf(request(p, 'AdminAssign', { roleDefinitionId: unscopedRole }))).toMatchObject({
      status: 400,
      code: 'RoleDefinitionDoesNotExist',
    });
    const created = await atGroup(unscopedRole);
    expect(created).toMatchObject({ status: 'Provisioned', scope: `/${MG}`, roleDefinitionId: unscopedRole });
    const [schedule] = await schedulesOf(p, MG);
    expect(schedule).toMatchObject({ roleDefinitionId: unscopedRole, memberType: 'Direct', scope: `/${MG}` });
  });

  it('atScope() lists eligibilities at or above the scope, never below; without it, below too', async () => {
    const p = principal();
    await request(
      p,
      'AdminAssign',
      {
        roleDefinitionId: unscopedRole,
        scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P30D' } },
      },
      randomUUID(),
      MG,
    );
    const rg = `${scope()}/resourceGroups/rg-app`;
    await request(
      p,
      'AdminAssign',
      { scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P30D' } } },
      randomUUID(),
      rg,
    );
    // Listed at the subscription: the management group's (inherited), not the resource group's.
    const atSub = await schedulesOf(p);
    expect(atSub.map((s) => [s.scope, s.memberType])).toEqual([[`/${MG}`, 'Inherited']]);
    const everywhere = await all(
      sdk().roleEligibilitySchedules.listForScope(scope(), { filter: `principalId eq '${p}'` }),
    );
    expect(everywhere.map((s) => s.scope).sort()).toEqual([`/${MG}`, `/${rg}`].sort());
    // The filter goes out URL-encoded as the SDK sends it (spaces and quotes; parentheses as they are).
    let sent = '';
    await all(
      sdk().roleEligibilitySchedules.listForScope(scope(), {
        filter: `(principalId eq '${p}') and atScope()`,
        onResponse: (raw) => (sent = raw.request.url),
      }),
    );
    expect(sent).toContain(`$filter=(principalId%20eq%20%27${p}%27)%20and%20atScope()`);
    const unknown = await errorOf(
      all(sdk().roleEligibilitySchedules.listForScope(scope(), { filter: `displayName eq 'x'` })),
    );
    expect(unknown).toMatchObject({ status: 400, code: 'UnsupportedQuery' });
  });

  it('Expiration_Admin_Eligibility is per scope and role, set through the control API, and the policy shows it', async () => {
    const rg = `${sub()}/resourceGroups/rg-app`;
    bed.az.setEligibilityPolicy({ maximumDuration: 'P90D' }, { scope: rg, role: 'Reader' });
    const p = principal();
    const atRg = (duration: string) =>
      request(
        p,
        'AdminAssign',
        { scheduleInfo: { expiration: { type: 'AfterDuration', duration } } },
        randomUUID(),
        rg.slice(1),
      );
    expect((await errorOf(atRg('P91D'))).code).toBe('RoleAssignmentRequestPolicyValidationFailed');
    expect((await atRg('P90D')).status).toBe('Provisioned');
    // Elsewhere the default (P365D) holds.
    expect((await assign(p, 'P200D')).status).toBe('Provisioned');
    const policies = await all(sdk().roleManagementPolicyAssignments.listForScope(rg.slice(1)));
    const reader = policies.find((a) => a.roleDefinitionId?.endsWith(READER));
    expect(reader!.effectiveRules!.find((r) => r.id === 'Expiration_Admin_Eligibility')).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: 'P90D',
    });
    bed.az.setEligibilityPolicy({ isExpirationRequired: false });
    expect((await assign(principal(), null)).status).toBe('Provisioned');
  });
});
