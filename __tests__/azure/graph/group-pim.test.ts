// PIM for groups through Graph (src/azure/graph/group-pim.ts, group-pim-reads.ts,
// group-pim-errors.ts), against the emulated Entra and Graph over TLS with the adapter's own
// credential: the request written as Graph documents it, followed to its end, a group's
// memberships read in $batch requests, its policy read and its maximum enforced, throttling with
// Retry-After honoured, and never more than 4 Graph requests in flight.
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelineRequest } from '@azure/core-rest-pipeline';
import { createAzureCredential } from '../../../src/azure/sdk/credentials.js';
import { createDirectory } from '../../../src/azure/graph/directory.js';
import { managedIdentityReader } from '../../../src/azure/arm/managed-identity.js';
import {
  runTicket,
  snapshotOf,
  type GroupMembershipWrite,
  groupPimOf,
} from '../../../src/azure/graph/group-pim.js';
import {
  policyRefusal,
  readGroupMemberships,
  readGroupPolicy,
} from '../../../src/azure/graph/group-pim-reads.js';
import {
  explainGroupPimError,
  membershipExists,
  membershipMissing,
} from '../../../src/azure/graph/group-pim-errors.js';
import { CloudAccessError } from '../../../src/core/errors.js';
import { parseDuration, type Duration } from '../../../src/core/duration.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { emulatedArm, PRINCIPAL, READER, SCOPE } from '../../harness/emulated-arm.js';

const arm = emulatedArm();
const PERMISSIONS = [
  'User.Read.All',
  'GroupMember.Read.All',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'RoleManagementPolicy.Read.AzureADGroup',
];
const MARKER = 'Granted by cloud-access [cloud-access:octo-org/octo-repo:run:42:1]';
const RUN = 'https://github.com/octo-org/octo-repo/actions/runs/42';

/** The Graph requests the adapter sent (method and decoded path), and the most in flight at once. */
let sent: { method: string; path: string; body: unknown }[];
let inFlight: number;
let peak: number;
function counting(inner: HttpClient): HttpClient {
  return {
    sendRequest: async (request: PipelineRequest) => {
      const url = new URL(request.url);
      if (url.origin !== new URL(arm.az.graphEndpoint).origin) return inner.sendRequest(request);
      sent.push({
        method: request.method,
        path: decodeURIComponent(url.pathname + url.search),
        body: typeof request.body === 'string' ? JSON.parse(request.body) : undefined,
      });
      peak = Math.max(peak, ++inFlight);
      try {
        return await inner.sendRequest(request);
      } finally {
        inFlight--;
      }
    },
  };
}

function pim(seconds = 30, credential: TokenCredential = arm.credential()) {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER });
  const http = counting(arm.httpClient);
  return groupPimOf(
    createDirectory(
      plan,
      credential,
      { deadline: new Deadline(seconds) },
      emptyStats(),
      http,
      managedIdentityReader(plan, arm.credential(), http),
    ),
  );
}

const duration = (text: string): Duration => parseDuration(text) as Duration;
let group: string;
let alice: string;
beforeEach(() => {
  arm.az.config.graphRoles = PERMISSIONS;
  sent = [];
  inFlight = 0;
  peak = 0;
  group = arm.az.addGroup({ displayName: 'platform-admins' }).id;
  alice = arm.az.addUser({ userPrincipalName: 'alice@octoorg.onmicrosoft.com' }).id;
});

const assign = (overrides: Partial<GroupMembershipWrite> = {}): GroupMembershipWrite => ({
  action: 'adminAssign',
  kind: 'active',
  groupId: group,
  principalId: alice,
  access: 'member',
  duration: duration('PT8H'),
  justification: MARKER,
  ticket: runTicket(RUN),
  ...overrides,
});

describe('a membership request', () => {
  it('is POSTed as Graph documents it: accessId, action, afterDuration, the marker in justification, the run in ticketInfo', async () => {
    const request = await pim().write(assign());
    expect(request).toMatchObject({ status: 'Provisioned', kind: 'active', accessId: 'member' });
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests',
        body: {
          accessId: 'member',
          principalId: alice,
          groupId: group,
          action: 'adminAssign',
          scheduleInfo: {
            startDateTime: expect.any(String),
            expiration: { type: 'afterDuration', duration: 'PT8H' },
          },
          justification: MARKER,
          ticketInfo: { ticketNumber: RUN, ticketSystem: 'GitHub Actions' },
        },
      },
    ]);
    expect(request.createdBy).toEqual({ applicationId: arm.az.objectId });
    expect(arm.az.groupPim().instances).toEqual([
      expect.objectContaining({ kind: 'assignment', principalId: alice }),
    ]);
  });

  it('an eligible owner goes to eligibilityScheduleRequests; no duration asks for noExpiration', async () => {
    arm.az.setGroupPimPolicy({ eligibilityExpirationRequired: false }, { groupId: group });
    const p = pim();
    const request = await p.write(assign({ kind: 'eligible', access: 'owner', duration: undefined }));
    expect(sent[0]!.path).toBe('/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests');
    expect((sent[0]!.body as { scheduleInfo: unknown }).scheduleInfo).toMatchObject({
      expiration: { type: 'noExpiration' },
    });
    expect((await p.follow(request, 'adminAssign')).verdict).toBe('succeeded');
  });

  it('is followed from PendingProvisioning to Provisioned by reading it', async () => {
    arm.az.config.groupPimProvisioningDelayMs = 300;
    const p = pim();
    const request = await p.write(assign());
    expect(request.status).toBe('PendingProvisioning');
    const end = await p.follow(request, 'adminAssign');
    expect([end.verdict, end.request.status]).toEqual(['succeeded', 'Provisioned']);
    // With the membership's end, from the request's scheduleInfo (PT8H after its start).
    expect(snapshotOf(end)).toEqual({ status: 'SUCCEEDED', expiresAt: expect.any(String) });
    expect(sent.filter((s) => s.method === 'GET').map((s) => s.path)).toContain(
      `/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/${request.id}`,
    );
  });

  it('that ends Denied fails naming its status and ID', async () => {
    arm.az.faults.groupPimRequestOutcome = 'Denied';
    const p = pim();
    const end = await p.follow(await p.write(assign()), 'adminAssign');
    expect(end.verdict).toBe('failed');
    expect(end.reason).toBe(`PIM for groups request ${end.request.id} ended Denied: an approver denied it`);
    expect(snapshotOf(end)).toEqual({ status: 'FAILED', failureReason: end.reason });
  });

  it('that awaits an approver stops being followed, saying the action cannot approve', async () => {
    arm.az.faults.groupPimRequestOutcome = 'PendingApproval';
    const p = pim();
    const end = await p.follow(await p.write(assign()), 'adminAssign');
    expect(end.verdict).toBe('awaiting-approval');
    expect(end.reason).toContain('which this action cannot give');
    expect(snapshotOf(end)).toEqual({ status: 'IN_PROGRESS', awaiting: end.reason });
  });

  it('adminRemove ends the membership (Revoked); again, it is already gone', async () => {
    const p = pim();
    await p.write(assign());
    const removed = await p.write(assign({ action: 'adminRemove', duration: undefined }));
    expect((await p.follow(removed, 'adminRemove')).verdict).toBe('succeeded');
    expect(arm.az.groupPim().instances).toEqual([]);
    const again = await p.write(assign({ action: 'adminRemove' })).catch((e: unknown) => e);
    expect(membershipMissing(again)).toBe(true);
  });

  it('for a membership held already is told apart (RoleAssignmentExists), not a failure of its own', async () => {
    const p = pim();
    await p.write(assign());
    expect(membershipExists(await p.write(assign()).catch((e: unknown) => e))).toBe(true);
  });

  it('with a group that is no object ID is refused before any request', async () => {
    await expect(pim().write(assign({ groupId: "x' or groupId ne '" }))).rejects.toThrow(
      'is not an object ID',
    );
    expect(sent).toEqual([]);
  });
});

describe("a group's memberships and policy", () => {
  it("25 groups' instances are read in 2 $batch requests, each group's on its own", async () => {
    const groups = Array.from({ length: 25 }, (_, i) => arm.az.addGroup({ displayName: `team-${i}` }).id);
    const p = pim();
    await p.write(assign({ groupId: groups[7]! }));
    sent = [];
    const read = await readGroupMemberships(p, groups, 'active');
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /v1.0/$batch', 'POST /v1.0/$batch']);
    expect(read.get(groups[7]!)).toEqual({
      ok: true,
      memberships: [
        expect.objectContaining({
          principalId: alice,
          access: 'member',
          kind: 'active',
          memberType: 'direct',
        }),
      ],
    });
    expect(read.get(groups[8]!)).toEqual({ ok: true, memberships: [] });
  });

  it('schedules name the request that made each (createdUsing)', async () => {
    const p = pim();
    const request = await p.write(assign());
    const read = await readGroupMemberships(p, [group], 'active', 'schedules');
    expect(read.get(group)).toEqual({
      ok: true,
      memberships: [
        expect.objectContaining({ createdUsing: request.id, scheduleId: request.targetScheduleId }),
      ],
    });
  });

  it('a group PIM does not manage yet reads as not onboarded', async () => {
    expect(await readGroupPolicy(pim(), group)).toEqual({ groupId: group, onboarded: false, rules: {} });
  });

  it("the policy's maximum bounds `duration`, named in the refusal, as Graph refuses it", async () => {
    arm.az.setGroupPimPolicy({ assignmentMaximumDuration: 'P30D' }, { groupId: group, accessId: 'member' });
    const p = pim();
    const policy = await readGroupPolicy(p, group);
    expect(policy.onboarded).toBe(true);
    expect(policy.rules.member?.active).toEqual({
      required: true,
      maximum: 'P30D',
      maximumMs: 30 * 86_400_000,
    });
    expect(policyRefusal(policy, 'member', 'active', duration('P30D'))).toBeUndefined();
    expect(policyRefusal(policy, 'member', 'active', duration('P60D'))).toBe(
      `\`duration\` P60D is longer than the group's PIM policy allows for active member memberships of group ${group} of at most P30D (30 days)`,
    );
    expect(policyRefusal(policy, 'member', 'active', undefined)).toContain('requires an end');
    const refused = await p.write(assign({ duration: duration('P60D') })).catch((e: unknown) => e);
    const explained = explainGroupPimError(refused, { part: 'active', groupId: group });
    expect(explained).toBeInstanceOf(CloudAccessError);
    expect((explained as CloudAccessError).input).toBe('duration');
    expect(String(explained)).toContain('["ExpirationRule"]');
  });

  it('a missing permission is named with how to grant it', async () => {
    arm.az.config.graphRoles = ['User.Read.All'];
    // A credential of its own: the file's keeps the Graph token it got with every permission.
    const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER });
    const p = pim(
      30,
      createAzureCredential(plan, arm.requestToken, () => undefined, arm.httpClient),
    );
    const failure = await readGroupPolicy(p, group).catch((e: unknown) => e);
    const explained = explainGroupPimError(failure, { part: 'policy', groupId: group });
    expect(explained).toBeInstanceOf(CloudAccessError);
    expect((explained as CloudAccessError).describe()).toContain('RoleManagementPolicy.Read.AzureADGroup');
  });
});

describe('throttling', () => {
  it('a 429 is retried after its Retry-After, and the request then made', async () => {
    arm.az.config.graphRetryAfterSeconds = 1;
    arm.az.faults.graphThrottled = 1;
    const started = Date.now();
    const request = await pim().write(assign());
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(request.status).toBe('Provisioned');
    expect(sent.map((s) => s.method)).toEqual(['POST', 'POST']);
  });

  it('a Retry-After past the deadline fails within the deadline, saying Graph throttled', async () => {
    arm.az.config.graphRetryAfterSeconds = 60;
    arm.az.faults.graphThrottled = 1000;
    const started = Date.now();
    const failure = await pim(3)
      .write(assign())
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(String(failure)).toContain('429 TooManyRequests');
  });

  it('never more than 4 Graph requests are in flight, however many are asked at once', async () => {
    const users = Array.from(
      { length: 12 },
      (_, i) => arm.az.addUser({ userPrincipalName: `u${i}@octoorg.onmicrosoft.com` }).id,
    );
    const p = pim();
    arm.az.faults.graphThrottled = 3;
    const requests = await Promise.all(users.map((principalId) => p.write(assign({ principalId }))));
    expect(requests.map((r) => r.status)).toEqual(users.map(() => 'Provisioned'));
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });
});
