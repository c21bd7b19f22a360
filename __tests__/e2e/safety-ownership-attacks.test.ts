// Ownership proven from what the step wrote, under attack: a hostile reviewer's attempts to make the post step revoke what is not
// the step's. Each was a way through once; each `describe` is now a defence that holds.
import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { runStep } from '../../harness/action-runner.js';
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

// Runs and other parties at once: each step in a process of its own.
const emulator = useEmulator({ awsWriteDelayMs: 200, steps: 'processes' });

const ENTRY = 'cloud-access-grant-0';
const ACCOUNT = '111111111111';
const has = (account: string) => emulator().aws.hasAssignment(awsAssignment(account));
const writes = (operation: string) => emulator().requests.filter((r) => r.operation === operation && r.write);
const savedOwnership = (state: Record<string, string>) =>
  state[ENTRY] ? (JSON.parse(state[ENTRY]) as { ownership: string }).ownership : 'none';

const awsStep = (more: Record<string, string> = {}) =>
  awsInputs({
    principal: 'alice',
    target: ACCOUNT,
    role: 'ReadOnlyAccess',
    'revoke-on-exit': 'true',
    ...more,
  });

/** Waits until the emulator has answered `count` CreateAccountAssignment requests. */
async function untilCreates(count = 1): Promise<void> {
  const until = Date.now() + 20_000;
  while (writes('CreateAccountAssignment').length < count) {
    if (Date.now() > until) throw new Error('no CreateAccountAssignment seen');
    await sleep(10);
  }
}

describe('AWS, another party creates the same assignment just after the step, and its create completes first', () => {
  // IAM Identity Center does not promise to process creates in the order it stamped them. The
  // step's create (accepted first, slow) ends SUCCEEDED as a duplicate of the rival's (accepted
  // 10 ms later, fast), which is what made the assignment: a create stamped after the step's own
  // counts as a rival too.
  it("the rival's assignment is not revoked", async () => {
    emulator().aws.config.writeDelayMs = 3_000;
    const running = runMain(awsStep());
    await untilCreates();
    await sleep(10);
    // Another identity's create of the same tuple, accepted after the step's and done at once.
    emulator().aws.state.startAssignmentRequest('create', awsAssignment(ACCOUNT), 0);
    emulator().aws.state.settle();
    expect(has(ACCOUNT)).toBe(true);
    const main = await running;
    expect(main.exitCode).toBe(0);

    emulator().requests.length = 0;
    const post = await runPost(awsStep(), main.state);
    expect(post.exitCode).toBe(0);
    // What the step claims about a create that did not move the tuple from absent to present.
    expect({
      ownership: savedOwnership(main.state),
      deletes: writes('DeleteAccountAssignment').length,
    }).toEqual({
      ownership: expect.not.stringMatching(/^created$/),
      deletes: 0,
    });
    expect(has(ACCOUNT)).toBe(true);
  }, 40_000);
});

describe("AWS, the runner's clock runs 5 s ahead of IAM Identity Center's", () => {
  // AWS accepts SigV4 requests from a clock up to 5 minutes off (and the SDK corrects larger
  // offsets): the proof's window is on the service's clock, calibrated by the step's own create
  // (stamped before its answer arrived), so a rival stamped after the step's first read is in it.
  const FAST_CLOCK = `data:text/javascript,${encodeURIComponent(
    'const realNow = Date.now; Date.now = () => realNow() + 5000;',
  )}`;

  it("a rival create racing the step's (the issue's case 3) is still not taken for the step's own", async () => {
    emulator().aws.faults.rivalCreations.push({ accountId: ACCOUNT });
    const main = await runStep('main', {
      inputs: awsStep(),
      env: emulator().env,
      nodeArgs: ['--import', FAST_CLOCK],
    });
    expect(main.exitCode).toBe(0);
    emulator().requests.length = 0;
    const post = await runStep('post', {
      inputs: awsStep(),
      env: emulator().env,
      state: main.state,
      nodeArgs: ['--import', FAST_CLOCK],
    });
    expect(post.exitCode).toBe(0);
    expect({
      ownership: savedOwnership(main.state),
      deletes: writes('DeleteAccountAssignment').length,
    }).toEqual({
      ownership: 'contested',
      deletes: 0,
    });
    expect(has(ACCOUNT)).toBe(true);
  }, 40_000);
});

describe("Azure, the name the step saved now holds another principal's assignment", () => {
  // The step created its assignment under `assignment-name` (a name shared by design between runs
  // of one principal, role and scope). During the job it was removed, and the name now holds
  // another principal's assignment at the same scope: the post step, which deletes what reads do
  // not show yet, must not send DELETE …/roleAssignments/<saved name>.
  it("the other principal's assignment under that name is left alone", async () => {
    const NAME = '5b7e0c1a-9d2f-4e3b-8a6c-1f0e2d3c4b5a';
    const scope = `${subscription()}/resourceGroups/rg-named`;
    const mine = newPrincipal();
    const theirs = newPrincipal();
    const inputs = azureInputs({
      principal: mine,
      target: scope,
      role: READER,
      'assignment-name': NAME,
      'revoke-on-exit': 'true',
    });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    expect(savedOwnership(main.state)).toBe('created');

    // Someone removes the step's assignment, and the name is used for another principal's.
    const record = azure().state.assignments.find((a) => a.name === NAME)!;
    record.deletedAt = Date.now();
    record.hiddenFrom = Date.now();
    azure().addRoleAssignment({ scope, roleDefinitionId: READER, principalId: theirs, name: NAME });
    expect(azure().findRoleAssignment(scope, theirs, READER)).toBeDefined();

    emulator().requests.length = 0;
    const post = await runPost(inputs, main.state);
    expect(post.exitCode).toBe(0);
    expect(azure().findRoleAssignment(scope, theirs, READER)).toBeDefined();
    expect(writes('RoleAssignments_Delete')).toEqual([]);
  }, 30_000);
});

describe('the post step with its inputs gone or garbage', () => {
  it('every input missing: fails, deletes nothing, and one error names the grant left', async () => {
    const main = await runMain(awsStep());
    expect(main.exitCode).toBe(0);
    emulator().requests.length = 0;
    const post = await runPost({}, main.state);
    expect(post.exitCode).toBe(1);
    expect(writes('DeleteAccountAssignment')).toEqual([]);
    expect(post.errors).toEqual([
      expect.stringContaining(`left in place: alice → ${ACCOUNT} / ReadOnlyAccess`),
    ]);
    expect(has(ACCOUNT)).toBe(true);
  });

  it('`cloud`, `target`, `role`, `principal` and `aws-region` garbage: revokes exactly the saved grant, signed in as main', async () => {
    emulator().aws.addAssignment(awsAssignment('222222222222', 'bob'));
    const main = await runMain(awsStep());
    expect(main.exitCode).toBe(0);
    emulator().requests.length = 0;
    const post = await runPost(
      {
        cloud: 'gcp ##[stop-commands]x',
        principal: 'bob',
        target: '222222222222',
        role: '::warning::x',
        'aws-region': 'mars-1',
        'revoke-on-exit': 'true',
      },
      main.state,
    );
    expect(post.exitCode).toBe(0);
    expect(writes('DeleteAccountAssignment').map((r) => r.input?.TargetId)).toEqual([ACCOUNT]);
    expect(has(ACCOUNT)).toBe(false);
    expect(emulator().aws.hasAssignment(awsAssignment('222222222222', 'bob'))).toBe(true);
  });
});

describe('AWS, the step’s grant is deleted by another party and created again by another job', () => {
  // Job J creates and proves the grant; a reconcile (or a person) deletes it; job L creates it
  // again. `created` was final: J's post step deleted L's grant. Now, before deleting, the post
  // step sees every delete of the assignment and every other create of it since its own.
  const deleteByAnother = () => {
    emulator().aws.state.startAssignmentRequest('delete', awsAssignment(ACCOUNT), 0);
    emulator().aws.state.settle();
  };

  it("J's post step leaves L's grant in place, saying why; L's post step revokes it", async () => {
    const jobJ = await runMain(awsStep());
    expect(jobJ.exitCode).toBe(0);
    expect(savedOwnership(jobJ.state)).toBe('created');
    deleteByAnother();
    expect(has(ACCOUNT)).toBe(false);
    const jobL = await runMain(awsStep());
    expect(jobL.exitCode).toBe(0);
    expect(savedOwnership(jobL.state)).toBe('created');

    emulator().requests.length = 0;
    const postJ = await runPost(awsStep(), jobJ.state);
    expect(postJ.exitCode).toBe(0);
    expect(writes('DeleteAccountAssignment')).toHaveLength(0);
    expect(has(ACCOUNT)).toBe(true);
    expect(postJ.stdout).toMatch(
      /left in place: after this step created it, it was deleted \(request .*\) and created again by another party/,
    );

    const postL = await runPost(awsStep(), jobL.state);
    expect(postL.exitCode).toBe(0);
    expect(has(ACCOUNT)).toBe(false);
  }, 40_000);

  it('deleted since and not made again: nothing is deleted, and the log says who deleted it', async () => {
    const jobJ = await runMain(awsStep());
    deleteByAnother();
    emulator().requests.length = 0;
    const post = await runPost(awsStep(), jobJ.state);
    expect(post.exitCode).toBe(0);
    expect(writes('DeleteAccountAssignment')).toHaveLength(0);
    expect(post.stdout).toMatch(/after this step created it, another party deleted it/);
  }, 40_000);

  it('created again by a person while it stood (no delete): left in place with the warning to look', async () => {
    const jobJ = await runMain(awsStep());
    emulator().aws.state.startAssignmentRequest('create', awsAssignment(ACCOUNT), 0);
    emulator().aws.state.settle();
    const post = await runPost(awsStep(), jobJ.state);
    expect(post.exitCode).toBe(0);
    expect(has(ACCOUNT)).toBe(true);
    expect(post.stdout).toMatch(/another party created it too/);
    expect(post.stdout).toMatch(/::warning::/);
  }, 40_000);

  it('nothing happened to it since: the post step revokes it as before', async () => {
    const jobJ = await runMain(awsStep());
    const post = await runPost(awsStep(), jobJ.state);
    expect(post.exitCode).toBe(0);
    expect(has(ACCOUNT)).toBe(false);
  }, 40_000);
});
