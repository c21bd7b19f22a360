// `operation: reconcile` with `type: eligible` entries, end to end: the bundled main step, a
// manifest in the workspace, the emulator's PIM eligibility. An eligibility is another grant than an
// active assignment of the same principal, role and scope; the manifest's own are known by their
// schedule's request name, also once ARM no longer returns the request; one changed in the portal
// is listed and never deleted.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azure, azureInputs, newPrincipal, READER, runMain, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();
beforeEach(() => {
  azure().config.pimMinimumActiveMs = 0;
});
const workspace = mkdtempSync(join(tmpdir(), 'reconcile-eligible-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const rg = () => `${subscription()}/resourceGroups/rg-app`;
const reconcile = (manifest: string, inputs: Record<string, string> = {}) => {
  writeFileSync(join(workspace, 'access.yml'), manifest);
  return runMain(azureInputs({ operation: 'reconcile', manifest: 'access.yml', ...inputs }), {
    GITHUB_WORKSPACE: workspace,
  });
};
const manifest = (entries: string) => `version: 1
azure:
  manages:
    scopes: [${rg()}]
  assignments:
${entries || '    []\n'}`;
const eligible = (principal: string, duration = 'P90D') =>
  `    - {principal: ${principal}, principal-type: User, role: Reader, target: ${rg()}, type: eligible, duration: ${duration}}\n`;
const active = (principal: string) =>
  `    - {principal: ${principal}, principal-type: User, role: Reader, target: ${rg()}}\n`;
const eligibilitiesOf = (p: string) =>
  azure().state.eligibility.schedules.filter((s) => s.principalId === p && s.endedAt === undefined);
const calls = (operation: string) => emulator().requests.filter((r) => r.operation === operation);
const planOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.plan!) as Record<string, number>;

describe('reconcile with type: eligible entries', () => {
  it('makes the principal eligible, then finds it unchanged, then removes it once the file drops it', async () => {
    const p = newPrincipal();
    const keeper = newPrincipal();
    const first = await reconcile(manifest(eligible(p) + active(keeper)));
    expect(first.exitCode).toBe(0);
    expect(planOf(first)).toMatchObject({ create: 2, delete: 0 });
    expect(eligibilitiesOf(p)).toHaveLength(1);
    // The keeper's assignment is the only role assignment written.
    expect(calls('RoleAssignments_Create')).toHaveLength(1);

    const again = await reconcile(manifest(eligible(p) + active(keeper)));
    expect(planOf(again)).toMatchObject({ create: 0, delete: 0, unchanged: 2 });
    // ARM stops returning the request after about 45 days; the schedule still names it.
    azure().ageEligibilityRequests(46 * 86_400_000);
    const aged = await reconcile(manifest(eligible(p) + active(keeper)));
    expect(planOf(aged)).toMatchObject({ create: 0, delete: 0, unchanged: 2 });

    // Another entry stays, so that the plan deletes not every assignment the section manages.
    const dropped = await reconcile(manifest(active(keeper)), { 'max-deletions': '5' });
    expect(dropped.exitCode).toBe(0);
    expect(planOf(dropped)).toMatchObject({ delete: 1 });
    expect(eligibilitiesOf(p)).toHaveLength(0);
  });

  it('keeps an active assignment and an eligibility of one principal, role and scope apart', async () => {
    const p = newPrincipal();
    const step = await reconcile(manifest(active(p) + eligible(p)));
    expect(step.exitCode).toBe(0);
    expect(planOf(step)).toMatchObject({ create: 2 });
    expect(azure().findRoleAssignment(rg(), p, READER)).toBeDefined();
    expect(eligibilitiesOf(p)).toHaveLength(1);
    // Each write's result says its own kind, as the audit log's record of it does.
    const results = JSON.parse(step.outputs.results!) as { kind: string; action: string }[];
    expect(results.map((r) => [r.action, r.kind]).sort()).toEqual([
      ['create', 'active'],
      ['create', 'eligible'],
    ]);
    // Each plan line names the kind where it is not a plain role assignment.
    expect(step.stdout).toMatch(/^ {2}create \(eligible\): .*Reader/m);
    expect(step.stdout).toMatch(/^ {2}create: .*Reader/m);
    // Dropping the eligibility deletes it alone.
    const dropped = await reconcile(manifest(active(p)));
    expect(planOf(dropped)).toMatchObject({ create: 0, delete: 1, unchanged: 1 });
    expect(dropped.stdout).toMatch(/^ {2}delete \(eligible\): /m);
    expect(eligibilitiesOf(p)).toHaveLength(0);
    expect(azure().findRoleAssignment(rg(), p, READER)).toBeDefined();
  });

  it('lists an eligibility changed in the portal and never deletes it', async () => {
    const p = newPrincipal();
    const keeper = newPrincipal();
    expect((await reconcile(manifest(eligible(p) + active(keeper)))).exitCode).toBe(0);
    azure().writeEligibilityAsAdmin({
      scope: rg(),
      roleDefinitionId: READER,
      principalId: p,
      duration: 'P60D',
    });
    const dropped = await reconcile(manifest(active(keeper)), { 'max-deletions': '5' });
    expect(dropped.exitCode).toBe(0);
    expect(planOf(dropped)).toMatchObject({ delete: 0, unmanaged: 1 });
    expect(eligibilitiesOf(p)).toHaveLength(1);
    expect(calls('RoleEligibilityScheduleRequests_Create').filter((r) => r.write)).toHaveLength(1);
  });

  it("refuses in the plan an eligibility longer than the role's policy allows, naming the rule at its line, before any write", async () => {
    azure().setEligibilityPolicy({ isExpirationRequired: true, maximumDuration: 'P30D' });
    const p = newPrincipal();
    const keeper = newPrincipal();
    const step = await reconcile(manifest(active(keeper) + eligible(p, 'P90D')));
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/access\.yml:7: .*Expiration_Admin_Eligibility/);
    expect(step.stdout).toContain('P30D');
    // The whole plan stops: the keeper's assignment is not written either.
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(0);
  });

  it('refuses `duration` on an active entry, at its line, before any call', async () => {
    const p = newPrincipal();
    const step = await reconcile(
      manifest(
        `    - {principal: ${p}, principal-type: User, role: Reader, target: ${rg()}, duration: P30D}\n`,
      ),
    );
    expect(step.exitCode).toBe(1);
    expect(step.stdout + step.stderr).toMatch(/duration`: applies to `type: eligible` entries only/);
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(0);
  });
});
