// `operation: reconcile` with `azure.groups` and `manages.groups`, end to end: the bundled main
// step, a manifest in the workspace, the emulator's PIM for groups in Graph. The memberships the
// file lists are made (adminAssign, the manifest's marker in the justification); those of a managed
// group it does not list are drift and ended (adminRemove); a group not managed is never read; a dry
// run says its plan and writes nothing; a group name that matches nothing, a duration past the
// group's policy and a group PIM does not manage yet stop the step before any write.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azure, azureInputs, resultsOf, runMain, useEmulator } from './fixture.js';

useEmulator();
const workspace = mkdtempSync(join(tmpdir(), 'reconcile-groups-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

let n = 0;
let admins: string;
let auditors: string;
const user = () => azure().addUser({ userPrincipalName: `member${++n}-${Date.now()}@contoso.com` }).id;
beforeEach(() => {
  azure().config.graphRoles = [
    ...azure().config.graphRoles,
    'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
    'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
    'RoleManagementPolicy.Read.AzureADGroup',
  ];
  admins = azure().addGroup({ displayName: `platform-admins-${++n}` }).id;
  auditors = azure().addGroup({ displayName: `auditors-${n}` }).id;
  for (const group of [admins, auditors])
    azure().setGroupPimPolicy({ assignmentExpirationRequired: false }, { groupId: group });
});

const RUN_TICKET = {
  ticketNumber: 'https://github.com/octo-org/octo-repo/actions/runs/1234567890',
  ticketSystem: 'GitHub Actions',
};

const reconcile = (manifest: string, inputs: Record<string, string> = {}) => {
  writeFileSync(join(workspace, 'access.yml'), manifest);
  return runMain(azureInputs({ operation: 'reconcile', manifest: 'access.yml', ...inputs }), {
    GITHUB_WORKSPACE: workspace,
  });
};
const manifest = (entries: string, managed = admins) => `version: 1
azure:
  manages:
    groups: [${managed}]
  groups:
${entries || '    []\n'}`;
const planOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.plan!) as { groupMemberships?: Record<string, number> };
const membershipsOf = (group: string) =>
  azure()
    .groupPim()
    .instances.filter((i) => i.groupId === group)
    .map((i) => [i.principalId, i.accessId, i.kind]);
const schedulesOf = (group: string) =>
  azure()
    .groupPim()
    .schedules.filter((i) => i.groupId === group)
    .map((i) => [i.principalId, i.accessId, i.kind]);
const requestsOf = (group: string) =>
  azure()
    .groupPim()
    .requests.filter((r) => r.groupId === group);

describe('reconcile with azure.groups', () => {
  it('makes the listed memberships, finds them unchanged, and ends one of a managed group the file no longer lists', async () => {
    const alice = user();
    const bob = user();
    const first = await reconcile(
      manifest(`    - group: ${admins}\n      members: [${alice}]\n      owners: [${bob}]\n`),
    );
    expect(first.exitCode).toBe(0);
    expect(planOf(first).groupMemberships).toEqual({
      create: 2,
      delete: 0,
      unchanged: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(membershipsOf(admins).sort()).toEqual(
      [
        [alice, 'member', 'assignment'],
        [bob, 'owner', 'assignment'],
      ].sort(),
    );
    expect(requestsOf(admins).map((r) => r.justification)).toEqual([
      expect.stringMatching(/\[cloud-access:octo-org\/octo-repo:access\.yml\]$/),
      expect.stringMatching(/\[cloud-access:octo-org\/octo-repo:access\.yml\]$/),
    ]);
    // The run that made them, as an assign's requests name theirs.
    expect(requestsOf(admins).map((r) => r.ticketInfo)).toEqual([RUN_TICKET, RUN_TICKET]);

    const again = await reconcile(
      manifest(`    - group: ${admins}\n      members: [${alice}]\n      owners: [${bob}]\n`),
    );
    expect(planOf(again).groupMemberships).toEqual({
      create: 0,
      delete: 0,
      unchanged: 2,
      claimed: 0,
      unknown: 0,
    });

    const dropped = await reconcile(manifest(`    - group: ${admins}\n      members: [${alice}]\n`));
    expect(dropped.exitCode).toBe(0);
    expect(planOf(dropped).groupMemberships).toEqual({
      create: 0,
      delete: 1,
      unchanged: 1,
      claimed: 0,
      unknown: 0,
    });
    expect(membershipsOf(admins)).toEqual([[alice, 'member', 'assignment']]);
    expect(requestsOf(admins).at(-1)).toMatchObject({
      action: 'adminRemove',
      principalId: bob,
      ticketInfo: RUN_TICKET,
    });
  });

  it('makes an eligible membership in a group it does not manage, and never ends another membership there', async () => {
    const alice = user();
    const carol = user();
    azure().setGroupPimPolicy({ eligibilityExpirationRequired: false }, { groupId: auditors });
    const seeded = await reconcile(
      manifest(`    - group: ${auditors}\n      members: [${carol}]\n`, auditors),
    );
    expect(seeded.exitCode).toBe(0);
    const step = await reconcile(
      manifest(
        `    - group: ${auditors}\n      members: [${alice}]\n      assignment-type: eligible\n      duration: P30D\n`,
      ),
    );
    expect(step.exitCode).toBe(0);
    expect(planOf(step).groupMemberships).toEqual({
      create: 1,
      delete: 0,
      unchanged: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(membershipsOf(auditors).sort()).toEqual(
      [
        [carol, 'member', 'assignment'],
        [alice, 'member', 'eligibility'],
      ].sort(),
    );
  });

  it('never takes a membership held through another group for a direct one: not unchanged, not drift', async () => {
    const alice = user();
    const deployers = azure().addGroup({ displayName: `deployers-${n}` }).id;
    azure().state.directory.addMember(deployers, alice);
    const first = await reconcile(manifest(`    - group: ${admins}\n      members: [${deployers}]\n`));
    expect(first.exitCode).toBe(0);
    // Graph lists alice in the group too, as held through deployers (`memberType: group`).
    expect(azure().groupPim().instances).toContainEqual(
      expect.objectContaining({ principalId: alice, groupId: admins, memberType: 'group' }),
    );
    const again = await reconcile(manifest(`    - group: ${admins}\n      members: [${deployers}]\n`));
    expect(again.exitCode).toBe(0);
    expect(planOf(again).groupMemberships).toMatchObject({ create: 0, delete: 0 });
    expect(requestsOf(admins).filter((r) => r.principalId === alice)).toEqual([]);

    const listed = await reconcile(
      manifest(`    - group: ${admins}\n      members: [${deployers}, ${alice}]\n`),
    );
    expect(listed.exitCode).toBe(0);
    expect(planOf(listed).groupMemberships).toMatchObject({ create: 1, delete: 0 });
    expect(requestsOf(admins).filter((r) => r.principalId === alice)).toEqual([
      expect.objectContaining({ action: 'adminAssign', status: 'Provisioned' }),
    ]);
  });

  it('makes a membership before it ends another, eligible ones included (a move from active to eligible)', async () => {
    const alice = user();
    azure().setGroupPimPolicy({ eligibilityExpirationRequired: false }, { groupId: admins });
    expect((await reconcile(manifest(`    - group: ${admins}\n      members: [${alice}]\n`))).exitCode).toBe(
      0,
    );
    // Each request takes a while to take effect: a delete sent before the create ended would show.
    azure().config.groupPimProvisioningDelayMs = 1_500;
    const moved = await reconcile(
      manifest(`    - group: ${admins}\n      members: [${alice}]\n      assignment-type: eligible\n`),
    );
    expect(moved.exitCode).toBe(0);
    expect(planOf(moved).groupMemberships).toMatchObject({ create: 1, delete: 1 });
    const requests = requestsOf(admins).filter((r) => r.principalId === alice);
    const create = requests.find((r) => r.kind === 'eligibility' && r.action === 'adminAssign')!;
    const remove = requests.find((r) => r.action === 'adminRemove')!;
    expect(Date.parse(String(remove.createdDateTime))).toBeGreaterThanOrEqual(
      Date.parse(String(create.completedDateTime)),
    );
    expect(membershipsOf(admins)).toEqual([[alice, 'member', 'eligibility']]);
  });

  it('in a dry run, says each membership it would make and end, and writes nothing', async () => {
    const alice = user();
    const step = await reconcile(manifest(`    - group: ${admins}\n      members: [${alice}]\n`), {
      'dry-run': 'true',
    });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain(`+ ${alice} as active member of group: ${admins}`);
    expect(requestsOf(admins)).toEqual([]);
  });

  it('stops before any write on a group that matches no name, a duration past the policy, or a group PIM does not manage yet', async () => {
    const alice = user();
    const unknown = await reconcile(manifest(`    - group: no-such-group-${n}\n      members: [${alice}]\n`));
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stdout + unknown.stderr).toMatch(/access\.yml:6:.*no-such-group/);

    azure().setGroupPimPolicy(
      { assignmentExpirationRequired: true, assignmentMaximumDuration: 'P30D' },
      { groupId: admins },
    );
    const tooLong = await reconcile(
      manifest(`    - group: ${admins}\n      members: [${alice}]\n      duration: P90D\n`),
    );
    expect(tooLong.exitCode).not.toBe(0);
    expect(tooLong.stdout + tooLong.stderr).toMatch(
      /`duration` P90D is longer than the group's PIM policy allows/,
    );

    const fresh = azure().addGroup({ displayName: `fresh-${n}` }).id;
    const onboarding = await reconcile(manifest(`    - group: ${fresh}\n      members: [${alice}]\n`, fresh));
    expect(onboarding.exitCode).not.toBe(0);
    expect(onboarding.stdout + onboarding.stderr).toMatch(/not managed by PIM yet.*cannot be undone/);
    expect(onboarding.stdout + onboarding.stderr).toMatch(/pim-onboard: true/);
    expect([...requestsOf(admins), ...requestsOf(fresh)]).toEqual([]);
  });

  it('onboards a group PIM does not manage yet only with pim-onboard: true, saying it cannot be undone', async () => {
    const alice = user();
    const fresh = azure().addGroup({ displayName: `fresh-onboarded-${n}` }).id;
    // A group's default policy once onboarded asks for an end.
    const entry = `    - group: ${fresh}\n      members: [${alice}]\n      duration: PT8H\n`;
    const onboarded = await reconcile(manifest(entry, fresh), {
      'pim-onboard': 'true',
    });
    expect(onboarded.exitCode).toBe(0);
    expect(onboarded.stdout).toMatch(/cannot be undone.*pim-onboard: true/);
    // PIM holds it (its schedule); its instance may be listed a moment later.
    expect(schedulesOf(fresh)).toEqual([[alice, 'member', 'assignment']]);
  });

  it('onboarding a group is a warning naming it and a line of the job summary, as an assign’s is', async () => {
    const [alice, bob] = [user(), user()];
    const fresh = azure().addGroup({ displayName: `fresh-warned-${n}` }).id;
    // Named by its display name: the warning names it so, with its ID.
    const entry = `    - group: fresh-warned-${n}\n      members: [${alice}, ${bob}]\n      duration: PT8H\n`;
    const step = await reconcile(manifest(entry, `fresh-warned-${n}`), { 'pim-onboard': 'true' });
    expect(step.exitCode).toBe(0);
    const said = `group fresh-warned-${n} (${fresh}) was onboarded to PIM for groups by this step (\`pim-onboard: true\`): this cannot be undone`;
    // Once, however many of its memberships the step made.
    expect(step.warnings.filter((w) => w.includes('was onboarded to PIM'))).toEqual([said]);
    expect(step.summary).toContain(`⚠️ group fresh-warned-${n} (${fresh}) was onboarded to PIM for groups`);
    // The plan said it first, before any write.
    expect(step.stdout).toMatch(
      /group fresh-warned-\d+ \(.*\) is not managed by PIM yet: the first membership request onboards it/,
    );
    expect(planOf(step).groupMemberships).toMatchObject({ create: 2 });
    // Each made membership followed to the instance PIM put in force, as an assign's: its row
    // carries the instance's ID, and the next read of the group finds it.
    const instances = azure()
      .groupPim()
      .instances.filter((i) => i.groupId === fresh);
    expect(instances).toHaveLength(2);
    const rows = resultsOf(step) as unknown as { action: string; assignmentId?: string }[];
    const made = rows.filter((r) => r.action === 'create');
    expect(made.map((r) => r.assignmentId).sort()).toEqual(instances.map((i) => i.id).sort());
  });

  it('a group PIM manages already gives no onboarding warning', async () => {
    const alice = user();
    const entry = `    - group: ${admins}\n      members: [${alice}]\n`;
    const step = await reconcile(manifest(entry), { 'pim-onboard': 'true' });
    expect(step.exitCode).toBe(0);
    expect(step.warnings.filter((w) => w.includes('onboarded'))).toEqual([]);
    expect(step.summary).not.toContain('onboarded to PIM');
  });
});
