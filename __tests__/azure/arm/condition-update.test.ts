// A reconcile's update of an assignment's condition, against the emulated ARM: a PUT to the
// assignment's own name with what it holds and the file's condition ("Add or edit Azure role
// assignment conditions using the REST API": Edit a condition, Delete a condition).
import { describe, expect, it } from '@jest/globals';
import { waitForTerminalStatus } from '../../../src/engine/run/wait-for-status.js';
import { emulatedArm, PRINCIPAL, READER, SCOPE } from '../../harness/emulated-arm.js';
import { signedInDriver } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const NAME = '0b7c1c53-6f4e-4d7e-9a57-3d2f1c0e9b81';
const A = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs-a'";
const B = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs-b'";

/** PRINCIPAL's Reader at SCOPE under NAME, written by hand with `condition`; the driver writes the file's `wanted`. */
async function outdated(condition: string | undefined, wanted: string | undefined) {
  arm.az.addRoleAssignment({
    scope: SCOPE,
    roleDefinitionId: READER,
    principalId: PRINCIPAL,
    principalType: 'User',
    name: NAME,
    description: 'added in the portal',
    ...(condition ? { condition, conditionVersion: '2.0' } : {}),
  });
  const { driver, grant, deadline } = signedInDriver(arm, wanted ? { condition: wanted } : {});
  const ids = { ...(await driver.resolve(grant)), name: NAME };
  const update = () => driver.update(ids, { name: NAME, outdated: 'the test’s' });
  return { update, deadline };
}
const held = () => arm.az.findRoleAssignment(SCOPE, PRINCIPAL, READER)!.properties;

describe('an update writes the file’s condition in place, and nothing else of the assignment', () => {
  it('PUTs the assignment’s own name with its description and type as read, and is done once two reads show the condition', async () => {
    const { update, deadline } = await outdated(undefined, A);
    const outcome = await update();
    if (outcome.kind !== 'pending') throw new Error(`expected pending, got ${JSON.stringify(outcome)}`);
    expect(arm.requests().filter((r) => r.startsWith('PUT'))).toEqual([
      `PUT ${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${NAME}`,
    ]);
    expect(arm.lastBody()).toEqual({
      roleDefinitionId: expect.stringContaining(READER),
      principalId: PRINCIPAL,
      principalType: 'User',
      description: 'added in the portal',
      condition: A,
      conditionVersion: '2.0',
    });
    expect(await waitForTerminalStatus(() => outcome.request.poll(), { deadline })).toEqual({
      status: 'SUCCEEDED',
    });
    expect(held()).toMatchObject({
      condition: A,
      conditionVersion: '2.0',
      description: 'added in the portal',
    });
  });

  it('replaces another condition with the file’s', async () => {
    const { update } = await outdated(B, A);
    expect((await update()).kind).toBe('pending');
    expect(held().condition).toBe(A);
  });

  it('removes a condition the file does not write by sending both as empty strings (Delete a condition)', async () => {
    const { update } = await outdated(B, undefined);
    expect((await update()).kind).toBe('pending');
    expect(arm.lastBody()).toMatchObject({ condition: '', conditionVersion: '' });
    expect(held().condition ?? null).toBeNull();
  });

  it('writes nothing when the assignment already has the file’s condition', async () => {
    const { update } = await outdated(A, A);
    expect(await update()).toMatchObject({ kind: 'done', changed: false });
    expect(arm.requests().filter((r) => r.startsWith('PUT'))).toEqual([]);
  });
});

describe('an update that cannot be written says what state the assignment is in', () => {
  it('refused: FAILED, the assignment unchanged, with the condition it still has', async () => {
    const { update } = await outdated(B, A);
    arm.az.faults.armFailures.push({
      method: 'PUT',
      pathIncludes: NAME,
      status: 403,
      code: 'AuthorizationFailed',
      message: 'no write for the test',
    });
    const outcome = await update();
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.failureReason).toMatch(
      /AuthorizationFailed.*; the assignment \/subscriptions\/.*\/roleAssignments\/0b7c1c53-6f4e-4d7e-9a57-3d2f1c0e9b81 is unchanged: it still has condition: `@Resource\[.*'logs-b'`$/,
    );
    expect(held().condition).toBe(B);
  });

  it('the name holds nothing now (deleted since the read): FAILED, nothing written', async () => {
    const { update } = await outdated(undefined, A);
    const { assignments } = arm.az.state;
    assignments.splice(
      assignments.findIndex((a) => a.name === NAME),
      1,
    );
    const outcome = await update();
    expect(outcome.kind === 'failed' && outcome.failureReason).toMatch(/is gone .*nothing was written/);
    expect(arm.requests().filter((r) => r.startsWith('PUT'))).toEqual([]);
  });
});
