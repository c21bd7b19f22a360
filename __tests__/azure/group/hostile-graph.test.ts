// PIM for groups answers a red team would forge (the emulated Graph made to answer them): what a
// membership's schedule says made it proves it only when that request made that membership, so a
// request of `created-by` for another person, group or access never makes the membership it names
// the sweep's to end; a group one of whose reads failed is swept of none; an accessId neither
// member nor owner is no member a reconcile ends; an object ID given as a group that the directory
// names a user is refused before any PIM request; a managed group that cannot be read plans no write.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runTicket, groupPimOf } from '../../../src/azure/graph/group-pim.js';
import { sweepGroups } from '../../../src/azure/group/sweep.js';
import { planGroupMemberships } from '../../../src/azure/group/reconcile.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { runKeyOf, type RunState } from '../../../src/core/claims/claims.js';
import {
  emulatedArm,
  OBJECT_ID,
  PRINCIPAL,
  SCOPE,
  GROUP_PIM_GRAPH_ROLES,
} from '../../harness/emulated-arm.js';
import { signedInSession } from '../../harness/arm-driver.js';
import { createAzureCredential } from '../../../src/azure/sdk/credentials.js';
import { GroupChecks } from '../../../src/azure/graph/group-pim-checks.js';

const arm = emulatedArm();
const REPOSITORY = 'octo-org/octo-repo';
const OTHER = '99999999-9999-4999-8999-999999999999';

let group: string;
let users: string[];
beforeEach(() => {
  arm.az.config.graphRoles = [...GROUP_PIM_GRAPH_ROLES];
  group = arm.az.addGroup({ displayName: `hostile-${Math.random()}` }).id;
  arm.az.setGroupPimPolicy({ assignmentExpirationRequired: false }, { groupId: group });
  users = [0, 1].map((i) => arm.az.addUser({ userPrincipalName: `h${i}-${Math.random()}@contoso.com` }).id);
});

const directory = () =>
  signedInSession(arm, arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' })).session.directory;

/** A membership of the group; `by`: who Graph says sent its request. */
async function member(principalId: string, justification: string, by: string = OBJECT_ID) {
  const pim = groupPimOf(directory());
  const request = await pim.write({
    action: 'adminAssign',
    kind: 'active',
    groupId: group,
    principalId,
    access: 'member',
    justification,
    ticket: runTicket('https://github.com/octo-org/octo-repo/actions/runs/1'),
  });
  await pim.follow(request, 'adminAssign');
  const store = arm.az.state.groupPim;
  const record = store.requests.find((r) => r.id === request.id)!;
  if (by !== OBJECT_ID) record.createdBy = { application: { id: by }, user: null };
  return record.id;
}
const ended = `Granted [cloud-access:${REPOSITORY}:run:43:1:e]`;
const runs = new Map<string, RunState>([
  [
    runKeyOf({ repository: REPOSITORY, runId: '43', attempt: '1' }),
    { state: 'completed', conclusion: 'success' },
  ],
]);
const judge = { createdBy: new Set([OBJECT_ID]), shown: OBJECT_ID, repository: REPOSITORY };
const membersNow = () =>
  arm.az
    .groupPim()
    .instances.filter((i) => i.groupId === group)
    .map((i) => i.principalId as string);

/** Graph made to say the byHand membership's schedule was made by the action's request for another. */
async function forgedSchedule() {
  const [ours, byHand] = users as [string, string];
  const ourRequest = await member(ours, ended);
  await member(byHand, 'added by hand', OTHER);
  const schedule = arm.az.state.groupPim.schedules.find((s) => s.principalId === byHand)!;
  schedule.createdUsing = ourRequest;
  return { ours, byHand };
}

describe('a membership whose schedule names a request of `created-by` made for another membership', () => {
  it('is not ended by the sweep: that request is no proof of it', async () => {
    const { ours, byHand } = await forgedSchedule();
    const swept = await sweepGroups(directory(), [{ kind: 'object', id: group, bare: true }], {
      judge,
      readRuns: async () => runs,
      now: Date.now(),
      dryRun: false,
    });
    expect(membersNow()).toEqual([byHand]);
    expect(swept.results).toEqual([expect.objectContaining({ principal: ours, status: 'SUCCEEDED' })]);
    expect(swept.lines).toContainEqual(expect.stringMatching(new RegExp(`^left: ${byHand} .*not proven`)));
  });
});

describe('a group whose eligible memberships cannot be read while its active ones can', () => {
  it('is swept of none: what the sweep says of it holds, and no membership of it is ended', async () => {
    const [ours] = users as [string];
    arm.az.config.graphRoles = arm.az.config.graphRoles.filter(
      (r) => r !== 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
    );
    await member(ours, ended);
    // A token of its own, issued with the consent as it is now.
    const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' });
    const credential = createAzureCredential(plan, arm.requestToken, () => undefined, arm.httpClient);
    const { directory: signedIn } = signedInSession(arm, plan, { credential }).session;
    const swept = await sweepGroups(signedIn, [{ kind: 'object', id: group, bare: true }], {
      judge,
      readRuns: async () => runs,
      now: Date.now(),
      dryRun: false,
    });
    expect(swept.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^the memberships of group ${group} could not be read .*none of them is swept`),
      ),
    );
    expect(swept.results).toEqual([]);
    expect(membersNow()).toEqual([ours]);
  });
});

describe('a membership of a managed group whose access Graph names neither member nor owner', () => {
  it('is no drift a reconcile ends as a member: what it is is not known, so it is kept, and said', async () => {
    const [listed, odd] = users as [string, string];
    await member(odd, 'added by hand', OTHER);
    for (const s of arm.az.state.groupPim.schedules)
      if (s.principalId === odd) (s as { accessId: string }).accessId = 'superOwner';
    const parsed = parseManifest(
      'access.yml',
      `version: 1\nazure:\n  manages: {groups: ['${group}']}\n  groups:\n    - {group: '${group}', members: ['${listed}']}\n`,
    );
    if (!('manifest' in parsed)) throw new Error(JSON.stringify(parsed.problems));
    const plan = await planGroupMemberships({
      directory: directory(),
      section: parsed.manifest.azure!,
      marker: `cloud-access:${REPOSITORY}:access.yml`,
      judge,
      readRuns: async () => runs,
      now: Date.now(),
      pimOnboard: false,
    });
    expect(plan?.problems).toEqual([]);
    expect(plan?.writes.map((w) => [w.change, (w.item as { principalId: string }).principalId])).toEqual([
      ['create', listed],
    ]);
    expect(plan?.lines).toContainEqual(expect.stringMatching(new RegExp(`^= ${odd} .*superOwner.*kept`)));
  });
});

describe('`group:<object ID>` naming a user or a service principal', () => {
  it('is refused before any PIM request, naming `target` and what the ID is', async () => {
    const [user] = users as [string];
    const before = arm.az.groupPim().requests.length;
    const checks = new GroupChecks(directory());
    await expect(checks.resolveGroups([{ kind: 'id', id: user }])).rejects.toMatchObject({
      input: 'target',
      message: expect.stringMatching(new RegExp(`\`group:${user}\` is a user .*not a group`)),
    });
    await checks.resolveGroups([{ kind: 'id', id: group }]);
    expect(checks.groupOf({ kind: 'id', id: group }).id).toBe(group);
    expect(arm.az.groupPim().requests.length).toBe(before);
  });
});

describe('a reconcile whose managed group’s memberships cannot be read (403)', () => {
  it('plans no write at all: it stops at the manages line, naming the permissions', async () => {
    const [listed, byHand] = users as [string, string];
    await member(byHand, 'added by hand', OTHER);
    arm.az.config.graphRoles = arm.az.config.graphRoles.filter(
      (r) => r !== 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
    );
    const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' });
    const credential = createAzureCredential(plan, arm.requestToken, () => undefined, arm.httpClient);
    const parsed = parseManifest(
      'access.yml',
      `version: 1\nazure:\n  manages: {groups: ['${group}']}\n  groups:\n    - {group: '${group}', members: ['${listed}']}\n`,
    );
    if (!('manifest' in parsed)) throw new Error(JSON.stringify(parsed.problems));
    const planned = await planGroupMemberships({
      directory: signedInSession(arm, plan, { credential }).session.directory,
      section: parsed.manifest.azure!,
      marker: `cloud-access:${REPOSITORY}:access.yml`,
      judge,
      readRuns: async () => runs,
      now: Date.now(),
      pimOnboard: false,
    });
    expect(planned?.writes).toEqual([]);
    expect(planned?.problems).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/memberships of group .* could not be read/),
        fix: expect.stringMatching(/PrivilegedEligibilitySchedule\.ReadWrite\.AzureADGroup/),
      }),
    ]);
    expect(membersNow()).toEqual([byHand]);
  });
});
