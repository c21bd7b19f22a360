// A create whose answer was lost: the main step was killed or its connection died after
// the create left, so its state says `unknown`. The post step asks the service what this step's
// create did before revoking anything, and leaves in place what it cannot show is the step's.
// The state is a real one from a main step, with the entry turned back to what a step killed
// mid-request leaves (`unknown`, no request ID): the same nonce, so only ownership is in question.
import { describe, expect, it } from '@jest/globals';
import type { StepRun } from '../../harness/action-runner.js';
import { awsAssignment, awsInputs, azureInputs, READER, runMain, runPost, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 200 });

const ENTRY = 'cloud-access-grant-0';
/** The main step's state, with its one entry as a step killed right after sending the create leaves it. */
function lostAnswer(main: StepRun, sentAt?: number): Record<string, string> {
  const entry = JSON.parse(main.state[ENTRY]!) as Record<string, unknown>;
  delete entry.requestId;
  return {
    ...main.state,
    [ENTRY]: JSON.stringify({ ...entry, ownership: 'unknown', ...(sentAt ? { sentAt } : {}) }),
  };
}
const deletes = (operation: string) =>
  emulator().requests.filter((r) => r.operation === operation && r.write);

describe('AWS: a create whose answer was lost', () => {
  const inputs = awsInputs({
    principal: 'alice',
    target: '111111111111',
    role: 'ReadOnlyAccess',
    'revoke-on-exit': 'true',
  });
  const assignment = () => awsAssignment('111111111111');

  it('is left in place, with a warning to look, even when IAM Identity Center shows a create request for it SUCCEEDED: its status list does not say who sent it', async () => {
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    emulator().requests.length = 0;
    const post = await runPost(inputs, lostAnswer(main));
    expect(post.exitCode).toBe(0);
    expect(deletes('DeleteAccountAssignment')).toEqual([]);
    // Said in the notice's count, with the reason in the grant's log group and the summary, and in
    // one warning with the command that removes it.
    expect(post.log).toContainEqual(
      '::notice::revoke-on-exit: 0 revoked, 0 already absent, 0 failed, 1 left in place (1 not shown to be its own)',
    );
    expect(post.stdout).toContain('IAM Identity Center does not record who sent a create request');
    expect(post.summary).toContain('left in place');
    expect(post.warnings).toEqual([expect.stringContaining('aws sso-admin delete-account-assignment')]);
    expect(emulator().aws.hasAssignment(assignment())).toBe(true);
  });

  it('is nothing to revoke, without a warning, when the assignment is not there (the create never arrived)', async () => {
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    emulator().aws.state.removeAssignment(assignment());
    emulator().requests.length = 0;
    const post = await runPost(inputs, lostAnswer(main));
    expect(post.exitCode).toBe(0);
    expect(deletes('DeleteAccountAssignment')).toEqual([]);
    expect(post.log).toContainEqual(
      '::notice::revoke-on-exit: 0 revoked, 1 already absent, 0 failed, 0 left in place',
    );
    expect(post.warnings).toEqual([]);
  });
});

describe('Azure: a create whose answer was lost', () => {
  const sub = () => `/subscriptions/${emulator().azure!.subscriptionId}`;

  it("is revoked when ARM records it as created by the step's identity after the create was sent", async () => {
    const principal = emulator().azure!.addPrincipal({ type: 'User', createdAt: 0 });
    const inputs = azureInputs({
      principal,
      target: sub(),
      role: READER,
      'revoke-on-exit': 'true',
    });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    const post = await runPost(inputs, lostAnswer(main));
    expect(post.exitCode).toBe(0);
    expect(emulator().azure!.findRoleAssignment(sub(), principal, READER)).toBeUndefined();
  });

  it('is left in place when ARM records it as made by someone else, under the name the step writes', async () => {
    const principal = emulator().azure!.addPrincipal({ type: 'User', createdAt: 0 });
    const inputs = azureInputs({
      principal,
      target: sub(),
      role: READER,
      'revoke-on-exit': 'true',
    });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    // The step's own create never arrived; what is there under that name another identity made.
    const mine = emulator().azure!.findRoleAssignment(sub(), principal, READER)!;
    emulator().azure!.state.assignments.splice(
      0,
      emulator().azure!.state.assignments.length,
      ...emulator().azure!.state.assignments.filter((a) => a.name !== mine.name),
    );
    emulator().azure!.addRoleAssignment({
      scope: sub(),
      roleDefinitionId: READER,
      principalId: principal,
      name: mine.name,
    });
    emulator().requests.length = 0;
    const post = await runPost(inputs, lostAnswer(main));
    expect(deletes('RoleAssignments_Delete')).toEqual([]);
    expect(post.stdout).toContain('not by this step');
    expect(post.log).toContainEqual(
      expect.stringMatching(/^::notice::.* 1 left in place \(1 not shown to be its own\)$/),
    );
    expect(emulator().azure!.findRoleAssignment(sub(), principal, READER)).toBeDefined();
  });
});

describe('Azure with duration: an AdminAssign whose answer was lost', () => {
  const sub = () => `/subscriptions/${emulator().azure!.subscriptionId}`;
  const timeBound = (principal: string) =>
    azureInputs({
      principal,
      target: sub(),
      role: READER,
      duration: '1h',
      'revoke-on-exit': 'true',
    });
  const active = (principal: string) =>
    emulator()
      .azure!.pim()
      .instances.filter((i) => i.properties.principalId === principal);

  it("is revoked when Azure has this step's request under the name the step sent it with", async () => {
    emulator().azure!.config.pimMinimumActiveMs = 0;
    const principal = emulator().azure!.addPrincipal({ type: 'User', createdAt: 0 });
    const inputs = timeBound(principal);
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    const post = await runPost(inputs, lostAnswer(main));
    expect(post.exitCode).toBe(0);
    expect(emulator().requests.some((r) => r.operation === 'RoleAssignmentScheduleRequests_Get')).toBe(true);
    expect(active(principal)).toEqual([]);
  });

  it('is left in place when Azure has no request under that name (the create never arrived)', async () => {
    const principal = emulator().azure!.addPrincipal({ type: 'User', createdAt: 0 });
    const inputs = timeBound(principal);
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    const state = lostAnswer(main);
    const entry = JSON.parse(state[ENTRY]!) as { name: string };
    state[ENTRY] = JSON.stringify({ ...entry, name: '3b0c4f4e-8e7d-4c1a-9b7e-2d6f5a4c3b21' });
    emulator().requests.length = 0;
    const post = await runPost(inputs, state);
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain('1 left in place (1 not shown to be its own)');
    expect(post.stdout).toMatch(/left in place: Azure has no PIM request [0-9a-f-]{36}: it was never made/);
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
    expect(active(principal)).toHaveLength(1);
  });
});
