// The Azure driver against the emulated Entra and ARM, signed in with its own credential (the real
// @azure/identity and @azure/arm-authorization clients build and parse every request).
import { describe, expect, it } from '@jest/globals';
import { waitForTerminalStatus } from '../../../src/engine/run/wait-for-status.js';
import {
  emulatedArm,
  OBJECT_ID,
  PRINCIPAL,
  READER,
  ROLE_DEFINITIONS,
  SCOPE,
  SUB,
} from '../../harness/emulated-arm.js';
import { signedInDriver } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const faults = () => arm.az.faults;

function setUp(inputs: Record<string, string> = {}, seconds = 30) {
  return signedInDriver(arm, inputs, seconds);
}

/** ARM's answer to a PUT for a principal the directory has not replicated yet, `times` times. */
function principalNotFound(times?: number) {
  return {
    method: 'PUT',
    pathIncludes: 'roleAssignments',
    status: 400,
    code: 'PrincipalNotFound',
    message: `Principal ${PRINCIPAL.replace(/-/g, '')} does not exist in the directory.`,
    ...(times === undefined ? {} : { times }),
  };
}

describe('resolve', () => {
  it("builds the role definition ID and a name of the run's own, so a concurrent run's create collides instead of sharing it", async () => {
    const { driver, grant } = setUp();
    const ids = await driver.resolve(grant);
    expect(ids).toMatchObject({
      cloud: 'azure',
      principalId: PRINCIPAL,
      scope: { scope: SCOPE },
      roleId: `/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`,
    });
    expect(ids.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = await setUp().driver.resolve(grant);
    expect(again.name).not.toBe(ids.name);
  });

  it('uses assignment-name when given', async () => {
    const name = '05c5a614-a7d6-4502-b150-c2fb455033ff';
    const { driver, grant } = setUp({ 'assignment-name': name });
    expect((await driver.resolve(grant)).name).toBe(name);
  });

  it('looks a role name up once per scope', async () => {
    const { driver, arm, grant } = setUp({ role: 'Reader' });
    const [a, b] = await Promise.all([driver.resolve(grant), driver.resolve(grant)]);
    expect(a.roleId).toBe(`/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`);
    expect(b.roleId).toBe(a.roleId);
    expect(arm.requests().filter((r) => r.endsWith('/roleDefinitions'))).toHaveLength(1);
  });

  it('says a role name was not found, and suggests the GUID', async () => {
    const { driver, grant } = setUp({ role: 'Readerr' });
    await expect(driver.resolve(grant)).rejects.toMatchObject({
      input: 'role',
      message: expect.stringContaining('`Readerr` was not found'),
      fix: expect.stringContaining('GUID'),
    });
  });

  it('lists the IDs when several roles have the name', async () => {
    const { driver, arm, grant } = setUp({ role: 'Reader' });
    arm.az.addRoleDefinition({
      guid: '00000000-0000-0000-0000-00000000000a',
      roleName: 'Reader',
      assignableScopes: [`/subscriptions/${SUB}`],
    });
    await expect(driver.resolve(grant)).rejects.toMatchObject({
      message: expect.stringContaining('00000000-0000-0000-0000-00000000000a'),
    });
  });
});

describe('findExisting', () => {
  it('finds the assignment by its name with one GET', async () => {
    const { driver, arm, grant } = setUp();
    const ids = await driver.resolve(grant);
    const stored = arm.add(ids.name!);
    expect(await driver.findExisting(ids)).toEqual({ assignmentId: stored.id, name: ids.name });
    expect(arm.requests()).toHaveLength(1);
  });

  it('finds one made under another name by listing the principal at the scope, matching role by GUID', async () => {
    const { driver, arm, grant } = setUp();
    arm.add('00000000-aaaa-bbbb-cccc-000000000001', 'b24988ac-6180-42a0-ab88-20f7382dd24c');
    arm.add('00000000-aaaa-bbbb-cccc-000000000002', READER, `/subscriptions/${SUB}`);
    const other = arm.add('00000000-aaaa-bbbb-cccc-000000000003');
    const ids = await driver.resolve(grant);
    expect(await driver.findExisting(ids)).toEqual({ assignmentId: other.id, name: other.name });
  });

  it('reports absence', async () => {
    const { driver, grant } = setUp();
    expect(await driver.findExisting(await driver.resolve(grant))).toBeUndefined();
  });
});

describe('create', () => {
  it('PUTs the name with principalType and description, and is done once a read shows it', async () => {
    const { driver, arm, grant, deadline } = setUp();
    const ids = await driver.resolve(grant);
    const outcome = await driver.create(ids);
    if (outcome.kind !== 'pending') throw new Error(`expected pending, got ${outcome.kind}`);
    expect(outcome.request.requestId).toBe(arm.requestIdOf('PUT'));
    expect(outcome.request.assignmentId).toBe(
      `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${ids.name}`,
    );
    expect(arm.lastBody()).toMatchObject({
      roleDefinitionId: ids.roleId,
      principalId: PRINCIPAL,
      principalType: 'User',
      description: expect.stringContaining('cloud-access'),
    });
    // A replica that has not seen the write yet answers the next read.
    faults().armFailures.push({
      method: 'GET',
      pathIncludes: `/roleAssignments/${ids.name}`,
      status: 404,
      code: 'RoleAssignmentNotFound',
      message: 'The role assignment does not exist.',
      times: 1,
    });
    expect(await waitForTerminalStatus(() => outcome.request.poll(), { deadline })).toEqual({
      status: 'SUCCEEDED',
    });
    // One 404 while not yet visible, then the read that shows it.
    expect(arm.requests().filter((r) => r.startsWith('GET'))).toHaveLength(2);
    // ARM applied the PUT when it answered: the grant need not hold its place while reads catch up.
    expect(outcome.request.appliedOnAnswer).toBe(true);
  });

  it('treats 409 RoleAssignmentExists as already assigned, with the existing ID', async () => {
    const { driver, arm, grant } = setUp();
    const other = arm.add('00000000-aaaa-bbbb-cccc-000000000001');
    const outcome = await driver.create(await driver.resolve(grant));
    expect(outcome).toEqual({
      kind: 'done',
      changed: false,
      requestId: arm.requestIdOf('PUT'),
      assignmentId: other.id,
    });
  });

  it("a 409 for an assignment ARM's reads do not show yet leaves it to the engine to read again, until a read shows it", async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare({ operation: 'assign', grants: [grant], proveOwnership: false });
    const held = arm.az.addRoleAssignment({
      scope: SCOPE,
      roleDefinitionId: READER,
      principalId: PRINCIPAL,
      principalType: 'User',
      hiddenForMs: 400,
    });
    const outcome = await driver.create(await driver.resolve(grant));
    if (outcome.kind !== 'held') throw new Error(`expected held, got ${outcome.kind}`);
    expect(outcome.check).toMatchObject({
      requestId: arm.requestIdOf('PUT'),
      unread: expect.stringContaining(
        'but no read showed that assignment, so whether it holds the condition: none asked cannot be told; nothing was created',
      ),
    });
    // One read with the answer, none of its own since: the engine's follower paces the rest.
    expect(arm.requests().filter((r) => r.startsWith('GET'))).toHaveLength(1);
    expect(await outcome.check.poll()).toEqual({ status: 'IN_PROGRESS' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await outcome.check.poll()).toEqual({
      status: 'SUCCEEDED',
      changed: false,
      assignmentId: expect.stringContaining(`/roleAssignments/${held.name}`),
    });
  });

  it('a 409 for an assignment shown late under another condition fails the grant, naming both', async () => {
    const LOGS =
      "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
    const { driver, arm, grant } = setUp({ condition: LOGS });
    await driver.prepare({ operation: 'assign', grants: [grant], proveOwnership: false });
    arm.az.addRoleAssignment({
      scope: SCOPE,
      roleDefinitionId: READER,
      principalId: PRINCIPAL,
      principalType: 'User',
      hiddenForMs: 300,
    });
    const outcome = await driver.create(await driver.resolve(grant));
    if (outcome.kind !== 'held') throw new Error(`expected held, got ${outcome.kind}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await outcome.check.poll()).toEqual({
      status: 'FAILED',
      failureReason: expect.stringContaining(
        'already holds this role at this scope with condition: none, not the condition: `@Resource',
      ),
    });
  });

  it('retries PrincipalNotFound while the principal replicates', async () => {
    const { driver, arm, grant } = setUp();
    faults().armFailures.push(principalNotFound(2));
    const outcome = await driver.create(await driver.resolve(grant));
    expect(outcome.kind).toBe('pending');
    expect(arm.requests().filter((r) => r.startsWith('PUT'))).toHaveLength(3);
    expect(driver.stats.retries).toBe(2);
  });

  it('gives up on PrincipalNotFound at the deadline, explaining replication and principal-type', async () => {
    // 2 s, not 1: on a busy machine the first PUT's answer can take most of a second, and what is
    // tested is the retries giving up at the deadline, not a first attempt the deadline cut short.
    const { driver, grant } = setUp({}, 2);
    faults().armFailures.push(principalNotFound());
    await expect(driver.create(await driver.resolve(grant))).rejects.toMatchObject({
      input: 'principal',
      message: expect.stringContaining('still not found'),
      fix: expect.stringContaining('principal-type'),
    });
  });
});

describe('remove', () => {
  it('DELETEs by ID and is done once a read misses it', async () => {
    const { driver, arm, grant, deadline } = setUp();
    const ids = await driver.resolve(grant);
    const stored = arm.add('00000000-aaaa-bbbb-cccc-000000000001');
    const outcome = await driver.remove(ids, { assignmentId: stored.id, name: stored.name });
    if (outcome.kind !== 'pending') throw new Error(`expected pending, got ${outcome.kind}`);
    expect(arm.requests()[0]).toBe(`DELETE ${stored.id}`);
    expect(await waitForTerminalStatus(() => outcome.request.poll(), { deadline })).toEqual({
      status: 'SUCCEEDED',
    });
  });

  it('treats 204 (already gone) as done without change', async () => {
    const { driver, grant } = setUp();
    const ids = await driver.resolve(grant);
    expect(await driver.remove(ids, undefined)).toMatchObject({
      kind: 'done',
      changed: false,
    });
  });
});

describe("ownership: only ARM's word makes an assignment this step's", () => {
  it('a PUT answered 200 at the first attempt was there already: not created, and says why', async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare();
    const ids = await driver.resolve(grant);
    arm.add(ids.name!, READER, SCOPE, { by: OBJECT_ID, on: new Date() });
    const outcome = await driver.create(ids);
    expect(outcome).toMatchObject({ kind: 'done', changed: false });
    expect(outcome.kind === 'done' && outcome.note).toContain('ARM answered 200');
  });

  it("a 201 is the step's at once", async () => {
    const { driver, grant } = setUp();
    await driver.prepare();
    const outcome = await driver.create(await driver.resolve(grant));
    expect(outcome.kind === 'pending' && outcome.request.createdOnAcceptance).toBe(true);
  });

  it("a 200 after an attempt whose answer was lost is the step's when ARM records it made it", async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare();
    faults().armLostAnswers.push({ method: 'PUT', afterMs: 0, applied: true });
    const outcome = await driver.create(await driver.resolve(grant));
    expect(arm.requests().filter((r) => r.startsWith('PUT'))).toHaveLength(2);
    expect(outcome.kind === 'pending' && outcome.request.createdOnAcceptance).toBe(true);
  });

  it("a 200 after a lost answer is not the step's when someone else made it before the step began", async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare();
    const ids = await driver.resolve(grant);
    arm.add(ids.name!);
    // The first PUT never reaches ARM: its connection is reset.
    faults().armLostAnswers.push({ method: 'PUT', afterMs: 0 });
    const outcome = await driver.create(ids);
    expect(outcome).toMatchObject({ kind: 'done', changed: false });
  });

  it('post step: a lost create is found by its name, creator and time', async () => {
    const { driver, arm, grant, plan } = setUp();
    await driver.prepare();
    const ids = await driver.resolve(grant);
    const since = Date.now() - 1000;
    arm.add(ids.name!, READER, SCOPE, { by: OBJECT_ID, on: new Date(), description: plan.description });
    expect(await driver.findOwnCreate(ids, since)).toEqual({ ownership: 'created' });
  });

  it('post step: an assignment under that name made by another identity, or before the step, is left alone', async () => {
    const { driver, arm, grant } = setUp();
    await driver.prepare();
    const ids = await driver.resolve(grant);
    arm.add(ids.name!, READER, SCOPE, { on: new Date() });
    expect(await driver.findOwnCreate(ids, Date.now() - 1000)).toMatchObject({ ownership: 'not-created' });
    arm.add(ids.name!, READER, SCOPE, { by: OBJECT_ID, on: new Date(Date.now() - 60_000) });
    const earlier = await driver.findOwnCreate(ids, Date.now() - 1000);
    expect(earlier).toMatchObject({ ownership: 'not-created' });
    expect(earlier.ownership === 'not-created' && earlier.why).toContain('not by this step');
  });

  it("post step: nothing under that name is not the step's", async () => {
    // 4 s: the reads again take half of what remains (about 2 s), the rest is the post step's room.
    const { driver, grant } = setUp({}, 4);
    await driver.prepare();
    const found = await driver.findOwnCreate(await driver.resolve(grant), Date.now());
    expect(found).toMatchObject({ ownership: 'not-created' });
  });
});
