// The driver's ARM reads against the emulated ARM, through the real SDK client and credential.
import { describe, expect, it } from '@jest/globals';
import { ArmReads } from '../../../src/azure/arm/reads.js';
import { matches } from '../../../src/azure/arm/roles.js';
import { planAssignmentLists } from '../../../src/azure/arm/list-plan.js';
import { createArmClients } from '../../../src/azure/arm/clients.js';
import { classifyAzureError } from '../../../src/azure/sdk/azure-errors.js';
import { ArmPacer } from '../../../src/azure/sdk/pacing.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import type { AzureResolvedIds } from '../../../src/core/types.js';
import { createCallRunner } from '../../../src/engine/calls/call-runner.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { emulatedArm, PRINCIPAL, READER, ROLE_DEFINITIONS, SCOPE, SUB } from '../../harness/emulated-arm.js';

const arm = emulatedArm();

const scope = parseAzureScope(SCOPE) as AzureScope;

function setUp() {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER });
  const debug: string[] = [];
  const reads = new ArmReads(
    createArmClients(plan, arm.credential(), new ArmPacer(async () => {}), arm.httpClient),
    createCallRunner({ classify: classifyAzureError, deadline: new Deadline(30), stats: emptyStats() }),
    (message) => debug.push(message),
  );
  return { arm, reads, debug };
}

describe('getAssignment', () => {
  it('reads one assignment by name at the scope, or by ID', async () => {
    const { arm, reads } = setUp();
    const stored = arm.add('00000000-aaaa-bbbb-cccc-000000000001');
    expect(await reads.getAssignment(scope, { name: stored.name })).toMatchObject({
      id: stored.id,
      principalId: PRINCIPAL,
    });
    expect(await reads.getAssignment(scope, { id: stored.id })).toMatchObject({ name: stored.name });
    expect(arm.requests()).toEqual([`GET ${stored.id}`, `GET ${stored.id}`]);
  });

  it('answers undefined when ARM answers 404', async () => {
    const { reads } = setUp();
    expect(
      await reads.getAssignment(scope, { name: '00000000-aaaa-bbbb-cccc-000000000009' }),
    ).toBeUndefined();
  });
});

describe("a principal's assignments", () => {
  it('are listed afresh by listForPrincipal, and once for all callers by sharedAssignmentsFor', async () => {
    const { arm, reads } = setUp();
    const stored = arm.add('00000000-aaaa-bbbb-cccc-000000000001');
    const [a, b] = await Promise.all([
      reads.sharedAssignmentsFor(scope, PRINCIPAL),
      reads.sharedAssignmentsFor(scope, PRINCIPAL),
    ]);
    expect(a.map((x) => x.id)).toEqual([stored.id]);
    expect(b).toBe(a);
    await reads.listForPrincipal(scope, PRINCIPAL);
    expect(arm.requests().filter((r) => r.endsWith('/roleAssignments'))).toHaveLength(2);
  });
});

describe('the lists a batch shares', () => {
  const OTHERS = ['11111111-0000-4000-8000-000000000001', '11111111-0000-4000-8000-000000000002'];
  const at = (rg: string) => parseAzureScope(`/subscriptions/${SUB}/resourceGroups/${rg}`) as AzureScope;
  const lists = () => arm.requests().filter((r) => r.endsWith('/roleAssignments'));

  it("serve every principal at one scope with one list of the scope's assignments", async () => {
    const { arm: emulated, reads } = setUp();
    const principals = [PRINCIPAL, ...OTHERS];
    for (const id of OTHERS) emulated.az.addPrincipal({ id, type: 'User', createdAt: 0 });
    const theirs = emulated.az.addRoleAssignment({
      scope: SCOPE,
      roleDefinitionId: READER,
      principalId: OTHERS[1]!,
    });
    reads.planLists(planAssignmentLists(principals.map((principalId) => ({ scope, principalId }))));
    const found = await Promise.all(principals.map((p) => reads.sharedAssignmentsFor(scope, p)));
    expect(lists()).toEqual([`GET ${SCOPE}/providers/Microsoft.Authorization/roleAssignments`]);
    expect(found[2]!.map((a) => a.id)).toContain(theirs.id);
    expect(found[0]).toBe(found[2]);
  });

  it("serve one principal at many resource groups with one list of the principal's in the subscription", async () => {
    const { arm: emulated, reads } = setUp();
    const scopes = ['rg-a', 'rg-b', 'rg-c'].map(at);
    const made = emulated.add('00000000-aaaa-bbbb-cccc-000000000002', READER, scopes[2]!.scope);
    reads.planLists(planAssignmentLists(scopes.map((s) => ({ scope: s, principalId: PRINCIPAL }))));
    const found = await Promise.all(scopes.map((s) => reads.sharedAssignmentsFor(s, PRINCIPAL)));
    expect(lists()).toEqual([`GET /subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments`]);
    expect(found[0]!.map((a) => a.id)).toEqual([made.id]);
  });

  it('are one per scope and principal for a grant the plan does not know', async () => {
    const { reads } = setUp();
    reads.planLists(planAssignmentLists([{ scope: at('rg-a'), principalId: PRINCIPAL }]));
    await reads.sharedAssignmentsFor(at('rg-b'), PRINCIPAL);
    await reads.sharedAssignmentsFor(at('rg-b'), OTHERS[0]!);
    expect(lists()).toEqual([
      `GET /subscriptions/${SUB}/resourceGroups/rg-b/providers/Microsoft.Authorization/roleAssignments`,
      `GET /subscriptions/${SUB}/resourceGroups/rg-b/providers/Microsoft.Authorization/roleAssignments`,
    ]);
  });
});

describe('roleDefinitionId', () => {
  it('builds the ID for a GUID without a request', async () => {
    const { arm, reads } = setUp();
    expect(await reads.roleDefinitionId({ kind: 'guid', guid: READER }, scope)).toBe(
      `/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`,
    );
    expect(arm.requests()).toHaveLength(0);
  });

  it('looks a name up, says what it found, and refuses an answer that is not a role definition ID', async () => {
    const { arm, reads, debug } = setUp();
    expect(await reads.roleDefinitionId({ kind: 'name', name: 'Reader' }, scope)).toBe(
      `/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`,
    );
    expect(debug).toEqual([
      `role \`Reader\` at ${SCOPE} is /subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`,
    ]);
    // A role definition whose name is not a GUID, as no model-following ARM has: its ID climbs out.
    arm.az.addRoleDefinition({
      roleName: 'Odd',
      guid: '../../x',
      assignableScopes: [`/subscriptions/${SUB}`],
    });
    await expect(reads.roleDefinitionId({ kind: 'name', name: 'Odd' }, scope)).rejects.toMatchObject({
      input: 'role',
      message: 'ARM answered role `Odd` with an ID that is not a role definition ID',
      fix: 'pass the role definition GUID',
    });
  });
});

describe('a role name the scope does not have', () => {
  it('is refused with the close role names the scope does have, as permission sets are', async () => {
    const { arm, reads } = setUp();
    // The scope has ARM's built-in roles, Contributor and Owner among them.
    const refused = reads.roleDefinitionId({ kind: 'name', name: 'Contributer' }, scope);
    await expect(refused).rejects.toMatchObject({
      input: 'role',
      message: `role \`Contributer\` was not found at scope \`${SCOPE}\``,
      fix: expect.stringMatching(/^did you mean `Contributor`\? Or check the name/),
    });
    // One lookup by name, then one list of every role at the scope for the suggestion.
    expect(arm.requests().filter((r) => r.includes('roleDefinitions'))).toHaveLength(2);
  });

  it('is refused without suggestions when the roles at the scope cannot be listed', async () => {
    const { arm, reads, debug } = setUp();
    arm.az.faults.armFailures.push({
      method: 'GET',
      pathIncludes: 'roleDefinitions',
      unfiltered: true,
      status: 403,
      code: 'AuthorizationFailed',
      message: 'no',
    });
    await expect(reads.roleDefinitionId({ kind: 'name', name: 'Nope' }, scope)).rejects.toMatchObject({
      fix: expect.stringMatching(/^check the name \(as the portal shows it/),
    });
    expect(debug.join()).toContain('could not list the roles');
  });
});

describe('matches', () => {
  it('compares scope ignoring case, principal, and role by GUID', () => {
    const ids: AzureResolvedIds = {
      cloud: 'azure',
      principalId: PRINCIPAL,
      scope: parseAzureScope(SCOPE) as AzureScope,
      roleId: `/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`,
    };
    const listed = {
      scope: SCOPE.toUpperCase(),
      principalId: PRINCIPAL,
      roleDefinitionId: `${ROLE_DEFINITIONS}${READER}`,
    };
    expect(matches(listed, ids)).toBe(true);
    expect(matches({ ...listed, scope: `/subscriptions/${SUB}` }, ids)).toBe(false);
    expect(matches({ ...listed, roleDefinitionId: undefined }, ids)).toBe(false);
  });
});
