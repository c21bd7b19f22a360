// A person's activation of their eligible membership of a group (PIM for groups `selfActivate`), as
// the emulator stages it (activateGroupMembership; `POST /_emulator/azure/group-pim/activation`) and
// Graph's assignmentScheduleRequests lists it to a report's `last-used: true`
// (src/azure/group/usage.ts): filtered by `groupId eq` as the report sends it, in
// the shape of Graph's documented request (../fixtures/contracts/azure/graph-v1.0/pim-groups/assignmentScheduleRequests-get.json),
// in the status it ended in, every page to the last nextLink, behind the read permission; and only
// for a person eligible for it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { AzureTestBed } from './azure-helpers.js';
import { usePimGroupsBed } from './pim-groups-bed.js';

const BASE = '/v1.0/identityGovernance/privilegedAccess/group';
const DAY = 86_400_000;
const PERMISSIONS = [
  'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
];
const pim = usePimGroupsBed(PERMISSIONS, { beforeAll, afterAll, beforeEach });
let bed: AzureTestBed;
let group: string;
let alice: string;
beforeEach(() => {
  ({ bed, group, alice } = pim);
});

/** The documented request's body: what each listed request must have. */
const DOCUMENTED = (
  JSON.parse(
    readFileSync(
      join(
        process.cwd(),
        '__tests__/fixtures/contracts/azure/graph-v1.0/pim-groups/assignmentScheduleRequests-get.json',
      ),
      'utf8',
    ),
  ) as { response: { body: Record<string, unknown> } }
).response.body;

/** An eligible membership, as an admin's adminAssign makes it through Graph. */
async function eligible(principalId: string, accessId = 'member') {
  const res = await pim.graph('POST', `${BASE}/eligibilityScheduleRequests`, {
    accessId,
    principalId,
    groupId: group,
    action: 'adminAssign',
    scheduleInfo: {
      startDateTime: new Date().toISOString(),
      expiration: { type: 'afterDuration', duration: 'P30D' },
    },
    justification: 'eligible',
  });
  expect(res.status).toBe(201);
}
let pagesRead = 0;
/** The group's assignment schedule requests, as the report asks: `groupId eq`, URL-encoded, every page. */
async function listed(groupId = group): Promise<Record<string, unknown>[]> {
  let url: string | undefined =
    `${BASE}/assignmentScheduleRequests?$filter=${encodeURIComponent(`groupId eq '${groupId}'`)}`;
  const items: Record<string, unknown>[] = [];
  while (url) {
    pagesRead++;
    const res = await pim.graph('GET', url);
    expect(res.status).toBe(200);
    items.push(...(res.json.value as Record<string, unknown>[]));
    url = res.json['@odata.nextLink'] as string | undefined;
  }
  return items;
}

describe('a staged selfActivate', () => {
  it("is listed by the group's assignmentScheduleRequests in the documented request's shape, at its time, by its person", async () => {
    await eligible(alice);
    const at = Date.now() - 3 * DAY;
    const made = bed.az.activateGroupMembership({ groupId: group, principalId: alice, at });
    const [request] = (await listed()).filter((r) => r.action === 'selfActivate');
    expect(request).toEqual(made);
    for (const key of Object.keys(DOCUMENTED).filter((k) => !k.startsWith('@odata.')))
      expect(request).toHaveProperty([key]);
    expect(request).toMatchObject({
      status: 'Provisioned',
      principalId: alice,
      groupId: group,
      accessId: 'member',
      createdDateTime: new Date(at).toISOString(),
      createdBy: { user: { id: alice } },
      targetScheduleId: expect.stringMatching(new RegExp(`^${group}_member_`)),
    });
  });

  it('keeps the status it ended in, and its access', async () => {
    await eligible(alice, 'owner');
    bed.az.activateGroupMembership({
      groupId: group,
      principalId: alice,
      accessId: 'owner',
      status: 'Denied',
    });
    expect((await listed()).filter((r) => r.action === 'selfActivate')).toEqual([
      expect.objectContaining({ status: 'Denied', accessId: 'owner' }),
    ]);
  });

  it('is listed page by page to the last nextLink, and only for its own group', async () => {
    await eligible(alice);
    bed.az.config.graphPageSize = 1;
    for (let i = 1; i <= 3; i++)
      bed.az.activateGroupMembership({ groupId: group, principalId: alice, at: Date.now() - i * DAY });
    // The admin's adminAssign was an eligibility request: the three activations, one a page.
    pagesRead = 0;
    expect((await listed()).map((r) => r.action)).toEqual(['selfActivate', 'selfActivate', 'selfActivate']);
    expect(pagesRead).toBe(3);
    const other = bed.az.addGroup({ displayName: 'other' }).id;
    expect(await listed(other)).toEqual([]);
  });

  it('is refused for a person not eligible for the membership', async () => {
    await eligible(alice);
    const bob = bed.az.addUser({ userPrincipalName: 'bob@octoorg.onmicrosoft.com' }).id;
    expect(() => bed.az.activateGroupMembership({ groupId: group, principalId: bob })).toThrow(
      /holds no eligible member membership/,
    );
    expect(() =>
      bed.az.activateGroupMembership({ groupId: group, principalId: alice, accessId: 'owner' }),
    ).toThrow(/holds no eligible owner membership/);
  });

  it('is read only with an assignment schedule read permission', async () => {
    await eligible(alice);
    bed.az.activateGroupMembership({ groupId: group, principalId: alice });
    await pim.signIn(['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup']);
    const res = await pim.graph(
      'GET',
      `${BASE}/assignmentScheduleRequests?$filter=${encodeURIComponent(`groupId eq '${group}'`)}`,
    );
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.json)).toContain('PrivilegedAssignmentSchedule.Read.AzureADGroup');
  });
});

describe('POST /_emulator/azure/group-pim/activation', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.close());
  const control = async (body: unknown) => {
    const res = await fetch(`${emulator.endpoints.github}/_emulator/azure/group-pim/activation`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('stages the request for an eligible person, refuses anyone else, and names a field of the wrong shape', async () => {
    const az = emulator.azure!;
    const ops = az.addGroup({ displayName: 'ops' }).id;
    const dana = az.addUser({ userPrincipalName: 'dana@contoso.com' }).id;
    const now = Date.now();
    // Dana's eligibility, as an admin's adminAssign leaves it.
    az.state.groupPim.schedules.push({
      id: `${ops}_member_00000000-0000-4000-8000-000000000001`,
      instanceId: `${ops}_member_00000000-0000-4000-8000-000000000002`,
      instanceAt: now,
      kind: 'eligibility',
      accessId: 'member',
      principalId: dana,
      groupId: ops,
      start: now - DAY,
      end: now + 30 * DAY,
      expiration: { type: 'afterDuration', endDateTime: null, duration: 'P31D' },
      createdUsing: '00000000-0000-4000-8000-000000000003',
      createdAt: now - DAY,
      modifiedAt: now - DAY,
    });
    const at = '2026-11-20T10:00:00Z';
    const made = await control({ groupId: ops, principalId: dana, at });
    expect(made.status).toBe(200);
    expect(made.json).toMatchObject({
      action: 'selfActivate',
      status: 'Provisioned',
      principalId: dana,
      groupId: ops,
      createdDateTime: new Date(at).toISOString(),
    });
    expect(az.groupPim().requests).toEqual([
      expect.objectContaining({ id: made.json.id, kind: 'assignment' }),
    ]);

    const other = az.addUser({ userPrincipalName: 'erin@contoso.com' }).id;
    const refused = await control({ groupId: ops, principalId: other });
    expect([refused.status, refused.json.message]).toEqual([
      400,
      expect.stringContaining('holds no eligible'),
    ]);
    const wrong = await control({ groupId: ops, principalId: dana, accessId: 'admin' });
    expect([wrong.status, wrong.json.message]).toEqual([400, expect.stringContaining('"accessId"')]);
  });
});
