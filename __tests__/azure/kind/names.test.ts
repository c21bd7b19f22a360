// A report's rows named through a Graph that answers for some principals and refuses the rest
// (the report's identity may read users and not groups): a principal Graph did not answer for is
// not taken for one the directory no longer holds. Every test here signs in to Graph with
// `User.Read.All` only: the file's one credential keeps the token its first Graph call gets.
import { describe, expect, it } from '@jest/globals';
import { ROLE_GUIDS } from '../../../emulator/azure/tenant/roles.js';
import { AzureAccessReader } from '../../../src/azure/access-reader.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import type { ReportRequest } from '../../../src/core/inputs/index.js';
import { accessRows } from '../../../src/operations/report/access-rows.js';
import { emulatedArm, SCOPE } from '../../harness/emulated-arm.js';
import { signedInSession } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const USER = '00000000-0000-4000-8000-000000000001';
const RUN = { repository: 'octo-org/octo-repo', repositoryId: '42', serverUrl: 'https://github.com' };

async function reportOf(expandGroups: boolean) {
  arm.az.config.graphRoles = ['User.Read.All'];
  const plan = arm.plan({ principal: USER, target: SCOPE, role: 'Reader' });
  const { session } = signedInSession(arm, plan);
  const report: ReportRequest = {
    manifests: [],
    expandGroups,
    compareTo: undefined,
    createdBy: [],
    lookbackSeconds: 0,
    scopes: [parseAzureScope(SCOPE) as AzureScope],
  };
  const read = await new AzureAccessReader(report, session, RUN.repository).read({
    manifests: [],
    onPlan: () => {},
  });
  return { rows: accessRows('azure', read.held, RUN, read.members), notes: read.notes };
}

function groupWithUser() {
  arm.az.addUser({ id: USER, userPrincipalName: 'user1@contoso.com' });
  const team = arm.az.addGroup({ displayName: 'Readers' }).id;
  arm.az.state.directory.addMember(team, USER);
  return team;
}

describe('a report whose identity Graph answers for users only', () => {
  it("shows a group's PIM eligibility as the group's, not orphaned", async () => {
    const team = groupWithUser();
    arm.az.writeEligibilityAsAdmin({ scope: SCOPE, roleDefinitionId: ROLE_GUIDS.Reader, principalId: team });
    const { rows } = await reportOf(false);
    const row = rows.find((r) => r.principalId === team);
    expect(row).toMatchObject({ kind: 'azure-pim-eligible', principalKind: 'group' });
    expect(row?.held).not.toBe('orphaned');
  });

  it("shows a group's active assignment as the group's, not orphaned", async () => {
    const team = groupWithUser();
    arm.az.addRoleAssignment({
      scope: SCOPE,
      roleDefinitionId: ROLE_GUIDS.Reader,
      principalId: team,
      principalType: 'Group',
    });
    const { rows } = await reportOf(false);
    const row = rows.find((r) => r.principalId === team);
    expect(row).toMatchObject({ kind: 'azure-role-assignment', principalKind: 'group' });
    expect(row?.held).not.toBe('orphaned');
  });

  it('says why the principals it did not answer for are shown by object ID', async () => {
    const team = groupWithUser();
    arm.az.writeEligibilityAsAdmin({ scope: SCOPE, roleDefinitionId: ROLE_GUIDS.Reader, principalId: team });
    const { notes } = await reportOf(false);
    expect(notes).toContainEqual(expect.stringMatching(/^Microsoft Graph did not name .*principal/));
  });

  it('still names the users Graph answered for', async () => {
    arm.az.addUser({ id: USER, userPrincipalName: 'user1@contoso.com' });
    arm.az.writeEligibilityAsAdmin({ scope: SCOPE, roleDefinitionId: ROLE_GUIDS.Reader, principalId: USER });
    const { rows } = await reportOf(false);
    expect(rows.find((r) => r.principalId === USER)).toMatchObject({
      principalName: 'user1@contoso.com',
      held: 'time-bound',
    });
  });
});
