// An assign counts an assignment it finds as the grant it asks for only when it holds the
// condition asked (none when no `condition` is given). ARM keeps one assignment per principal,
// role and scope, so one held under another condition can be neither created beside nor counted
// as made; the grant fails saying which condition is held, and the held one is left as it is. A
// revoke removes the role at the scope whatever its condition, as before.
import { describe, expect, it } from '@jest/globals';
import { emulatedArm, PRINCIPAL, READER, SCOPE } from '../../harness/emulated-arm.js';
import { signedInDriver } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const NAME = '5f0c7a3e-1b2d-4c6e-8f9a-0b1c2d3e4f50';
const LOGS = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";

function held(condition: string | undefined) {
  arm.az.addRoleAssignment({
    scope: SCOPE,
    roleDefinitionId: READER,
    principalId: PRINCIPAL,
    principalType: 'User',
    name: NAME,
    ...(condition ? { condition, conditionVersion: '2.0' } : {}),
  });
}

async function found(operation: 'assign' | 'revoke', inputs: Record<string, string>) {
  const { driver, grant } = signedInDriver(arm, inputs);
  await driver.prepare({ operation, grants: [grant], proveOwnership: false });
  return driver.findExisting(await driver.resolve(grant));
}

describe('an assign finds its assignment only with the condition it asks for', () => {
  it('an unconditioned assignment is not a conditioned grant: the grant fails naming both, and nothing is written', async () => {
    held(undefined);
    const error = await found('assign', { condition: LOGS }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      input: 'condition',
      message: expect.stringContaining(
        'already holds this role at this scope with condition: none, not the condition: `@Resource',
      ),
      fix: expect.stringContaining('`operation: reconcile`'),
    });
    expect(arm.requests().filter((r) => !r.startsWith('GET'))).toEqual([]);
  });

  it('a conditioned assignment is not an unconditioned grant either', async () => {
    held(LOGS);
    await expect(found('assign', {})).rejects.toMatchObject({
      message: expect.stringContaining(
        "with condition: `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'`, not the condition: none asked",
      ),
    });
  });

  it('the same condition is the grant, already there', async () => {
    held(LOGS);
    await expect(found('assign', { condition: LOGS })).resolves.toMatchObject({ name: NAME });
  });

  it('a revoke finds the role at the scope whatever its condition', async () => {
    held(LOGS);
    await expect(found('revoke', {})).resolves.toMatchObject({ name: NAME });
  });
});
