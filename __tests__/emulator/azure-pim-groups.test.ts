// The emulated Graph's PIM for groups, beyond the documented examples' shapes: a request's status
// over its provisioning, what an adminAssign makes and an adminRemove ends, the group policy's
// maximum refused as PIM refuses it, onboarding, the permissions, the required $filter, $batch
// items and an injected 429 with Retry-After.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { AzureTestBed, HttpResult } from './azure-helpers.js';
import { usePimGroupsBed } from './pim-groups-bed.js';

const PERMISSIONS = [
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'RoleManagementPolicy.Read.AzureADGroup',
];
const BASE = '/v1.0/identityGovernance/privilegedAccess/group';

const pim = usePimGroupsBed(PERMISSIONS, { beforeAll, afterAll, beforeEach });
let bed: AzureTestBed;
let group: string;
let alice: string;
beforeEach(() => {
  ({ bed, group, alice } = pim);
});

const graph = (method: string, path: string, body?: unknown): Promise<HttpResult> =>
  pim.graph(method, path, body);

const request = (overrides: Record<string, unknown> = {}, kind = 'assignment') =>
  graph('POST', `${BASE}/${kind}ScheduleRequests`, {
    accessId: 'member',
    principalId: alice,
    groupId: group,
    action: 'adminAssign',
    scheduleInfo: {
      startDateTime: new Date().toISOString(),
      expiration: { type: 'afterDuration', duration: 'PT8H' },
    },
    justification: 'deploy [cloud-access:octo-org/octo-repo:run:1:1]',
    ticketInfo: { ticketNumber: '1', ticketSystem: 'https://github.com/octo-org/octo-repo/actions/runs/1' },
    ...overrides,
  });
const instances = (kind = 'assignment') =>
  graph('GET', `${BASE}/${kind}ScheduleInstances?$filter=groupId eq '${group}'`);

describe('a request and what it makes', () => {
  it('adminAssign is PendingProvisioning until provisioned, then Provisioned with an instance that ends as asked', async () => {
    bed.az.config.groupPimProvisioningDelayMs = 60_000;
    const made = await request();
    expect([made.status, made.json.status, made.json.completedDateTime]).toEqual([
      201,
      'PendingProvisioning',
      null,
    ]);
    expect((await instances()).json.value).toEqual([]);
    bed.az.ageGroupPimRequests(60_000);
    const read = await graph('GET', `${BASE}/assignmentScheduleRequests/${made.json.id}`);
    expect(read.json.status).toBe('Provisioned');
    const [instance] = (await instances()).json.value;
    expect(instance).toMatchObject({
      principalId: alice,
      accessId: 'member',
      assignmentScheduleId: made.json.targetScheduleId,
    });
    expect(Date.parse(instance.endDateTime) - Date.parse(instance.startDateTime)).toBe(8 * 3_600_000);
  });

  it('the instance is listed config.groupPimInstanceDelayMs after its request provisions; the schedule at once', async () => {
    bed.az.config.groupPimInstanceDelayMs = 2_000;
    const made = await request();
    expect(made.json.status).toBe('Provisioned');
    const schedules = await graph('GET', `${BASE}/assignmentSchedules?$filter=groupId eq '${group}'`);
    expect(schedules.json.value).toEqual([expect.objectContaining({ id: made.json.targetScheduleId })]);
    expect((await instances()).json.value).toEqual([]);
    bed.az.ageGroupPimRequests(2_000);
    const listed = (await instances()).json;
    expect(listed['@odata.context']).toMatch(
      /#identityGovernance\/privilegedAccess\/group\/assignmentScheduleInstances$/,
    );
    expect(listed.value).toEqual([
      expect.objectContaining({
        principalId: alice,
        accessId: 'member',
        memberType: 'direct',
        assignmentScheduleId: made.json.targetScheduleId,
      }),
    ]);
  });

  it('instances take `$filter` on principalId, accessId and assignmentScheduleId with the groupId', async () => {
    const made = await request();
    const filter = (more: string) =>
      graph('GET', `${BASE}/assignmentScheduleInstances?$filter=groupId eq '${group}' and ${more}`);
    const found = await filter(`principalId eq '${alice}' and accessId eq 'member'`);
    expect(found.json.value).toEqual([expect.objectContaining({ principalId: alice })]);
    const bySchedule = await filter(`assignmentScheduleId eq '${made.json.targetScheduleId}'`);
    expect(bySchedule.json.value).toHaveLength(1);
    expect((await filter(`accessId eq 'owner'`)).json.value).toEqual([]);
  });

  it('carries the justification and ticketInfo as sent, and createdBy the signed-in application', async () => {
    const made = await request();
    expect(made.json).toMatchObject({
      justification: 'deploy [cloud-access:octo-org/octo-repo:run:1:1]',
      ticketInfo: { ticketNumber: '1', ticketSystem: 'https://github.com/octo-org/octo-repo/actions/runs/1' },
      createdBy: { application: { id: bed.az.objectId }, user: null },
    });
  });

  it('the schedule names the request that made it (createdUsing); adminRemove ends it, Revoked', async () => {
    const made = await request();
    const schedules = await graph('GET', `${BASE}/assignmentSchedules?$filter=groupId eq '${group}'`);
    expect(schedules.json.value).toEqual([
      expect.objectContaining({ id: made.json.targetScheduleId, createdUsing: made.json.id }),
    ]);
    const removed = await request({ action: 'adminRemove', scheduleInfo: undefined });
    expect([removed.status, removed.json.status, removed.json.targetScheduleId]).toEqual([
      201,
      'Revoked',
      made.json.targetScheduleId,
    ]);
    expect((await instances()).json.value).toEqual([]);
  });

  it('an existing membership answers 400 RoleAssignmentExists; removing none, 400 RoleAssignmentDoesNotExist', async () => {
    await request();
    const again = await request();
    expect([again.status, again.json.error.code]).toEqual([400, 'RoleAssignmentExists']);
    const none = await request({ action: 'adminRemove', accessId: 'owner' });
    expect([none.status, none.json.error.code]).toEqual([400, 'RoleAssignmentDoesNotExist']);
  });

  it('eligible and active memberships are apart: each kind lists its own', async () => {
    await request({}, 'eligibility');
    expect((await instances('eligibility')).json.value).toHaveLength(1);
    expect((await instances('assignment')).json.value).toHaveLength(0);
  });

  it('an injected outcome (Denied) ends the request so and makes nothing', async () => {
    bed.az.faults.groupPimRequestOutcome = 'Denied';
    const made = await request();
    expect(made.json.status).toBe('Denied');
    expect((await instances()).json.value).toEqual([]);
  });
});

describe("the group's policy and onboarding", () => {
  it('a duration past the maximum is refused: 400 RoleAssignmentRequestPolicyValidationFailed ["ExpirationRule"]', async () => {
    bed.az.setGroupPimPolicy({ assignmentMaximumDuration: 'PT4H' }, { groupId: group });
    const res = await request();
    expect([res.status, res.json.error.code, res.json.error.message]).toEqual([
      400,
      'RoleAssignmentRequestPolicyValidationFailed',
      'The following policy rules failed: ["ExpirationRule"]',
    ]);
    expect(
      (await request({ scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT4H' } } })).status,
    ).toBe(201);
  });

  it('no end is refused where the policy requires one, allowed where it does not', async () => {
    const permanent = { scheduleInfo: { expiration: { type: 'noExpiration' } } };
    expect((await request(permanent)).json.error.message).toBe(
      'The following policy rules failed: ["ExpirationRule"]',
    );
    bed.az.setGroupPimPolicy({ assignmentExpirationRequired: false }, { groupId: group, accessId: 'member' });
    expect((await request(permanent)).status).toBe(201);
  });

  it('a justification is required for active memberships by default (JustificationRule)', async () => {
    const res = await request({ justification: undefined });
    expect(res.json.error.message).toBe('The following policy rules failed: ["JustificationRule"]');
  });

  it('month durations are refused (InvalidRoleAssignmentRequest), as Graph refused P6M', async () => {
    const res = await request({ scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P6M' } } });
    expect([res.status, res.json.error.code]).toEqual([400, 'InvalidRoleAssignmentRequest']);
  });

  it('a group not under PIM has no policy assignments; its first request onboards it', async () => {
    const policies = () =>
      graph(
        'GET',
        `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${group}' and scopeType eq 'Group'`,
      );
    expect((await policies()).json.value).toEqual([]);
    await request();
    expect(
      (await policies()).json.value.map((a: { roleDefinitionId: string }) => a.roleDefinitionId),
    ).toEqual(['member', 'owner']);
  });

  it("the expanded policy carries the group's maximum in Expiration_Admin_Assignment", async () => {
    bed.az.setGroupPimPolicy({ assignmentMaximumDuration: 'P30D' }, { groupId: group, accessId: 'member' });
    const res = await graph(
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${group}' and scopeType eq 'Group' and roleDefinitionId eq 'member'&$expand=policy($expand=rules)`,
    );
    const rule = res.json.value[0].policy.rules.find(
      (r: { id: string }) => r.id === 'Expiration_Admin_Assignment',
    );
    expect(rule).toMatchObject({ isExpirationRequired: true, maximumDuration: 'P30D' });
  });
});

describe('refusals and throttling', () => {
  it('without the permission: 403 naming the missing permission scope', async () => {
    await pim.signIn(['RoleManagementPolicy.Read.AzureADGroup']);
    const res = await request();
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('PermissionScopeNotGranted');
    expect(res.json.error.message).toContain('PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup');
  });

  it('lists require $filter on groupId or principalId (400)', async () => {
    const res = await graph('GET', `${BASE}/assignmentScheduleInstances`);
    expect([res.status, res.json.error.code]).toEqual([400, 'BadRequest']);
  });

  it("$batch answers each group's instances on its own; an injected 429 carries Retry-After", async () => {
    await request();
    const other = bed.az.addGroup({ displayName: 'other' }).id;
    bed.az.config.graphRetryAfterSeconds = 7;
    bed.az.faults.graphThrottled = 1;
    const res = await graph('POST', '/v1.0/$batch', {
      requests: [group, other].map((g, i) => ({
        id: String(i),
        method: 'GET',
        url: `/identityGovernance/privilegedAccess/group/assignmentScheduleInstances?$filter=groupId eq '${g}'`,
      })),
    });
    const byId = Object.fromEntries(res.json.responses.map((r: { id: string }) => [r.id, r]));
    expect([byId['0'].status, byId['0'].headers['retry-after'], byId['0'].body.error.code]).toEqual([
      429,
      '7',
      'TooManyRequests',
    ]);
    expect([byId['1'].status, byId['1'].body.value]).toEqual([200, []]);
  });
});

describe('the control API', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.close());

  it('injects a 429 and an outcome with POST /_emulator/faults, and shows azure.groupPim in GET /_emulator/state', async () => {
    const control = (path: string, body?: unknown) =>
      fetch(`${emulator.endpoints.github}/_emulator/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const set = await control('faults', { azure: { graphThrottled: 2, groupPimRequestOutcome: 'Failed' } });
    expect(set.status).toBe(200);
    expect(emulator.azure!.faults).toMatchObject({ graphThrottled: 2, groupPimRequestOutcome: 'Failed' });
    emulator.azure!.onboardGroupToPim(emulator.azure!.addGroup({ displayName: 'ops' }).id);
    const state = (await (await control('state')).json()) as {
      azure: { groupPim: Record<string, unknown[]> };
    };
    expect(Object.keys(state.azure.groupPim)).toEqual(['onboarded', 'requests', 'schedules', 'instances']);
    expect(state.azure.groupPim.onboarded).toHaveLength(1);
  });
});
