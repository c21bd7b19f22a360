// A run's time-bound membership of a group (PIM for groups) whose schedule someone else changed
// since: an administrator's adminExtend or adminUpdate keeps the schedule, and its `createdUsing`
// still names the run's request, which `created-by` sent with the run's marker. The end Graph shows
// now is not the one that request asked for: the request no longer proves whose the membership is,
// so a sweep leaves it (said), rather than ending what an administrator kept on purpose.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runTicket, groupPimOf } from '../../../src/azure/graph/group-pim.js';
import { sweepGroups } from '../../../src/azure/group/sweep.js';
import { runKeyOf, type RunState } from '../../../src/core/claims/claims.js';
import { parseDuration, type Duration } from '../../../src/core/duration.js';
import {
  emulatedArm,
  OBJECT_ID,
  PRINCIPAL,
  SCOPE,
  GROUP_PIM_GRAPH_ROLES,
} from '../../harness/emulated-arm.js';
import { signedInSession } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const REPOSITORY = 'octo-org/octo-repo';
const HOUR = parseDuration('PT1H') as Duration;

let group: string;
let user: string;
beforeEach(() => {
  arm.az.config.graphRoles = [...GROUP_PIM_GRAPH_ROLES];
  group = arm.az.addGroup({ displayName: `extended-${Math.random()}` }).id;
  arm.az.setGroupPimPolicy({ assignmentExpirationRequired: false }, { groupId: group });
  user = arm.az.addUser({ userPrincipalName: `u-${Math.random()}@contoso.com` }).id;
});

const directory = () =>
  signedInSession(arm, arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' })).session.directory;

/** A run's (ended) membership for an hour, as a step makes it. */
async function runsMembership() {
  const pim = groupPimOf(directory());
  await pim.follow(
    await pim.write({
      action: 'adminAssign',
      kind: 'active',
      groupId: group,
      principalId: user,
      access: 'member',
      duration: HOUR,
      justification: `Granted [cloud-access:${REPOSITORY}:run:43:1:e]`,
      ticket: runTicket('https://github.com/octo-org/octo-repo/actions/runs/43'),
    }),
    'adminAssign',
  );
}

/** What an administrator's adminExtend leaves: the same schedule (and `createdUsing`), a later end. */
function extendedTo(end: number | null) {
  for (const s of arm.az.state.groupPim.schedules) {
    if (s.groupId !== group) continue;
    s.end = end;
    s.expiration =
      end === null
        ? { type: 'noExpiration', endDateTime: null, duration: null }
        : { type: 'afterDateTime', endDateTime: new Date(end).toISOString(), duration: null };
    s.modifiedAt = Date.now();
  }
}

const membersNow = () =>
  arm.az
    .groupPim()
    .instances.filter((i) => i.groupId === group)
    .map((i) => i.principalId as string);
const runs = new Map<string, RunState>([
  [
    runKeyOf({ repository: REPOSITORY, runId: '43', attempt: '1' }),
    { state: 'completed', conclusion: 'success' },
  ],
]);
const sweep = () =>
  sweepGroups(directory(), [{ kind: 'object', id: group, bare: true }], {
    judge: { createdBy: new Set([OBJECT_ID]), shown: OBJECT_ID, repository: REPOSITORY },
    readRuns: async () => runs,
    now: Date.now(),
    dryRun: false,
  });

describe("a run's membership another administrator extended", () => {
  it('is ended as it was made (the control: not extended)', async () => {
    await runsMembership();
    const swept = await sweep();
    expect(swept.failed).toBeUndefined();
    expect(membersNow()).toEqual([]);
  });

  it.each([
    ['to a later end', () => Date.now() + 365 * 86_400_000],
    ['to no end', () => null],
  ])('(%s) is left, and said: its request no longer proves whose it is', async (_, end) => {
    await runsMembership();
    extendedTo(end());
    const swept = await sweep();
    expect(swept.results).toEqual([]);
    expect(membersNow()).toEqual([user]);
    expect(swept.lines).toContainEqual(expect.stringMatching(/^left: .*not the end .*asked for/));
    expect(arm.az.groupPim().requests.filter((r) => r.action === 'adminRemove')).toEqual([]);
  });
});
