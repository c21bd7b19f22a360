// Overlapping jobs: two matrix jobs granting the same assignment at the same moment both succeed,
// the assignment exists once, and only a job that can prove it made it, and that nothing was added
// to since, revokes it; a job that relies on a grant it did not make registers that where it can
// (Azure: a reliance marker, after which the sweep ends the grant once the run has ended), and says
// so in its main step (a notice) where it cannot.
import { describe, expect, it } from '@jest/globals';
import { runStep, type StepRun } from '../../harness/action-runner.js';
import { awsAssignment, awsInputs, azureInputs, newPrincipal, READER, useEmulator } from './fixture.js';

// Both jobs' creates must be sent while the other's is still IN_PROGRESS (not yet listed), as
// when matrix jobs start together: a loaded machine can start the two processes a second apart.
const emulator = useEmulator({ awsWriteDelayMs: 2_000 });

const succeededCreates = (operation: string) =>
  emulator().requests.filter((r) => r.operation === operation && r.status >= 200 && r.status < 300);

/** Two matrix jobs: both main steps at once, and later both post steps at once. */
function twoJobs(inputs: Record<string, string>) {
  const job = (n: number) => ({ inputs, env: { ...emulator().env, GITHUB_JOB: `deploy-${n}` } });
  return {
    mains: () => Promise.all([runStep('main', job(1)), runStep('main', job(2))]),
    posts: (mains: StepRun[]) =>
      Promise.all(mains.map((m, i) => runStep('post', { ...job(i + 1), state: m.state }))),
  };
}

const OTHER_RUN_NOTICE =
  'another run that made it may remove it with its own revoke-on-exit while this job runs';
/** The jobs whose main step said it relies on a grant another run made. */
const relying = (mains: StepRun[]) =>
  mains.filter((m) => m.log.some((line) => line.startsWith('::notice::') && line.includes(OTHER_RUN_NOTICE)));

describe('two jobs granting the same assignment at once', () => {
  it('AWS: both succeed, the assignment exists once, and neither job can prove it made it: both leave it in place and say so', async () => {
    const inputs = awsInputs({
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
    });
    const jobs = twoJobs(inputs);
    const mains = await jobs.mains();
    for (const m of mains) {
      expect(m.exitCode).toBe(0);
      expect(m.outputs.status).toBe('SUCCEEDED');
    }
    const assignment = awsAssignment('111111111111');
    // Two creates of one tuple end as one assignment (IAM Identity Center keys it by the tuple).
    expect(succeededCreates('CreateAccountAssignment')).toHaveLength(2);
    expect(emulator().aws.assignments()).toHaveLength(1);
    // Both creates ran at once and both ended SUCCEEDED: IAM Identity Center does not say which
    // made the assignment, so neither job may take it for its own.
    expect(relying(mains)).toHaveLength(2);

    const posts = await jobs.posts(mains);
    expect(succeededCreates('DeleteAccountAssignment')).toEqual([]);
    expect(emulator().aws.hasAssignment(assignment)).toBe(true);
    for (const p of posts) {
      expect(p.exitCode).toBe(0);
      expect(p.warnings).toEqual([expect.stringContaining('aws sso-admin delete-account-assignment')]);
    }
  });

  it("Azure: both succeed, the assignment exists once, the job relying on the other's grant registers it, and the last run to end ends it", async () => {
    const azure = emulator().azure!;
    const p = newPrincipal();
    const scope = `/subscriptions/${azure.subscriptionId}/resourceGroups/rg-deploy`;
    const inputs = azureInputs({
      principal: p,
      target: scope,
      role: READER,
      'revoke-on-exit': 'true',
    });
    const jobs = twoJobs(inputs);
    const mains = await jobs.mains();
    for (const m of mains) {
      expect(m.exitCode).toBe(0);
      expect(m.outputs.status).toBe('SUCCEEDED');
    }
    // Each run writes under a name of its own: the second PUT meets the first's assignment (409),
    // and that job appends its reliance marker (the run's own: both jobs are of one run).
    const made = azure.roleAssignments().filter((a) => a.properties.principalId === p);
    expect(made).toHaveLength(1);
    expect(made[0]!.properties.description).toMatch(
      /\[cloud-access:octo-org\/octo-repo:run:1234567890:1:e\] \[cloud-access:octo-org\/octo-repo:run:1234567890:1:r\]$/,
    );
    expect(relying(mains)).toEqual([]);
    expect(
      mains.filter((m) => m.stdout.includes('already in place; reliance registered for the sweep')),
    ).toHaveLength(1);

    // The job that made it leaves it to the sweep, which ends it once the run has ended.
    const posts = await jobs.posts(mains);
    for (const post of posts) expect([post.exitCode, post.warnings]).toEqual([0, []]);
    expect(
      posts.filter((post) => post.stdout.includes('relied on by run 1234567890 attempt 1')),
    ).toHaveLength(1);
    expect(succeededCreates('RoleAssignments_Delete')).toEqual([]);
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '1234567890',
      attempt: '1',
      status: 'completed',
      conclusion: 'success',
    });
    const sweep = await runStep('main', {
      inputs: azureInputs({
        operation: 'sweep',
        target: scope,
        'github-token': emulator().github.runs.jobToken,
      }),
      env: { ...emulator().env, GITHUB_EVENT_NAME: 'schedule' },
    });
    expect(sweep.exitCode).toBe(0);
    expect(azure.findRoleAssignment(scope, p, READER)).toBeUndefined();
    expect(succeededCreates('RoleAssignments_Delete')).toHaveLength(1);
  });
});
