// What an adminAssign put in force (src/azure/graph/group-pim-instance.ts, through the membership
// driver): the step's `assignment-id` and `expires-at` are the schedule instance's `id` and
// `endDateTime`, read once the request ends in success, however late PIM lists the instance; an
// instance not listed by the deadline is said, not made up from the request; and where Graph gives
// the schedule an ID other than the request's `targetScheduleId`, the schedule the request made
// (`createdUsing`) tells which instance is its.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { createDirectory } from '../../../src/azure/graph/directory.js';
import { GroupMembershipDriver } from '../../../src/azure/group/driver.js';
import { followToInstance } from '../../../src/azure/graph/group-pim-instance.js';
import { GroupPim, type GroupScheduleRequest } from '../../../src/azure/graph/group-pim.js';
import type { JsonClient } from '../../../src/azure/graph/client.js';
import { managedIdentityReader } from '../../../src/azure/arm/managed-identity.js';
import type { AzureSettings } from '../../../src/core/inputs/index.js';
import type { AzureGroupGrant } from '../../../src/core/types.js';
import { emptyStats, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { StatusSnapshot } from '../../../src/engine/calls/status.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emulatedArm, GROUP_PIM_GRAPH_ROLES } from '../../harness/emulated-arm.js';

const arm = emulatedArm();
const RUN = 'https://github.com/octo-org/octo-repo/actions/runs/42';

let group: string;
let alice: string;
beforeEach(() => {
  arm.az.config.graphRoles = [...GROUP_PIM_GRAPH_ROLES];
  group = arm.az.addGroup({ displayName: 'platform-admins' }).id;
  arm.az.onboardGroupToPim(group);
  alice = arm.az.addUser({ userPrincipalName: 'alice@octoorg.onmicrosoft.com' }).id;
});

/** The driver of alice's membership of the group as an assign's step makes it, within `seconds`. */
async function assigning(kind: 'active' | 'eligible' = 'active', seconds = 30) {
  const plan = arm.groupPlan({
    principal: alice,
    target: 'group:platform-admins',
    role: 'member',
    duration: 'PT8H',
  });
  const settings: AzureSettings = {
    ...plan,
    groups: {
      pimOnboard: false,
      mark: { repository: 'octo-org/octo-repo', runId: '42', attempt: '1', ephemeral: false },
      runUrl: RUN,
    },
  };
  const directory = createDirectory(
    plan,
    arm.credential(),
    { deadline: new Deadline(seconds) },
    emptyStats(),
    arm.httpClient,
    managedIdentityReader(plan, arm.credential(), arm.httpClient),
  );
  const driver = new GroupMembershipDriver(kind, settings, directory, {}, emptyStats());
  const grant = plan.grants[0] as AzureGroupGrant;
  await driver.prepare({ operation: 'assign', grants: [grant], proveOwnership: false });
  const ids = await driver.resolve(grant);
  expect(await driver.findExisting(ids)).toBeUndefined();
  return { driver, ids };
}

/** The outcome's poll, read until the request ends. */
async function followed(outcome: WriteOutcome): Promise<StatusSnapshot> {
  if (outcome.kind !== 'pending') throw new Error(`not pending: ${outcome.kind}`);
  for (let reads = 0; reads < 200; reads++) {
    const snapshot = await outcome.request.poll();
    if (snapshot.status !== 'IN_PROGRESS') return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the request never ended');
}

const instanceOf = (principalId: string) =>
  arm.az.groupPim().instances.filter((i) => i.principalId === principalId);

describe('an adminAssign that provisions at once', () => {
  it('gives the instance’s id and endDateTime, read once PIM lists it (here 700 ms after the request)', async () => {
    arm.az.config.groupPimInstanceDelayMs = 700;
    const { driver, ids } = await assigning();
    const started = Date.now();
    const outcome = await driver.create(ids);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    const [instance] = instanceOf(alice);
    const [request] = arm.az.groupPim().requests;
    expect(outcome).toEqual({
      kind: 'done',
      changed: true,
      requestId: request!.id,
      assignmentId: instance!.id,
      expiresAt: instance!.endDateTime,
    });
    // The instance's own ID, not the schedule's the request names.
    expect(instance!.id).not.toBe(request!.targetScheduleId);
  });

  it('an eligible one gives its eligibility instance', async () => {
    arm.az.config.groupPimInstanceDelayMs = 300;
    const { driver, ids } = await assigning('eligible');
    const outcome = await driver.create(ids);
    const [instance] = instanceOf(alice);
    expect(instance).toMatchObject({ kind: 'eligibility' });
    expect(outcome).toMatchObject({
      kind: 'done',
      assignmentId: instance!.id,
      expiresAt: instance!.endDateTime,
    });
  });

  it('whose instance is not listed by the deadline says what is missing and gives no ID or end', async () => {
    arm.az.config.groupPimInstanceDelayMs = 600_000;
    const { driver, ids } = await assigning('active', 3);
    const outcome = await driver.create(ids);
    const [request] = arm.az.groupPim().requests;
    expect(outcome).toEqual({
      kind: 'done',
      changed: true,
      requestId: request!.id,
      warning: expect.stringContaining(
        `PIM for groups request ${request!.id} ended Provisioned, but the schedule instance it put in force was not found in assignmentScheduleInstances (Graph listed none within the wait for it`,
      ),
    });
    expect(outcome.warning).toContain('`assignment-id` and `expires-at` are left empty');
  });
});

describe('an instance read Graph refuses', () => {
  it('ends the wait at once, saying the read failed, without waiting for the deadline', async () => {
    arm.az.config.groupPimInstanceDelayMs = 600_000;
    const { driver, ids } = await assigning('active', 30);
    // The instances' list is answered with a proxy's page: not Graph's, failed at once.
    arm.az.faults.htmlPages.push({ service: 'graph', status: 404, pathIncludes: 'ScheduleInstances' });
    const started = Date.now();
    const outcome = await driver.create(ids);
    expect(outcome).toMatchObject({
      kind: 'done',
      changed: true,
      warning: expect.stringContaining('its read failed'),
    });
    // Not the 30 s deadline, nor the 60 s wait: the first refused read ended it.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('an adminAssign followed from PendingProvisioning', () => {
  it('its poll gives SUCCEEDED with the instance’s id and end once both the request and the instance are there', async () => {
    arm.az.config.groupPimProvisioningDelayMs = 300;
    arm.az.config.groupPimInstanceDelayMs = 500;
    const { driver, ids } = await assigning();
    const outcome = await driver.create(ids);
    expect(outcome).toMatchObject({ kind: 'pending' });
    // Nothing is in force yet: no ID to give.
    expect(outcome.kind === 'pending' && outcome.request.assignmentId).toBe(undefined);
    const snapshot = await followed(outcome);
    const [instance] = instanceOf(alice);
    expect(snapshot).toEqual({
      status: 'SUCCEEDED',
      assignmentId: instance!.id,
      expiresAt: instance!.endDateTime,
    });
  });
});

describe('a schedule whose ID is not the request’s targetScheduleId', () => {
  /** A Graph that answers as the docs' list example shows: the schedule's last GUID is not the request's. */
  function graphWithOwnScheduleIds(seen: string[]): JsonClient {
    const requestId = '77f71919-62f3-4d0c-9f88-0a0391b665cd';
    const scheduleId = `${group}_member_4cc1a00f-0000-4000-8000-000000000001`;
    return {
      endpoint: 'https://graph.example',
      post: () => Promise.reject(new Error('no write here')),
      get: (path: string) => {
        const url = decodeURIComponent(path);
        seen.push(url);
        if (url.includes('assignmentScheduleInstances'))
          return Promise.resolve({
            value: [
              {
                id: `${group}_member_aaaaaaaa-0000-4000-8000-000000000002`,
                groupId: group,
                principalId: alice,
                accessId: 'member',
                memberType: 'direct',
                assignmentScheduleId: scheduleId,
                endDateTime: '2026-12-01T08:00:00Z',
              },
            ],
          });
        if (url.includes('assignmentSchedules'))
          return Promise.resolve({ value: [{ id: scheduleId, createdUsing: requestId }] });
        return Promise.reject(new Error(`unexpected ${url}`));
      },
    };
  }

  it('finds the instance by the schedule the request made (createdUsing)', async () => {
    const seen: string[] = [];
    const pim = new GroupPim(
      () => graphWithOwnScheduleIds(seen),
      (_operation, call) => call(new AbortController().signal),
      new Deadline(5),
    );
    const request = {
      id: '77f71919-62f3-4d0c-9f88-0a0391b665cd',
      status: 'Provisioned',
      kind: 'active',
      targetScheduleId: `${group}_member_77f71919-62f3-4d0c-9f88-0a0391b665cd`,
    } as GroupScheduleRequest;
    const found = await followToInstance(pim, request, {
      kind: 'active',
      groupId: group,
      principalId: alice,
      access: 'member',
    });
    expect(found).toEqual({
      found: true,
      id: `${group}_member_aaaaaaaa-0000-4000-8000-000000000002`,
      end: '2026-12-01T08:00:00Z',
    });
    expect(seen).toEqual([
      `/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleInstances?$filter=groupId eq '${group}' and principalId eq '${alice}' and accessId eq 'member'`,
      `/v1.0/identityGovernance/privilegedAccess/group/assignmentSchedules?$filter=groupId eq '${group}' and createdUsing eq '77f71919-62f3-4d0c-9f88-0a0391b665cd'`,
    ]);
  });
});
