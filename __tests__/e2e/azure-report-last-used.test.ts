// `operation: report` with `last-used: true` on Azure, through the bundle as the runner runs it: an
// eligibility's last use is its newest PIM activation (a SelfActivate request that ended
// Provisioned, at the eligibility's own scope, one inherited from above included); one never
// activated, or only in a denied request, says `none since` the time the requests are counted as
// kept; a group's eligibility is used by its members' activations through it (the newest member,
// and how many of its current members did); an eligible membership of a group (PIM for groups) is
// used by its principal's selfActivate requests Graph lists for the group; an active role assignment
// says `unknown` (Azure keeps no per-grant use of it); the evidence
// is complete only when the window is within what PIM keeps, and a report writes nothing.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azure, azureInputs, READER, runMain, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();
const workspace = mkdtempSync(join(tmpdir(), 'azure-report-last-used-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const DAY = 86_400_000;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
interface Row {
  principalId: string;
  principalKind: string;
  lastUsedBy?: string | null;
  usedBy?: number | null;
  kind: string;
  inherited: string | null;
  lastUsed?: string;
  lastUsedEvent?: string | null;
}

const scope = () => `${subscription()}/resourceGroups/rg-usage`;
const user = (name: string) => azure().addUser({ userPrincipalName: `${name}@contoso.com` }).id;
/** An eligibility an admin made in the portal 60 days ago. */
const eligible = (principalId: string, at = scope()) => {
  azure().writeEligibilityAsAdmin({ scope: at, roleDefinitionId: READER, principalId });
  for (const s of azure().state.eligibility.schedules)
    if (s.principalId === principalId) s.createdAt -= 60 * DAY;
};
const report = (inputs: Record<string, string> = {}) =>
  runMain(azureInputs({ operation: 'report', target: scope(), 'last-used': 'true', ...inputs }), {
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: mkdtempSync(join(workspace, 'runner-temp-')),
    GITHUB_EVENT_NAME: 'schedule',
  });
const rowsOf = (step: { outputs: Record<string, string> }) =>
  (JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')) as { rows: Row[] }).rows;
const rowOf = (rows: Row[], principalId: string, kind = 'eligible') =>
  rows.find((r) => r.principalId === principalId && r.kind === kind)!;

describe('a report of Azure with last-used: true', () => {
  it("shows an eligibility's newest activation, none since for one never activated or denied, and unknown for an active assignment", async () => {
    azure().addResourceGroup('rg-usage');
    const alice = user('alice');
    const bob = user('bob');
    const carol = user('carol');
    const dana = user('dana');
    eligible(alice);
    eligible(bob);
    // dana's eligibility is at the subscription: shown at the resource group, inherited.
    eligible(dana, subscription());
    azure().addRoleAssignment({ scope: scope(), roleDefinitionId: READER, principalId: carol });
    const activate = (principalId: string, daysAgo: number, more: { status?: 'Denied'; at?: string } = {}) =>
      azure().activateEligibility({
        scope: more.at ?? scope(),
        roleDefinitionId: READER,
        principalId,
        at: Date.now() - daysAgo * DAY,
        ...(more.status ? { status: more.status } : {}),
      });
    activate(alice, 12);
    const newest = activate(alice, 3);
    // bob's activation was denied: no use. An activation at another scope is not this eligibility's.
    activate(bob, 1, { status: 'Denied' });
    activate(bob, 2, { at: subscription() });
    const danas = activate(dana, 5, { at: subscription() });
    const writesBefore = emulator().requests.filter((r) => r.write).length;

    const step = await report({ 'unused-after': '30d' });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/usage: reading PIM activations .* at 2 scope\(s\)/);
    const rows = rowsOf(step);
    expect(rowOf(rows, alice)).toMatchObject({
      lastUsed: new Date(Date.parse(newest.properties.createdOn)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      lastUsedEvent: newest.name,
    });
    expect(rowOf(rows, dana)).toMatchObject({
      inherited: expect.stringContaining('inherited'),
      lastUsedEvent: danas.name,
    });
    const since = /^none since (.+)$/.exec(rowOf(rows, bob).lastUsed ?? '')?.[1];
    expect(since).toMatch(ISO);
    // Counted as kept for 30 days: none since then.
    expect(Math.abs(Date.parse(since!) - (Date.now() - 30 * DAY))).toBeLessThan(10 * 60_000);
    expect(rowOf(rows, carol, 'active')).toMatchObject({
      lastUsed: 'unknown (Azure logs no use of an active role assignment)',
      lastUsedEvent: null,
    });
    expect(step.outputs['evidence-complete']).toBe('true');
    expect(step.summary).toContain('Last used (PIM');
    expect(
      emulator().requests.filter((r) => r.operation === 'RoleAssignmentScheduleRequests_ListForScope').length,
    ).toBe(2);
    // A report writes nothing.
    expect(emulator().requests.filter((r) => r.write).length).toBe(writesBefore);
  });

  it("a group's eligibility is used by the member who activated it through the group: one of its two members", async () => {
    azure().addResourceGroup('rg-usage');
    const alice = user('alice');
    const bob = user('bob');
    const ops = azure().addGroup({ displayName: 'ops' }).id;
    azure().state.directory.addMember(ops, alice);
    azure().state.directory.addMember(ops, bob);
    eligible(ops);
    // bob holds an eligibility of his own too: his activation of it is not the group's use.
    eligible(bob);
    const through = azure().activateEligibility({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: alice,
      through: ops,
      at: Date.now() - 4 * DAY,
    });
    const bobsOwn = azure().activateEligibility({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: bob,
      at: Date.now() - DAY,
    });
    expect(bobsOwn.properties.linkedRoleEligibilityScheduleId).not.toBe(
      through.properties.linkedRoleEligibilityScheduleId,
    );

    const step = await report({ 'unused-after': '30d' });
    expect(step.exitCode).toBe(0);
    const rows = rowsOf(step);
    expect(rows.find((r) => r.principalId === ops && r.principalKind === 'group')).toMatchObject({
      lastUsed: new Date(Date.parse(through.properties.createdOn)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      lastUsedEvent: through.name,
      lastUsedBy: 'alice@contoso.com',
      usedBy: 1,
    });
    expect(rowOf(rows, bob)).toMatchObject({ lastUsedEvent: bobsOwn.name, usedBy: null });
    expect(step.outputs['evidence-complete']).toBe('true');
    // usedBy counts the group's members as Microsoft Graph lists them now: said once, plainly.
    expect(step.summary).toMatch(/counted from each group(&#39;|')s current members/);
  });

  it("an eligible membership of a group is used by its principal's newest selfActivate of it; one never activated is none since", async () => {
    const ops = azure().addGroup({ displayName: 'ops' }).id;
    azure().onboardGroupToPim(ops);
    const alice = user('alice');
    const bob = user('bob');
    // Each made eligible by the action, as a manifest's run makes them.
    for (const principal of [alice, bob]) {
      const made = await runMain(
        azureInputs({
          principal,
          target: 'group:ops',
          role: 'member',
          'assignment-type': 'eligible',
          duration: 'P90D',
        }),
      );
      expect(made.exitCode).toBe(0);
    }
    // Made 60 days ago: older than the window, so a membership not activated since is unused.
    for (const s of azure().state.groupPim.schedules) {
      s.start -= 60 * DAY;
      s.createdAt -= 60 * DAY;
    }
    const activate = (principalId: string, daysAgo: number, status?: string) =>
      azure().activateGroupMembership({
        groupId: ops,
        principalId,
        at: Date.now() - daysAgo * DAY,
        ...(status ? { status } : {}),
      });
    activate(alice, 9);
    const newest = activate(alice, 2);
    // bob's only activation was denied: no use.
    activate(bob, 1, 'Denied');
    const writesBefore = emulator().requests.filter((r) => r.write).length;

    const step = await report({ target: 'group:ops', 'unused-after': '30d' });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/usage: reading PIM for groups activations .* in 1 group\(s\)/);
    const rows = rowsOf(step);
    expect(rowOf(rows, alice)).toMatchObject({
      lastUsed: new Date(Date.parse(newest.createdDateTime as string))
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      lastUsedEvent: newest.id,
    });
    const since = /^none since (.+)$/.exec(rowOf(rows, bob).lastUsed ?? '')?.[1];
    expect(Math.abs(Date.parse(since!) - (Date.now() - 30 * DAY))).toBeLessThan(10 * 60_000);
    expect(step.outputs['evidence-complete']).toBe('true');
    // A report writes nothing.
    expect(emulator().requests.filter((r) => r.write).length).toBe(writesBefore);
  });

  it('a window longer than PIM keeps its requests is incomplete evidence: warned, output false, and a row made inside the window is too new to tell', async () => {
    azure().addResourceGroup('rg-usage');
    const bob = user('bob');
    eligible(bob);
    const step = await report();
    expect(step.exitCode).toBe(0);
    expect(step.outputs['evidence-complete']).toBe('false');
    expect(step.stdout).toMatch(
      /::warning::last-used: the evidence is incomplete[^\n]*the window \(90 days\) is longer than PIM keeps activation requests/,
    );
    // Made 60 days ago: inside the 90-day window, and not activated in the 30 days counted.
    expect(rowOf(rowsOf(step), bob).lastUsed).toBe('too new to tell');
  });
});
