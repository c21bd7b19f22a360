// A report's PIM eligibilities against the emulated ARM, through the real credential and
// @azure/arm-authorization client: each a row of its own kind beside the active assignments, at
// its target or inherited from above it, kept to the roles asked for; and none, with a note why,
// where PIM cannot be read.
import { describe, expect, it } from '@jest/globals';
import { ROLE_GUIDS } from '../../../emulator/azure/tenant/roles.js';
import { AzureAccessReader } from '../../../src/azure/access-reader.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import type { ReportRequest } from '../../../src/core/inputs/index.js';
import { accessRows, writtenRow } from '../../../src/operations/report/access-rows.js';
import { emulatedArm, OBJECT_ID, SCOPE, SUB } from '../../harness/emulated-arm.js';
import { signedInSession } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const USER = '00000000-0000-4000-8000-000000000001';
const RUN = { repository: 'octo-org/octo-repo', repositoryId: '42', serverUrl: 'https://github.com' };

async function rowsOf(request: Partial<ReportRequest> = {}) {
  const plan = arm.plan({ principal: USER, target: SCOPE, role: 'Reader' });
  const { session } = signedInSession(arm, plan);
  const report: ReportRequest = {
    manifests: [],
    expandGroups: false,
    compareTo: undefined,
    createdBy: [],
    lookbackSeconds: 0,
    scopes: [parseAzureScope(SCOPE) as AzureScope],
    ...request,
  };
  const read = await new AzureAccessReader(report, session, RUN.repository).read({
    manifests: [],
    onPlan: () => {},
  });
  return {
    rows: accessRows('azure', read.held, RUN, read.members).filter((r) => r.principalId === USER),
    all: accessRows('azure', read.held, RUN, read.members),
    read,
  };
}

function seedUser() {
  arm.az.addUser({ id: USER, userPrincipalName: 'user1@contoso.com' });
}

describe("a report's PIM eligibilities", () => {
  it('are each a row of their own kind, written eligible, beside an active assignment of the same principal, role and scope', async () => {
    seedUser();
    arm.az.addRoleAssignment({
      scope: SCOPE,
      roleDefinitionId: ROLE_GUIDS.Reader,
      principalId: USER,
      principalType: 'User',
      createdBy: OBJECT_ID,
    });
    arm.az.writeEligibilityAsAdmin({ scope: SCOPE, roleDefinitionId: ROLE_GUIDS.Reader, principalId: USER });
    const { rows, read } = await rowsOf();
    expect(rows.map((r) => [r.kind, writtenRow(r).kind])).toEqual([
      ['azure-role-assignment', 'active'],
      ['azure-pim-eligible', 'eligible'],
    ]);
    expect(rows[1]).toMatchObject({
      principalName: 'user1@contoso.com',
      role: 'Reader',
      target: 'resource group rg-app',
      held: 'time-bound',
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      inherited: null,
    });
    expect(read.notes.slice(0, 2)).toEqual([
      expect.stringMatching(/^ARM: \d+ role assignment\(s\) at, under or \(inherited\) above 1 scope\(s\)/),
      'ARM: 1 PIM eligibility schedule(s) at, under or (inherited) above 1 scope(s)',
    ]);
  });

  it('show one made above the target at the target, inherited from where it is made', async () => {
    seedUser();
    const subscription = `/subscriptions/${SUB}`;
    arm.az.writeEligibilityAsAdmin({
      scope: subscription,
      roleDefinitionId: ROLE_GUIDS.Reader,
      principalId: USER,
    });
    const { rows } = await rowsOf();
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'azure-pim-eligible',
        targetId: SCOPE,
        inherited: `inherited from ${subscription}`,
      }),
    ]);
  });

  it('of a management group target: one made at a management group below it is its own row, never inherited', async () => {
    seedUser();
    arm.az.addManagementGroup('mg-top');
    arm.az.addManagementGroup('mg-platform', 'mg-top');
    arm.az.addManagementGroup('mg-child', 'mg-platform');
    const top = '/providers/Microsoft.Management/managementGroups/mg-top';
    const mg = '/providers/Microsoft.Management/managementGroups/mg-platform';
    const child = '/providers/Microsoft.Management/managementGroups/mg-child';
    // The report's identity reads from the top group down.
    arm.az.addRoleAssignment({
      scope: top,
      roleDefinitionId: ROLE_GUIDS.Reader,
      principalId: OBJECT_ID,
      principalType: 'ServicePrincipal',
    });
    arm.az.writeEligibilityAsAdmin({ scope: child, roleDefinitionId: ROLE_GUIDS.Reader, principalId: USER });
    arm.az.writeEligibilityAsAdmin({ scope: top, roleDefinitionId: ROLE_GUIDS.Reader, principalId: USER });
    const { rows } = await rowsOf({ scopes: [parseAzureScope(mg) as AzureScope] });
    expect(rows.filter((r) => r.kind === 'azure-pim-eligible').map((r) => [r.targetId, r.inherited])).toEqual(
      expect.arrayContaining([
        [child, null],
        [mg, `inherited from ${top}`],
      ]),
    );
  });

  it('of a principal the directory no longer holds are orphaned, as an active assignment is', async () => {
    seedUser();
    const gone = arm.az.addPrincipal({ type: 'User', createdAt: 0 });
    arm.az.writeEligibilityAsAdmin({ scope: SCOPE, roleDefinitionId: ROLE_GUIDS.Reader, principalId: gone });
    const { all } = await rowsOf();
    expect(all.filter((r) => r.principalId === gone)).toEqual([
      expect.objectContaining({ kind: 'azure-pim-eligible', held: 'orphaned', principalName: null }),
    ]);
  });

  it("of a group are shown, with expand-groups, for each of the group's users, through the group", async () => {
    seedUser();
    const team = arm.az.addGroup({ displayName: 'Readers' }).id;
    arm.az.state.directory.addMember(team, USER);
    arm.az.writeEligibilityAsAdmin({ scope: SCOPE, roleDefinitionId: ROLE_GUIDS.Reader, principalId: team });
    const { rows } = await rowsOf({ expandGroups: true });
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'azure-pim-eligible',
        principalName: 'user1@contoso.com',
        viaGroup: 'Readers',
        viaGroupId: team,
      }),
    ]);
  });

  it('are kept to the roles `role` asks for', async () => {
    seedUser();
    arm.az.writeEligibilityAsAdmin({ scope: SCOPE, roleDefinitionId: ROLE_GUIDS.Reader, principalId: USER });
    const { rows } = await rowsOf({ roles: [{ kind: 'guid', guid: ROLE_GUIDS.Contributor }] });
    expect(rows).toEqual([]);
  });

  it('are none where PIM cannot be read, and a note says why and what the identity needs', async () => {
    seedUser();
    arm.az.writeEligibilityAsAdmin({ scope: SCOPE, roleDefinitionId: ROLE_GUIDS.Reader, principalId: USER });
    arm.az.config.pimLicense = false;
    const { rows, read } = await rowsOf();
    expect(rows).toEqual([]);
    expect(read.notes.filter((n) => n.includes('eligibilit'))).toEqual([
      expect.stringMatching(
        /^PIM eligibility schedules could not be read \(.*\): no eligibility is shown; .*roleEligibilitySchedules\/read/,
      ),
    ]);
  });

  it('where PIM cannot be read, the report says it read active grants only, so that a later compare-to takes no eligibility for lost', async () => {
    seedUser();
    expect((await rowsOf()).read.cover).not.toHaveProperty('kinds');
    arm.az.config.pimLicense = false;
    expect((await rowsOf()).read.cover).toMatchObject({ kinds: ['active'] });
  });
});
