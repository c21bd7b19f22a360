// An assign counts an assignment as the grant it asks for only when it holds the condition asked
// (heldConditionRefusal), and it never rewrites a grant it did not make. These are the same rules
// when ARM's reads lag a write another party made moments before (an assignment ARM has but does
// not list yet): through the bundle, as the runner runs it, against the emulator's read lag. The
// lag is counted in reads (`hiddenForReads`), not in time, so what these tests see depends on the
// order of the step's calls, never on how fast a loaded machine runs them.
import { describe, expect, it } from '@jest/globals';
import { dueAt } from './progress-lines.js';
import {
  azure,
  azureInputs,
  newPrincipal,
  READER,
  resultsOf,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();

const LOGS = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
const ANY = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringLike '*'";

/** More reads than the few seconds' worth a step once gave ARM's reads to catch up. */
const LAG_READS = 8;
/** Reads that never show it, within the tests' deadlines. */
const NEVER = 1_000_000;

const creates = () =>
  emulator()
    .requests.filter((r) => r.operation === 'RoleAssignments_Create')
    .map((r) => [r.status, r.errorCode ?? null]);

/** The step's reads of assignments (GETs and lists), in the order it made them. */
const reads = () =>
  emulator().requests.filter(
    (r) => r.operation === 'RoleAssignments_ListForScope' || r.operation === 'RoleAssignments_Get',
  );
/** Its reads after its first PUT: those that looked for the assignment the 409 said is held. */
const readsAfterCreate = () => {
  const put = emulator().requests.findIndex((r) => r.operation === 'RoleAssignments_Create');
  return reads().filter((r) => emulator().requests.indexOf(r) > put);
};

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
      hiddenForReads: 1, // the step's list before its PUT
    });
    const step = await runMain(
      azureInputs({ principal, target: scope, role: READER, condition: LOGS, 'revoke-on-exit': 'true' }),
    );
    expect(creates()).toEqual([[409, 'RoleAssignmentExists']]);
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toContain('already holds this role at this scope with condition: none');
  });

  // ARM's reads can lag its writes by seconds: the held assignment is read again (with the
  // progress lines, within `timeout-seconds`) until a read shows it, then judged as above.
  it('a 409 for the grant asked, shown only seconds later, is the grant: SUCCEEDED unchanged, and the post step revokes nothing', async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-race-409-late`;
    azure().addRoleAssignment({
      scope,
      roleDefinitionId: READER,
      principalId: principal,
      principalType: 'User',
      condition: LOGS,
      conditionVersion: '2.0',
      hiddenForReads: LAG_READS,
    });
    const inputs = azureInputs({
      principal,
      target: scope,
      role: READER,
      condition: LOGS,
      'revoke-on-exit': 'true',
    });
    const step = await runMain(inputs);
    expect(creates()).toEqual([[409, 'RoleAssignmentExists']]);
    expect(step.exitCode).toBe(0);
    expect(resultsOf(step)).toEqual([expect.objectContaining({ status: 'SUCCEEDED', changed: false })]);
    // Read again until the lag was over, not given up a few reads in: the reads that missed it
    // (before the PUT and after it) were followed by one that showed it.
    expect(reads().length).toBeGreaterThan(LAG_READS);
    expect(readsAfterCreate().length).toBeGreaterThan(1);

    emulator().requests.length = 0;
    const post = await runPost(inputs, step.state);
    expect(post.exitCode).toBe(0);
    expect(emulator().requests.filter((r) => r.operation === 'RoleAssignments_Delete')).toEqual([]);
    expect(azure().findRoleAssignment(scope, principal, READER)).toBeDefined();
  }, 60_000);

  it('a 409 for an assignment shown only seconds later under another condition fails the grant, naming both', async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-race-409-late-other`;
    azure().addRoleAssignment({
      scope,
      roleDefinitionId: READER,
      principalId: principal,
      principalType: 'User',
      condition: ANY,
      conditionVersion: '2.0',
      hiddenForReads: LAG_READS,
    });
    const step = await runMain(azureInputs({ principal, target: scope, role: READER, condition: LOGS }));
    expect(creates()).toEqual([[409, 'RoleAssignmentExists']]);
    expect(step.exitCode).not.toBe(0);
    expect(resultsOf(step)).toEqual([expect.objectContaining({ status: 'FAILED' })]);
    expect(step.stdout).toContain(
      `already holds this role at this scope with condition: \`${ANY}\`, not the condition: \`${LOGS}\``,
    );
    expect(azure().findRoleAssignment(scope, principal, READER)).toMatchObject({
      properties: { condition: ANY },
    });
  }, 60_000);

  it('a 409 for an assignment no read shows by `timeout-seconds` fails, saying it was still unread then, and says where it stands while it waits', async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-race-409-hidden`;
    azure().addRoleAssignment({
      scope,
      roleDefinitionId: READER,
      principalId: principal,
      principalType: 'User',
      hiddenForReads: NEVER,
    });
    const step = await runMain(
      // The deadline leaves the progress line's 10 s to the reads however long a loaded machine
      // takes to start the step and sign in (the deadline counts from the step's start).
      azureInputs({ principal, target: scope, role: READER, condition: LOGS, 'timeout-seconds': '30' }),
    );
    expect(creates()).toEqual([[409, 'RoleAssignmentExists']]);
    expect(step.exitCode).not.toBe(0);
    expect(resultsOf(step)).toEqual([expect.objectContaining({ status: 'FAILED' })]);
    expect(step.stdout).toContain(
      'no read showed that assignment, so whether it holds the condition: `@Resource',
    );
    expect(step.stdout).toContain(
      'still unread when the 30s deadline (`timeout-seconds`) passed: raise `timeout-seconds`',
    );
    // The line due at 10 s, which a timer late on a busy machine prints at 11 (./progress-lines.ts).
    expect(step.stdout).toMatch(
      new RegExp(
        `^still working after ${dueAt(10)}: 0 of 1 grants done, 1 in flight, 0 queued; the oldest in flight for \\d+ s$`,
        'm',
      ),
    );
  }, 60_000);

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
      hiddenForReads: NEVER,
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
