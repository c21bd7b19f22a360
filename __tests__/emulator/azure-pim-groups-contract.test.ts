// The emulated Graph's PIM for groups against Graph's documented examples
// (__tests__/fixtures/contracts/azure/graph-v1.0/pim-groups/): each example's request, sent with
// the emulator's IDs in place of the example's, is answered with the example's status and every
// key of the example's answer, of the same JSON type (null standing for any), and no key the
// documented resource lacks; a throttled answer has the documented 429's shape.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AzureTestBed, HttpResult } from './azure-helpers.js';
import { usePimGroupsBed } from './pim-groups-bed.js';

const DIR = join(process.cwd(), '__tests__', 'fixtures', 'contracts', 'azure', 'graph-v1.0', 'pim-groups');
interface Example {
  source: { url: string };
  request?: { method: string; url: string; body?: Record<string, unknown> };
  response: { status: number; headers?: Record<string, string>; body: unknown };
}
const example = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Example;

/** The properties each documented resource has (Graph's resource pages), beyond those of the examples. */
const DOCUMENTED = new Set([
  ...['id', 'status', 'completedDateTime', 'createdDateTime', 'approvalId', 'customData', 'createdBy'],
  ...['action', 'isValidationOnly', 'justification', 'scheduleInfo', 'ticketInfo', 'principalId'],
  ...['accessId', 'groupId', 'targetScheduleId', 'recurrence', 'expiration', 'type', 'endDateTime'],
  ...['duration', 'startDateTime', 'memberType', 'assignmentType', 'assignmentScheduleId'],
  ...['eligibilityScheduleId', 'application', 'user', 'displayName', 'createdUsing', 'modifiedDateTime'],
  // Graph's error resource: innerError carries `client-request-id` beside `request-id` and `date`.
  'client-request-id',
]);

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function differences(expected: unknown, actual: unknown, path = '$'): string[] {
  if (expected === null || actual === null) return [];
  if (jsonType(expected) !== jsonType(actual))
    return [`${path}: expected ${jsonType(expected)}, got ${jsonType(actual)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0) return actual.length === 0 ? [] : [`${path}: expected no items`];
    if (actual.length === 0) return [`${path}: no items to compare`];
    return actual.flatMap((item, i) => {
      const id = (item as { id?: unknown } | null)?.id;
      const like = expected.find((e) => id !== undefined && (e as { id?: unknown } | null)?.id === id);
      return differences(like ?? expected[0], item, `${path}[${i}]`);
    });
  }
  if (typeof expected !== 'object' || typeof actual !== 'object') return [];
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const problems = Object.keys(e)
    .filter((k) => !k.startsWith('@odata.'))
    .flatMap((k) => (k in a ? differences(e[k], a[k], `${path}.${k}`) : [`${path}.${k}: missing`]));
  for (const k of Object.keys(a))
    if (!(k in e) && !k.startsWith('@odata.') && !DOCUMENTED.has(k))
      problems.push(`${path}.${k}: not documented`);
  return problems;
}

const PERMISSIONS = [
  'User.Read.All',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'RoleManagementPolicy.Read.AzureADGroup',
];

const pim = usePimGroupsBed(PERMISSIONS, { beforeAll, afterAll, beforeEach });
let bed: AzureTestBed;
let group: string;
let alice: string;
beforeEach(() => {
  ({ bed, group, alice } = pim);
});

/** The example's request with the emulator's group and principal, and its time now. */
function send(ex: Example, ids: Record<string, string> = {}): Promise<HttpResult> {
  let url = ex.request!.url.replace('https://graph.microsoft.com', bed.az.graphEndpoint).trim();
  let body = ex.request!.body === undefined ? undefined : JSON.stringify(ex.request!.body);
  for (const [from, to] of Object.entries(ids)) {
    url = url.split(from).join(to);
    body = body?.split(from).join(to);
  }
  return pim.graph(ex.request!.method, new URL(url).toString(), body);
}

const now = () => new Date().toISOString();

describe("Graph's PIM-for-groups examples", () => {
  it('assignmentScheduleRequests: POST adminAssign answers 201 with the documented request', async () => {
    const ex = example('assignmentScheduleRequests-post');
    const res = await send(ex, {
      '68e55cce-cf7e-4a2d-9046-3e4e75c4bfa7': group,
      '3cce9d87-3986-4f19-8335-7ed075408ca2': alice,
      '2022-12-08T07:43:00.000Z': now(),
    });
    expect(res.status).toBe(ex.response.status);
    expect(differences(ex.response.body, res.json)).toEqual([]);
    expect(res.json).toMatchObject({ status: 'Provisioned', action: 'adminAssign', accessId: 'member' });
  });

  it('eligibilityScheduleRequests: POST AdminAssign / AfterDateTime (any case) answers 201, echoing camelCase', async () => {
    const ex = example('eligibilityScheduleRequests-post');
    const end = new Date(Date.now() + 86_400_000).toISOString();
    const res = await send(ex, {
      '2b5ed229-4072-478d-9504-a047ebd4b07d': group,
      '3cce9d87-3986-4f19-8335-7ed075408ca2': alice,
      '2023-02-06T19:25:00.000Z': now(),
      '2023-02-07T19:56:00.000Z': end,
    });
    expect(res.status).toBe(ex.response.status);
    expect(differences(ex.response.body, res.json)).toEqual([]);
    expect(res.json.action).toBe('adminAssign');
    expect(res.json.scheduleInfo.expiration.type).toBe('afterDateTime');
  });

  it('assignmentScheduleRequests/{id}: GET answers the documented request', async () => {
    const made = await send(example('assignmentScheduleRequests-post'), {
      '68e55cce-cf7e-4a2d-9046-3e4e75c4bfa7': group,
      '3cce9d87-3986-4f19-8335-7ed075408ca2': alice,
    });
    const ex = example('assignmentScheduleRequests-get');
    const res = await send(ex, { '34e963f6-150f-cf79-678c-6fcaf978bb49': made.json.id });
    expect(res.status).toBe(ex.response.status);
    expect(differences(ex.response.body, res.json)).toEqual([]);
  });

  it.each([
    ['assignmentScheduleInstances-list', 'assignmentScheduleRequests-post'],
    ['eligibilityScheduleInstances-list', 'eligibilityScheduleRequests-post'],
  ])("%s: a group's instances, filtered by groupId, in the documented shape", async (list, post) => {
    const end = new Date(Date.now() + 86_400_000).toISOString();
    const made = await send(example(post), {
      '68e55cce-cf7e-4a2d-9046-3e4e75c4bfa7': group,
      '2b5ed229-4072-478d-9504-a047ebd4b07d': group,
      '3cce9d87-3986-4f19-8335-7ed075408ca2': alice,
      '2023-02-07T19:56:00.000Z': end,
    });
    expect(made.status).toBe(201);
    const ex = example(list);
    const res = await send(ex, { '2b5ed229-4072-478d-9504-a047ebd4b07d': group });
    expect(res.status).toBe(ex.response.status);
    expect(res.json.value).toHaveLength(1);
    expect(differences(ex.response.body, res.json)).toEqual([]);
  });

  it("assignmentSchedules: a group's schedules, by groupId and principalId, with createdUsing", async () => {
    const made = await send(example('assignmentScheduleRequests-post'), {
      '68e55cce-cf7e-4a2d-9046-3e4e75c4bfa7': group,
      '3cce9d87-3986-4f19-8335-7ed075408ca2': alice,
    });
    const ex = example('assignmentSchedules-list');
    const res = await send(ex, {
      '2b5ed229-4072-478d-9504-a047ebd4b07d': group,
      '3cce9d87-3986-4f19-8335-7ed075408ca2': alice,
    });
    expect(res.status).toBe(ex.response.status);
    expect(differences(ex.response.body, res.json)).toEqual([]);
    expect(res.json.value[0].createdUsing).toBe(made.json.id);
  });

  it.each([
    'roleManagementPolicyAssignments-list-group',
    'roleManagementPolicyAssignments-list-group-expand',
  ])("%s: an onboarded group's policy assignments in the documented shape", async (name) => {
    bed.az.onboardGroupToPim(group);
    const ex = example(name);
    const res = await send(ex, { '60bba733-f09d-49b7-8445-32369aa066b3': group });
    expect(res.status).toBe(ex.response.status);
    expect(differences(ex.response.body, res.json)).toEqual([]);
    if (name.endsWith('expand')) {
      const rules = res.json.value[0].policy.rules as { id: string }[];
      const documented = (ex.response.body as { value: { policy: { rules: { id: string }[] } }[] }).value[0]!
        .policy.rules;
      expect(rules.map((r) => r.id)).toEqual(documented.map((r) => r.id));
    }
  });

  it("writes enum values as Graph's metadata names them: memberType `direct`, assignmentType `assigned`", async () => {
    // The documented examples write `Direct` and `Assigned` by hand; Graph serialises an enum by
    // its member's name (privilegedAccessGroupMemberType: direct, group, unknownFutureValue;
    // privilegedAccessGroupAssignmentType: assigned, activated, unknownFutureValue).
    await send(example('assignmentScheduleRequests-post'), {
      '68e55cce-cf7e-4a2d-9046-3e4e75c4bfa7': group,
      '3cce9d87-3986-4f19-8335-7ed075408ca2': alice,
    });
    for (const what of ['Schedules', 'ScheduleInstances']) {
      const res = await pim.graph(
        'GET',
        `/v1.0/identityGovernance/privilegedAccess/group/assignment${what}?$filter=groupId eq '${group}'`,
      );
      expect(res.json.value).toEqual([
        expect.objectContaining({ memberType: 'direct', assignmentType: 'assigned' }),
      ]);
    }
  });

  it('a throttled request answers the documented 429: Retry-After and TooManyRequests', async () => {
    const ex = example('throttling-429');
    bed.az.faults.graphThrottled = 1;
    const res = await pim.graph(
      'GET',
      `/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleInstances?$filter=groupId eq '${group}'`,
      undefined,
      {},
    );
    expect(res.status).toBe(ex.response.status);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(0);
    expect(differences(ex.response.body, res.json)).toEqual([]);
  });
});
