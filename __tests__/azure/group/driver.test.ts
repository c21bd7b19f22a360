// The membership driver (src/azure/group/driver.ts) behind the engine's GrantDriver
// interface, against the emulated Entra and Graph through the adapter's own credential: what its
// adminAssign and adminRemove carry (accessId, principalId, groupId, the marker in justification,
// the run in ticketInfo, the expiration its duration gives), a request followed by its poll to a
// terminal status, and a 429 whose Retry-After is honoured before the request is sent again.
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { HttpClient, PipelineRequest } from '@azure/core-rest-pipeline';
import { createDirectory } from '../../../src/azure/graph/directory.js';
import { GroupMembershipDriver } from '../../../src/azure/group/driver.js';
import { managedIdentityReader } from '../../../src/azure/arm/managed-identity.js';
import type { AzureSettings } from '../../../src/core/inputs/index.js';
import type { AzureGroupGrant } from '../../../src/core/types.js';
import { emptyStats, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { StatusSnapshot } from '../../../src/engine/calls/status.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emulatedArm, GROUP_PIM_GRAPH_ROLES } from '../../harness/emulated-arm.js';

const arm = emulatedArm();
const RUN = 'https://github.com/octo-org/octo-repo/actions/runs/42';
const COLLECTION = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';

/** The Graph writes the driver sent: their path and body. */
let writes: { path: string; body: Record<string, unknown> }[];
function recording(inner: HttpClient): HttpClient {
  return {
    sendRequest: async (request: PipelineRequest) => {
      const url = new URL(request.url);
      if (request.method === 'POST' && url.pathname.endsWith('ScheduleRequests'))
        writes.push({
          path: url.pathname,
          body: JSON.parse(String(request.body)) as Record<string, unknown>,
        });
      return inner.sendRequest(request);
    },
  };
}

let group: string;
let alice: string;
beforeEach(() => {
  arm.az.config.graphRoles = [...GROUP_PIM_GRAPH_ROLES];
  writes = [];
  group = arm.az.addGroup({ displayName: 'platform-admins' }).id;
  arm.az.onboardGroupToPim(group);
  alice = arm.az.addUser({ userPrincipalName: 'alice@octoorg.onmicrosoft.com' }).id;
});

/** The driver of an active membership of alice in the group, as an assign's step makes it in run 42. */
function setUp(inputs: Record<string, string> = {}) {
  const plan = arm.groupPlan({
    principal: alice,
    target: 'group:platform-admins',
    role: 'member',
    duration: 'PT8H',
    ...inputs,
  });
  const settings: AzureSettings = {
    ...plan,
    groups: {
      pimOnboard: false,
      mark: { repository: 'octo-org/octo-repo', runId: '42', attempt: '1', ephemeral: false },
      runUrl: RUN,
    },
  };
  const http = recording(arm.httpClient);
  const directory = createDirectory(
    plan,
    arm.credential(),
    { deadline: new Deadline(30) },
    emptyStats(),
    http,
    managedIdentityReader(plan, arm.credential(), http),
  );
  const driver = new GroupMembershipDriver('active', settings, directory, {}, emptyStats());
  return { driver, grant: plan.grants[0] as AzureGroupGrant };
}

/** Prepared, resolved and looked up as the engine does before it creates (the group's read awaited). */
async function ready(driver: GroupMembershipDriver, grant: AzureGroupGrant, operation: 'assign' | 'revoke') {
  await driver.prepare({ operation, grants: [grant], proveOwnership: false });
  const ids = await driver.resolve(grant);
  const existing = await driver.findExisting(ids);
  return { ids, existing };
}

/** The outcome's poll, read until the request ends (each read the emulator answers as Graph does). */
async function followed(outcome: WriteOutcome): Promise<StatusSnapshot | WriteOutcome> {
  if (outcome.kind !== 'pending') return outcome;
  for (let reads = 0; reads < 200; reads++) {
    const snapshot = await outcome.request.poll();
    if (snapshot.status !== 'IN_PROGRESS') return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the request never ended');
}

describe('an adminAssign', () => {
  it('carries accessId, principalId, groupId, the marker in justification, the run in ticketInfo and the expiration', async () => {
    const { driver, grant } = setUp();
    const { ids, existing } = await ready(driver, grant, 'assign');
    expect(existing).toBeUndefined();
    const outcome = await driver.create(ids);
    expect(writes).toEqual([
      {
        path: COLLECTION,
        body: {
          accessId: 'member',
          principalId: alice,
          groupId: group,
          action: 'adminAssign',
          justification: expect.stringMatching(/ \[cloud-access:octo-org\/octo-repo:run:42:1\]$/),
          ticketInfo: { ticketNumber: RUN, ticketSystem: 'GitHub Actions' },
          scheduleInfo: {
            startDateTime: expect.any(String),
            expiration: { type: 'afterDuration', duration: 'PT8H' },
          },
        },
      },
    ]);
    const [request] = arm.az.groupPim().requests;
    expect(outcome).toMatchObject({ kind: 'done', changed: true, requestId: request!.id });
    expect(ids.name).toBe(request!.id);
  });

  it('says when the membership it made ends: 8 hours after its start', async () => {
    const { driver, grant } = setUp();
    const before = Date.now();
    const outcome = await driver.create((await ready(driver, grant, 'assign')).ids);
    const expiresAt = outcome.kind === 'done' ? outcome.expiresAt : undefined;
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Date.parse(expiresAt!)).toBeGreaterThanOrEqual(before - 1_000 + 8 * 3_600_000);
    expect(Date.parse(expiresAt!)).toBeLessThanOrEqual(Date.now() + 1_000 + 8 * 3_600_000);
  });

  it('is followed by its poll from PendingProvisioning to its end', async () => {
    arm.az.config.groupPimProvisioningDelayMs = 300;
    const { driver, grant } = setUp();
    const outcome = await driver.create((await ready(driver, grant, 'assign')).ids);
    expect(outcome.kind).toBe('pending');
    const snapshot = await followed(outcome);
    const instances = arm.az.groupPim().instances;
    expect(instances).toEqual([
      expect.objectContaining({ principalId: alice, groupId: group, accessId: 'member' }),
    ]);
    expect(snapshot).toEqual({
      status: 'SUCCEEDED',
      assignmentId: instances[0]!.id,
      expiresAt: instances[0]!.endDateTime,
    });
  });

  it('that ends Denied fails, naming its status and its request', async () => {
    arm.az.faults.groupPimRequestOutcome = 'Denied';
    const { driver, grant } = setUp();
    const end = await followed(await driver.create((await ready(driver, grant, 'assign')).ids));
    const [request] = arm.az.groupPim().requests;
    expect('kind' in end ? end.kind : end.status).toMatch(/^(failed|FAILED)$/);
    expect('failureReason' in end ? end.failureReason : undefined).toBe(
      `PIM for groups request ${request!.id} ended Denied: an approver denied it`,
    );
  });

  it('answered 429 is sent again once its Retry-After has passed', async () => {
    arm.az.config.graphRetryAfterSeconds = 1;
    const { driver, grant } = setUp();
    const { ids } = await ready(driver, grant, 'assign');
    arm.az.faults.graphThrottled = 1;
    const started = Date.now();
    const outcome = await driver.create(ids);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(outcome).toMatchObject({ kind: 'done', changed: true });
    expect(writes.map((w) => w.body.action)).toEqual(['adminAssign', 'adminAssign']);
    expect(arm.az.groupPim().requests).toHaveLength(1);
  });
});

describe('an adminRemove', () => {
  it('carries the membership’s accessId, principalId and groupId, and is followed to its end', async () => {
    const { driver, grant } = setUp();
    await driver.create((await ready(driver, grant, 'assign')).ids);
    const { driver: revoker } = setUp({ operation: 'revoke', duration: '' });
    const { ids, existing } = await ready(revoker, grant, 'revoke');
    expect(existing).toMatchObject({ assignmentId: expect.any(String) });
    const end = await followed(await revoker.remove(ids));
    expect('kind' in end ? end.kind : end.status).toMatch(/^(done|SUCCEEDED)$/);
    expect(writes[1]).toEqual({
      path: COLLECTION,
      body: expect.objectContaining({
        accessId: 'member',
        principalId: alice,
        groupId: group,
        action: 'adminRemove',
        justification: expect.stringMatching(/\[cloud-access:octo-org\/octo-repo:run:42:1\]$/),
      }),
    });
    expect(arm.az.groupPim().instances).toEqual([]);
  });
});

describe('a membership whose accessId Graph names neither member nor owner', () => {
  it('is not the member the step names: a revoke finds none there, so sends no adminRemove', async () => {
    const first = setUp();
    const made = await ready(first.driver, first.grant, 'assign');
    await followed(await first.driver.create(made.ids));
    for (const s of arm.az.state.groupPim.schedules)
      if (s.principalId === alice) (s as { accessId: string }).accessId = 'superOwner';
    const { driver, grant } = setUp();
    const { existing } = await ready(driver, grant, 'revoke');
    expect(existing).toBeUndefined();
  });
});

describe('a revoke on a group PIM does not manage', () => {
  it('finds nothing to end, and a refused read of the group’s policy (read only to say so) fails nothing', async () => {
    arm.az.addGroup({ displayName: 'legacy-admins' });
    // The group's policy is answered with a proxy's page, which fails its read at once.
    arm.az.faults.htmlPages.push({
      service: 'graph',
      status: 502,
      pathIncludes: 'roleManagementPolicyAssignments',
    });
    const { driver, grant } = setUp({ operation: 'revoke', target: 'group:legacy-admins', duration: '' });
    const { existing } = await ready(driver, grant, 'revoke');
    expect(existing).toBeUndefined();
  });
});
