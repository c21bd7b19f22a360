// An assign counts an assignment as the grant it asks for only when it holds the condition asked
// (heldConditionRefusal), and it never rewrites a grant it did not make. These are the same rules
// when ARM's reads lag a write another party made moments before (an assignment ARM has but does
// not list yet): through the bundle, as the runner runs it, against the emulator's read lag.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, newPrincipal, READER, runMain, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();

const LOGS = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
const ANY = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringLike '*'";

const creates = () =>
  emulator()
    .requests.filter((r) => r.operation === 'RoleAssignments_Create')
    .map((r) => [r.status, r.errorCode ?? null]);

describe('Azure: an assignment held under another condition, made moments ago (reads lag)', () => {
  // With the default fresh name, the step's list misses the held assignment (ARM's reads lag) and
  // its PUT answers 409 RoleAssignmentExists: the held assignment is read until a read shows it,
  // and counts as the grant only with the condition asked; one no read shows is not proven.
  it('a 409 RoleAssignmentExists for an unconditioned assignment fails a conditioned grant, naming both conditions', async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-race-409`;
    azure().addRoleAssignment({
      scope,
      roleDefinitionId: READER,
      principalId: principal,
      principalType: 'User',
      hiddenForMs: 1_500,
    });
    const step = await runMain(
      azureInputs({ principal, target: scope, role: READER, condition: LOGS, 'revoke-on-exit': 'true' }),
    );
    expect(creates()).toEqual([[409, 'RoleAssignmentExists']]);
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toContain('already holds this role at this scope with condition: none');
  });

  it('a 409 for an assignment no read shows yet is not counted as the grant', async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-race-409-hidden`;
    azure().addRoleAssignment({
      scope,
      roleDefinitionId: READER,
      principalId: principal,
      principalType: 'User',
      hiddenForMs: 60_000,
    });
    const step = await runMain(azureInputs({ principal, target: scope, role: READER, condition: LOGS }));
    expect(creates()).toEqual([[409, 'RoleAssignmentExists']]);
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toContain('no read shows that assignment yet');
  });

  // With `assignment-name` (a GUID two steps may share), the step's GET by name misses an
  // assignment another party made moments ago (ARM's reads lag), and its PUT under that name is
  // ARM's "create or update": it answers 200, having rewritten the held assignment's condition and
  // description to the step's. ARM takes no condition on a PUT, so this cannot be prevented: the
  // step fails, says what happened and what the assignment now holds, and leaves it to a person.
  it("a PUT under a shared `assignment-name` that rewrote another party's assignment fails, saying so", async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-race-200`;
    const name = '2a6e4c8d-1f3b-4d5e-9a7c-0b2d4f6a8c1e';
    azure().addRoleAssignment({
      scope,
      roleDefinitionId: READER,
      principalId: principal,
      principalType: 'User',
      name,
      condition: LOGS,
      conditionVersion: '2.0',
      description: 'narrowed to the logs container by the platform team',
      hiddenForMs: 60_000,
    });
    const step = await runMain(
      azureInputs({ principal, target: scope, role: READER, condition: ANY, 'assignment-name': name }),
    );
    expect(creates()).toEqual([[200, null]]);
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toContain(`ARM answered 200 to this step's PUT under \`assignment-name\` ${name}`);
    expect(step.stdout).toContain('what it held before cannot be read back');
  });
});
