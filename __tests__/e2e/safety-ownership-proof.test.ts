// Ownership proven from what the step wrote: the post step revokes exactly the grants
// its main step saved, as written and resolved, never what its own (re-evaluated) inputs name; a
// grant is the step's only when the service's record proves that the step's own write made it;
// and saved grants the post step may not act on fail the step instead of passing in silence.
import { describe, expect, it } from '@jest/globals';
import type { AzureFaults } from '../../emulator/azure/index.js';
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

// Two runs at once: each step in a process of its own.
const emulator = useEmulator({ awsWriteDelayMs: 200, steps: 'processes' });

const writes = (operation: string) => emulator().requests.filter((r) => r.operation === operation && r.write);
const has = (account: string) => emulator().aws.hasAssignment(awsAssignment(account));
const ENTRY = 'cloud-access-grant-0';

describe('the post step revokes what the main step saved, not what its own inputs name now', () => {
  const inputs = (target: string, more: Record<string, string> = {}) =>
    awsInputs({ principal: 'alice', target, role: 'ReadOnlyAccess', 'revoke-on-exit': 'true', ...more });

  it('AWS: its `target` now names another account: that account keeps its grant, and the one main created is revoked', async () => {
    emulator().aws.addAssignment(awsAssignment('333333333333'));
    const main = await runMain(inputs('111111111111'));
    expect(main.exitCode).toBe(0);
    // `target: ${{ env.ACCOUNTS }}`, and a later step changed ACCOUNTS.
    const post = await runPost(inputs('333333333333'), main.state);
    expect(post.exitCode).toBe(0);
    expect(has('111111111111')).toBe(false);
    expect(has('333333333333')).toBe(true);
  });

  it('AWS: the same accounts in another order: the grant that existed before stays, the created one goes', async () => {
    emulator().aws.addAssignment(awsAssignment('222222222222'));
    const main = await runMain(inputs('111111111111,222222222222'));
    expect(main.exitCode).toBe(0);
    const post = await runPost(inputs('222222222222,111111111111'), main.state);
    expect(post.exitCode).toBe(0);
    expect(has('111111111111')).toBe(false);
    expect(has('222222222222')).toBe(true);
  });

  it('AWS: an extra target, or one that is not valid now, changes nothing: the saved grant is revoked', async () => {
    for (const target of ['111111111111,444444444444', 'not-an-account']) {
      const main = await runMain(inputs('111111111111'));
      expect(main.exitCode).toBe(0);
      const post = await runPost(inputs(target), main.state);
      expect({ target, exitCode: post.exitCode, has: has('111111111111') }).toEqual({
        target,
        exitCode: 0,
        has: false,
      });
      expect(post.stdout).not.toContain('nothing to revoke');
    }
    expect(has('444444444444')).toBe(false);
    expect(emulator().requests.filter((r) => r.input?.TargetId === '444444444444')).toEqual([]);
  });

  it('AWS: its `aws-region` now differs: it signs in as the main step did, says so, and revokes', async () => {
    const main = await runMain(inputs('111111111111'));
    expect(main.exitCode).toBe(0);
    const post = await runPost(inputs('111111111111', { 'aws-region': 'eu-west-1' }), main.state);
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain(
      "revoke-on-exit: this step's inputs now sign in to AWS Region eu-west-1 as arn:aws:iam::123456789012:role/cloud-access; the post step signs in as the main step did, to AWS Region us-east-1",
    );
    expect(has('111111111111')).toBe(false);
  });

  it('Azure: its `target` now names another scope: the assignment there stays, and the one main created is revoked', async () => {
    const principal = newPrincipal();
    const rg = (name: string) => `${subscription()}/resourceGroups/${name}`;
    azure().addRoleAssignment({ scope: rg('rg-other'), roleDefinitionId: READER, principalId: principal });
    const azureStep = (target: string) =>
      azureInputs({ principal, target, role: READER, 'revoke-on-exit': 'true' });
    const main = await runMain(azureStep(rg('rg-deploy')));
    expect(main.exitCode).toBe(0);
    const post = await runPost(azureStep(rg('rg-other')), main.state);
    expect(post.exitCode).toBe(0);
    expect(azure().findRoleAssignment(rg('rg-deploy'), principal, READER)).toBeUndefined();
    expect(azure().findRoleAssignment(rg('rg-other'), principal, READER)).toBeDefined();
  });
});

describe('the post step fails closed when it may not act on what the main step saved', () => {
  const inputs = (more: Record<string, string> = {}) =>
    awsInputs({
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
      ...more,
    });

  it('`revoke-on-exit` is now false: nothing is revoked, and one error names the grant left and how to remove it', async () => {
    const main = await runMain(inputs());
    expect(main.exitCode).toBe(0);
    emulator().requests.length = 0;
    const post = await runPost(inputs({ 'revoke-on-exit': 'false' }), main.state);
    expect(post.exitCode).toBe(1);
    expect(writes('DeleteAccountAssignment')).toEqual([]);
    expect(post.errors).toHaveLength(1);
    expect(post.errors[0]).toMatch(
      /^revoke-on-exit: the post step's `revoke-on-exit` input is now false .*, so the 1 grant the main step created is left in place: alice → 111111111111 \/ ReadOnlyAccess \(aws sso-admin delete-account-assignment --instance-arn arn:aws:sso:::instance\/ssoins-\S+ --target-type AWS_ACCOUNT --target-id 111111111111 --permission-set-arn arn:aws:sso:::permissionSet\/\S+ --principal-type USER --principal-id \S+\)\. Remove it by hand if not needed$/,
    );
    expect(has('111111111111')).toBe(true);
  });

  it('`post-timeout-seconds` is not valid now: nothing is revoked, and the error names the input and the grant left', async () => {
    const main = await runMain(inputs());
    expect(main.exitCode).toBe(0);
    const post = await runPost(inputs({ 'post-timeout-seconds': 'soon' }), main.state);
    expect(post.exitCode).toBe(1);
    expect(post.errors).toEqual([expect.stringContaining('post-timeout-seconds')]);
    expect(post.errors[0]).toContain('left in place: alice → 111111111111 / ReadOnlyAccess');
    expect(has('111111111111')).toBe(true);
  });
});

describe("AWS: a grant is the step's only when its own create is proven to have made it", () => {
  const inputs = awsInputs({
    principal: 'alice',
    target: '111111111111',
    role: 'ReadOnlyAccess',
    'revoke-on-exit': 'true',
  });

  it("another party's create of the same assignment raced the step's (the duplicate create ends SUCCEEDED): left in place, and said so", async () => {
    emulator().aws.faults.rivalCreations.push({ accountId: '111111111111' });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    emulator().requests.length = 0;
    const post = await runPost(inputs, main.state);
    expect(writes('DeleteAccountAssignment')).toEqual([]);
    expect(post.exitCode).toBe(0);
    expect(has('111111111111')).toBe(true);
    expect(main.stdout).toContain(
      'revoke-on-exit leaves it in place: another create request for the same assignment',
    );
    expect((JSON.parse(main.state[ENTRY]!) as { ownership: string }).ownership).toBe('contested');
    // Still there when the job ends, and perhaps the step's: one warning, with how to remove it.
    expect(post.warnings).toEqual([
      expect.stringMatching(
        /left in place: alice → 111111111111 \/ ReadOnlyAccess \(aws sso-admin delete-account-assignment /,
      ),
    ]);
  });

  it('a create whose answer was lost, while another identity created the same assignment: left in place, with a warning to look', async () => {
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    const saved = JSON.parse(main.state[ENTRY]!) as Record<string, unknown>;
    // As if the step's create had never arrived: what is there another identity made, during the job.
    emulator().aws.state.removeAssignment(awsAssignment('111111111111'));
    emulator().aws.state.startAssignmentRequest('create', awsAssignment('111111111111'), 0);
    emulator().aws.state.settle();
    const { requestId: _lost, ...unanswered } = saved;
    const state = { ...main.state, [ENTRY]: JSON.stringify({ ...unanswered, ownership: 'unknown' }) };
    emulator().requests.length = 0;
    const post = await runPost(inputs, state);
    expect(post.exitCode).toBe(0);
    expect(writes('DeleteAccountAssignment')).toEqual([]);
    expect(has('111111111111')).toBe(true);
    expect(post.warnings).toEqual([
      expect.stringMatching(
        /^revoke-on-exit: the service cannot show that this step created them .*, so the 1 grant that may be the main step's is left in place: alice → 111111111111 \/ ReadOnlyAccess \(aws sso-admin delete-account-assignment /,
      ),
    ]);
  });
});

describe('Azure: two runs of the same identity granting the same assignment at once', () => {
  it("the run whose first PUT got no answer does not take the other run's assignment for its own", async () => {
    const principal = newPrincipal();
    const scope = `${subscription()}/resourceGroups/rg-shared`;
    const inputs = azureInputs({ principal, target: scope, role: READER, 'revoke-on-exit': 'true' });
    // Run A's first PUT is lost (not applied); run B's, sent meanwhile, is answered 201; then A's
    // connection is reset and A retries. Reset by hand once B has ended: however slow B's start.
    const lost: AzureFaults['armLostAnswers'][number] = {
      method: 'PUT',
      pathIncludes: 'roleAssignments/',
      afterMs: 600_000,
    };
    azure().faults.armLostAnswers.push(lost);
    const a = runMain(inputs);
    while (!emulator().requests.some((r) => r.operation === 'RoleAssignments_Create'))
      await new Promise((resolve) => setTimeout(resolve, 20));
    const b = await runMain(inputs);
    lost.resetNow!();
    const mainA = await a;
    expect([mainA.exitCode, b.exitCode]).toEqual([0, 0]);

    emulator().requests.length = 0;
    const postA = await runPost(inputs, mainA.state);
    expect(writes('RoleAssignments_Delete')).toEqual([]);
    expect(azure().findRoleAssignment(scope, principal, READER)).toBeDefined();
    expect(postA.exitCode).toBe(0);
    // B's create made it (201); A's retry, under a name of A's own, met it (409): not A's.
    expect([resultsChanged(mainA), resultsChanged(b)]).toEqual([false, true]);
    // A relies on what B made, and registered that (its marker after B's): B's post step leaves it
    // for the sweep, which ends it once the run has ended, saying why.
    expect(mainA.stdout).toContain('already in place; reliance registered for the sweep');
    const postB = await runStep('post', { inputs, env: emulator().env, state: b.state });
    expect(postB.exitCode).toBe(0);
    expect(postB.stdout).toContain('relied on by run 1234567890 attempt 1: the sweep ends it');
    expect(azure().findRoleAssignment(scope, principal, READER)).toBeDefined();
  }, 90_000);
});

function resultsChanged(step: { outputs: Record<string, string> }): boolean {
  return (JSON.parse(step.outputs.results ?? '[]') as { changed: boolean }[])[0]?.changed ?? false;
}
