// The driver's ARM reads against the in-memory ARM (fake-arm.ts), through the real SDK client.
import { describe, expect, it } from '@jest/globals';
import { ArmReads, matches } from '../../src/azure/arm-reads.js';
import { createArmClients } from '../../src/azure/clients.js';
import { classifyAzureError } from '../../src/azure/errors.js';
import { ArmWritePacer } from '../../src/azure/pacing.js';
import { parseAzureScope, type AzureScope } from '../../src/core/azure-scope.js';
import { parseInputs, type AzureConfig } from '../../src/core/inputs/index.js';
import type { AzureResolvedIds } from '../../src/core/types.js';
import { createCallRunner } from '../../src/engine/call-runner.js';
import { Deadline } from '../../src/engine/deadline.js';
import { emptyStats } from '../../src/engine/driver.js';
import { FakeArm, PRINCIPAL, READER, ROLE_DEFINITIONS, SCOPE, SUB } from './fake-arm.js';

const scope = parseAzureScope(SCOPE) as AzureScope;

function setUp() {
  const plan = parseInputs(
    (name) => ({ cloud: 'azure', principal: PRINCIPAL, target: SCOPE, role: READER })[name] ?? '',
    {},
  ) as AzureConfig;
  const arm = new FakeArm();
  const credential = {
    getToken: async () => ({ token: 'e30.e30.sig', expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const debug: string[] = [];
  const reads = new ArmReads(
    createArmClients(plan, credential, new ArmWritePacer(async () => {}), arm),
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
    expect(arm.requests).toEqual([`GET ${stored.id}`, `GET ${stored.id}`]);
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
    expect(arm.requests.filter((r) => r.endsWith('/roleAssignments'))).toHaveLength(2);
  });
});

describe('roleDefinitionId', () => {
  it('builds the ID for a GUID without a request', async () => {
    const { arm, reads } = setUp();
    expect(await reads.roleDefinitionId({ kind: 'guid', guid: READER }, scope)).toBe(
      `/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`,
    );
    expect(arm.requests).toHaveLength(0);
  });

  it('looks a name up, says what it found, and refuses an answer that is not a role definition ID', async () => {
    const { arm, reads, debug } = setUp();
    expect(await reads.roleDefinitionId({ kind: 'name', name: 'Reader' }, scope)).toBe(
      `/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`,
    );
    expect(debug).toEqual([
      `role \`Reader\` at ${SCOPE} is /subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`,
    ]);
    arm.roleDefinitions.push({ id: `/subscriptions/${SUB}${ROLE_DEFINITIONS}../../x`, roleName: 'Odd' });
    await expect(reads.roleDefinitionId({ kind: 'name', name: 'Odd' }, scope)).rejects.toMatchObject({
      input: 'role',
      message: 'ARM answered role `Odd` with an ID that is not a role definition ID',
      fix: 'pass the role definition GUID',
    });
  });
});

describe('a role name the scope does not have', () => {
  it('is refused with the closest role names the scope does have, as permission sets are', async () => {
    const { arm, reads } = setUp();
    arm.roleDefinitions.push(
      {
        id: `/subscriptions/${SUB}${ROLE_DEFINITIONS}b24988ac-6180-42a0-ab88-20f7382dd24c`,
        roleName: 'Contributor',
      },
      {
        id: `/subscriptions/${SUB}${ROLE_DEFINITIONS}8e3af657-a8ff-443c-a75c-2fe8c4bcb635`,
        roleName: 'Owner',
      },
    );
    const refused = reads.roleDefinitionId({ kind: 'name', name: 'Contributer' }, scope);
    await expect(refused).rejects.toMatchObject({
      input: 'role',
      message: `role \`Contributer\` was not found at scope \`${SCOPE}\``,
      fix: expect.stringMatching(/^did you mean `Contributor`, `Owner`, `Reader`\? Or check the name/),
    });
    // One lookup by name, then one list of every role at the scope for the suggestion.
    expect(arm.requests.filter((r) => r.includes('roleDefinitions'))).toHaveLength(2);
  });

  it('is refused without suggestions when the roles at the scope cannot be listed', async () => {
    const { arm, reads, debug } = setUp();
    const send = arm.sendRequest.bind(arm);
    arm.sendRequest = async (request) =>
      request.url.includes('roleDefinitions') && !request.url.includes('filter')
        ? {
            request,
            status: 403,
            headers: request.headers,
            bodyAsText: '{"error":{"code":"AuthorizationFailed","message":"no"}}',
          }
        : send(request);
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
