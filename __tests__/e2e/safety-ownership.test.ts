// Revoke only what the step created: revoke-on-exit removes a grant only when the
// cloud confirmed that this step created it. An assignment someone else made (under the very name
// the step writes, or while every create of the step was refused) is never revoked.
import { describe, expect, it } from '@jest/globals';
import {
  awsAssignment,
  awsInputs,
  azure,
  azureInputs,
  newPrincipal,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 200 });

const deletes = (operation: string) =>
  emulator().requests.filter((r) => r.operation === operation && r.write);

describe('Azure: a grant the step did not create', () => {
  it('is not revoked when ARM answers 200 because an assignment of the same `assignment-name` already existed (reads not showing it yet)', async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-foreign`;
    // Another actor made it moments ago, under the name the workflow gives, so reads miss it.
    const name = '7d3c5e1a-9b2f-4c8d-a6e4-1f0b3d5c7a92';
    azure().addRoleAssignment({
      scope,
      roleDefinitionId: READER,
      principalId: principal,
      name,
      hiddenForMs: 60_000,
    });
    const inputs = azureInputs({
      principal,
      target: scope,
      role: READER,
      'assignment-name': name,
      'revoke-on-exit': 'true',
    });

    const main = await runMain(inputs);
    // ARM's create-or-update rewrote an assignment the step did not make: it fails, saying so.
    expect(main.exitCode).toBe(1);
    expect(main.stdout).toContain("ARM answered 200 to this step's PUT under `assignment-name`");
    // The PUT reached the assignment that was there: 200, not 201.
    expect(
      emulator()
        .requests.filter((r) => r.operation === 'RoleAssignments_Create')
        .map((r) => r.status),
    ).toEqual([200]);

    emulator().requests.length = 0;
    const post = await runPost(inputs, main.state);
    expect(post.exitCode).toBe(0);
    expect(deletes('RoleAssignments_Delete')).toEqual([]);
    expect(azure().findRoleAssignment(scope, principal, READER)).toMatchObject({ name });
  });

  it('is not revoked, and never shares a name, when the assignment is there under another name reads do not show yet (409)', async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-hidden`;
    azure().addRoleAssignment({
      scope,
      roleDefinitionId: READER,
      principalId: principal,
      hiddenForMs: 60_000,
    });
    const inputs = azureInputs({
      principal,
      target: scope,
      role: READER,
      'revoke-on-exit': 'true',
      'timeout-seconds': '5',
    });
    const main = await runMain(inputs);
    // ARM says it exists, and no read shows it by the deadline: whether it is the grant asked cannot be told.
    expect(main.exitCode).toBe(1);
    expect(main.stdout).toContain('no read showed that assignment');
    expect(main.stdout).toContain('still unread when the 5s deadline (`timeout-seconds`) passed');
    expect(
      emulator()
        .requests.filter((r) => r.operation === 'RoleAssignments_Create')
        .map((r) => [r.status, r.errorCode]),
    ).toEqual([[409, 'RoleAssignmentExists']]);
    emulator().requests.length = 0;
    const post = await runPost(inputs, main.state);
    expect(post.exitCode).toBe(0);
    expect(deletes('RoleAssignments_Delete')).toEqual([]);
    expect(azure().findRoleAssignment(scope, principal, READER)).toBeDefined();
  });

  it('is revoked when the step created it (ARM answered 201)', async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-own`;
    const inputs = azureInputs({
      principal,
      target: scope,
      role: READER,
      'revoke-on-exit': 'true',
    });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    expect(
      emulator()
        .requests.filter((r) => r.operation === 'RoleAssignments_Create')
        .map((r) => r.status),
    ).toEqual([201]);
    expect(azure().findRoleAssignment(scope, principal, READER)).toBeDefined();

    const post = await runPost(inputs, main.state);
    expect(post.exitCode).toBe(0);
    expect(azure().findRoleAssignment(scope, principal, READER)).toBeUndefined();
    expect(deletes('RoleAssignments_Delete')).toHaveLength(1);
  });
});

describe('AWS: a grant the step did not create', () => {
  const inputs = awsInputs({
    principal: 'alice',
    target: '111111111111',
    role: 'ReadOnlyAccess',
    'revoke-on-exit': 'true',
    'timeout-seconds': '3',
  });

  /**
   * Every create of the main step is refused; then another actor makes the same assignment, and
   * the post step runs with the main step's state.
   */
  async function refusedThenMadeByAnother(arrange: () => void) {
    arrange();
    const main = await runMain(inputs);
    expect(main.exitCode).not.toBe(0);
    const creates = emulator().requests.filter((r) => r.operation === 'CreateAccountAssignment');
    expect(creates.length).toBeGreaterThanOrEqual(1);
    expect(creates.every((r) => r.status >= 400)).toBe(true);
    expect(emulator().aws.state.creations.size).toBe(0);

    emulator().aws.faults.conflictRate = 0;
    emulator().aws.faults.failRequests = [];
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    emulator().requests.length = 0;
    const post = await runPost(inputs, main.state);
    expect(deletes('DeleteAccountAssignment')).toEqual([]);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(true);
    expect(post.exitCode).toBe(0);
  }

  it('is not revoked after every create was refused with ConflictException', async () => {
    await refusedThenMadeByAnother(() => (emulator().aws.faults.conflictRate = 1));
    expect(emulator().aws.stats.errors.ConflictException ?? 0).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('is not revoked after every create was refused with ThrottlingException', async () => {
    await refusedThenMadeByAnother(
      () =>
        (emulator().aws.faults.failRequests = [
          {
            operation: 'CreateAccountAssignment',
            status: 400,
            code: 'ThrottlingException',
            message: 'Rate exceeded',
          },
        ]),
    );
  }, 30_000);

  it('is revoked when the step created it (the create ended SUCCEEDED)', async () => {
    // The 3 s that end the refused creates' retries above could end this create's wait too, on a busy machine.
    const created = { ...inputs, 'timeout-seconds': '30' };
    const main = await runMain(created);
    expect(main.exitCode).toBe(0);
    expect(JSON.parse(main.outputs.results!)).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
    const post = await runPost(created, main.state);
    expect(post.exitCode).toBe(0);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(false);
    expect(deletes('DeleteAccountAssignment')).toHaveLength(1);
  });
});
