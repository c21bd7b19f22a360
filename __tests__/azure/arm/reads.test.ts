// The driver's ARM reads against the emulated ARM, through the real SDK client and credential.
import { describe, expect, it } from '@jest/globals';
import { ArmReads, matches } from '../../../src/azure/arm/reads.js';
import { createArmClients } from '../../../src/azure/arm/clients.js';
import { classifyAzureError } from '../../../src/azure/sdk/errors.js';
import { ArmPacer } from '../../../src/azure/sdk/pacing.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import type { AzureResolvedIds } from '../../../src/core/types.js';
import { createCallRunner } from '../../../src/engine/call-runner.js';
import { Deadline } from '../../../src/engine/deadline.js';
import { emptyStats } from '../../../src/engine/driver.js';
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
  it('are listed afresh by listForPrincipal, and once for all callers by sharedListForPrincipal', async () => {
    const { arm, reads } = setUp();
    const stored = arm.add('00000000-aaaa-bbbb-cccc-000000000001');
    const [a, b] = await Promise.all([
      reads.sharedListForPrincipal(scope, PRINCIPAL),
      reads.sharedListForPrincipal(scope, PRINCIPAL),
    ]);
    expect(a.map((x) => x.id)).toEqual([stored.id]);
    expect(b).toBe(a);
    await reads.listForPrincipal(scope, PRINCIPAL);
    expect(arm.requests().filter((r) => r.endsWith('/roleAssignments'))).toHaveLength(2);
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
