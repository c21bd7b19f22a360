// Overlapping jobs: two matrix jobs granting the same assignment at the same moment both succeed,
// the assignment exists once, and a revoke-on-exit that removes it warns about the other job.
import { describe, expect, it } from '@jest/globals';
import { runStep, type StepRun } from '../../scripts/action-runner.js';
import { awsAssignment, awsInputs, azureInputs, newPrincipal, READER, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 500 });

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

const OTHER_RUN_WARNING = 'Another run that started while one existed may have found it in place';

describe('two jobs granting the same assignment at once', () => {
  it('AWS: both succeed, the assignment exists once, and the revoke that removes it warns', async () => {
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
    expect(succeededCreates('CreateAccountAssignment').length).toBeGreaterThanOrEqual(1);
    expect(emulator().aws.assignments()).toHaveLength(1);

    const posts = await jobs.posts(mains);
    for (const p of posts) expect(p.exitCode).toBe(0);
    expect(emulator().aws.hasAssignment(assignment)).toBe(false);
    const removers = posts.filter((p) => p.warnings.some((w) => w.includes(OTHER_RUN_WARNING)));
    expect(removers.length).toBeGreaterThanOrEqual(1);
    // Said once per post step, and only by one that removed the grant.
    for (const p of posts)
      expect(p.warnings.filter((w) => w.includes(OTHER_RUN_WARNING)).length).toBeLessThanOrEqual(1);
  });

  it('Azure: both succeed, the assignment exists once, and the revoke that removes it warns', async () => {
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
    // The deterministic name makes both PUTs address one assignment.
    expect(mains[0]!.outputs['assignment-id']).toBe(mains[1]!.outputs['assignment-id']);
    expect(azure.roleAssignments().filter((a) => a.properties.principalId === p)).toHaveLength(1);

    const posts = await jobs.posts(mains);
    for (const post of posts) expect(post.exitCode).toBe(0);
    expect(azure.findRoleAssignment(scope, p, READER)).toBeUndefined();
    const removers = posts.filter((post) => post.warnings.some((w) => w.includes(OTHER_RUN_WARNING)));
    expect(removers).toHaveLength(1);
    // The job whose PUT found the assignment in place (200) recorded nothing, and says nothing.
    for (const post of posts)
      expect(post.warnings.filter((w) => w.includes(OTHER_RUN_WARNING)).length).toBeLessThanOrEqual(1);
  });
});
