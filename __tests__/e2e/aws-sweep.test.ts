// `operation: sweep` on AWS, through the bundle as the runner runs it: grants whose post step never
// ran are found in CloudTrail by their session names and revoked once their run has finished;
// everything else is left, each with its reason.
import { describe, expect, it } from '@jest/globals';
import { awsAssignment, awsInputs, ROLE_TO_ASSUME, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const aws = () => emulator().aws;
const REPOSITORY_ID = '123456789';
const MINUTE = 60_000;

interface SweepResult {
  principal: string;
  target: string;
  kind: string;
  action: string;
  reason: string;
  status?: string;
  run: { runId: string } | null;
}

/** A deploy job's main step, as run `runId` (its post step never runs). */
const deploy = (runId: string, account: string, more: Record<string, string> = {}, user = 'alice') =>
  runMain(
    awsInputs({
      principal: user,
      target: account,
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
      ...more,
    }),
    { GITHUB_RUN_ID: runId },
  );

const sweep = (more: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken, ...more }), {
    GITHUB_EVENT_NAME: 'schedule',
    ...env,
  });

const setRun = (
  runId: string,
  status: string,
  conclusion?: string,
  repository = 'octo-org/octo-repo',
  repositoryId = REPOSITORY_ID,
) =>
  emulator().github.runs.setRun({
    repository,
    repositoryId,
    runId,
    attempt: '1',
    status,
    ...(conclusion ? { conclusion } : {}),
  });

const sessionOf = (name: string) => ({
  principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`,
  sessionName: name,
});
const person = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
const results = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.results!) as SweepResult[];
const byAccount = (step: { outputs: Record<string, string> }) =>
  Object.fromEntries(results(step).map((r) => [r.target, r]));
const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');

describe('a job whose post step never ran', () => {
  it('the dry run plans exactly its ephemeral grants; the apply revokes exactly those, each SUCCEEDED', async () => {
    const job = await deploy('701', '111111111111, 222222222222');
    expect(job.exitCode).toBe(0);
    expect(aws().sessions.map((s) => s.sessionName)).toContain(`cloud-access-${REPOSITORY_ID}-701-1-e`);
    await deploy('799', '333333333333', { 'revoke-on-exit': 'false' }); // permanent, left
    setRun('701', 'completed', 'failure');

    const plan = await sweep({ 'dry-run': 'true' });
    expect(plan.exitCode).toBe(0);
    expect(JSON.parse(plan.outputs.plan!)).toEqual({
      revoke: 2,
      running: 0,
      unproven: 0,
      permanent: 1,
      gone: 0,
    });
    expect(
      results(plan)
        .filter((r) => r.kind === 'revoke')
        .map((r) => [r.target, r.action]),
    ).toEqual([
      ['111111111111', 'would revoke'],
      ['222222222222', 'would revoke'],
    ]);
    expect(deletes()).toEqual([]);
    expect(plan.stdout).not.toMatch(/SUCCEEDED \(would/);

    const applied = await sweep();
    expect(applied.exitCode).toBe(0);
    const revoked = results(applied).filter((r) => r.kind === 'revoke');
    expect(revoked.map((r) => [r.target, r.action, r.status])).toEqual([
      ['111111111111', 'revoked', 'SUCCEEDED'],
      ['222222222222', 'revoked', 'SUCCEEDED'],
    ]);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(false);
    expect(aws().hasAssignment(awsAssignment('222222222222'))).toBe(false);
    expect(aws().hasAssignment(awsAssignment('333333333333'))).toBe(true);
    expect(deletes()).toHaveLength(2);
    expect(applied.summary).toMatch(/<table>/);
  }, 60_000);
});

describe('a summary a reviewer reads', () => {
  it('names the principal by kind and name and the permission set by name, links the run, and puts the revokes first', async () => {
    await deploy('705', '222222222222', { 'revoke-on-exit': 'false' }); // permanent, listed after
    await deploy('703', '111111111111');
    setRun('703', 'completed', 'success');

    const step = await sweep({ 'dry-run': 'true' });
    expect(step.exitCode).toBe(0);
    const summary = step.summary;
    expect(summary).toMatch(/<code>user alice \([^)]+\)<\/code>/);
    expect(summary).toMatch(/<code>ReadOnlyAccess \(arn:aws:sso:::permissionSet\/[^)]+\)<\/code>/);
    expect(summary).toContain(
      '<a href="https://github.com/octo-org/octo-repo/actions/runs/703">octo-org/octo-repo run 703/1</a>',
    );
    expect(summary.indexOf('<td>would revoke</td>')).toBeLessThan(summary.indexOf('<td>permanent</td>'));
    expect(step.stdout).toMatch(/would revoke \[revoke\] user alice \(/);
  }, 60_000);
});

describe('what the sweep leaves, each with its reason', () => {
  it('a run still going, a permanent assign, a custom session name, and a run the token cannot read', async () => {
    await deploy('702', '111111111111'); // still in progress
    setRun('702', 'in_progress');
    await deploy('704', '222222222222', { 'revoke-on-exit': 'false' }); // permanent
    const custom = await deploy('706', '333333333333', { 'role-session-name': 'my-deploy' });
    expect(custom.warnings.join('\n')).toMatch(/role-session-name.*sweep/);
    setRun('706', 'completed', 'success');
    // A run of another repository, which the job's token cannot read.
    const other = awsAssignment('444444444444');
    aws().createAssignmentAs(other, sessionOf('cloud-access-555555555-707-1-e'), Date.now() - 30 * MINUTE);
    setRun('707', 'completed', 'success', 'other-org/other-repo', '555555555');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    const found = byAccount(step);
    expect(found['111111111111']).toMatchObject({
      kind: 'running',
      action: 'leave',
      reason: expect.stringMatching(/still in_progress/),
    });
    expect(found['222222222222']).toMatchObject({ kind: 'permanent', action: 'leave' });
    expect(found['333333333333']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/not made through a cloud-access session name/),
    });
    expect(found['444444444444']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/cannot read repository ID 555555555/),
    });
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a grant that existed before the run, and one deleted and re-created by a person', async () => {
    const before = awsAssignment('111111111111');
    aws().createAssignmentAs(before, person, Date.now() - 120 * MINUTE);
    aws().createAssignmentAs(
      before,
      sessionOf(`cloud-access-${REPOSITORY_ID}-703-1-e`),
      Date.now() - 60 * MINUTE,
    );
    await deploy('705', '222222222222');
    aws().deleteAssignmentAs(awsAssignment('222222222222'), person);
    aws().createAssignmentAs(awsAssignment('222222222222'), person);
    setRun('703', 'completed', 'success');
    setRun('705', 'completed', 'success');

    const step = await sweep();
    const found = byAccount(step);
    expect(found['111111111111']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/existed before the run/),
    });
    expect(found['222222222222']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/deleted by .*user\/admin.*made again by .*user\/admin/),
    });
    expect(deletes()).toEqual([]);
    expect(aws().hasAssignment(before)).toBe(true);
  }, 60_000);

  it('a grant someone else also created after the run, before CloudTrail delivered that create', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(
      grant,
      sessionOf(`cloud-access-${REPOSITORY_ID}-708-1-e`),
      Date.now() - 40 * MINUTE,
    );
    aws().config.cloudTrailDelayMs = 20 * MINUTE;
    aws().createAssignmentAs(grant, person); // now: in the creation-status list, not yet in CloudTrail
    setRun('708', 'completed', 'success');

    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/not delivered/),
    });
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);
});

describe('GitHub’s rate limit', () => {
  it('is respected and named: runs past it are left unproven, never guessed', async () => {
    emulator().github.runs.addToken('ghs_limited', ['octo-org/octo-repo'], { rateLimit: 1 });
    await deploy('720', '111111111111');
    await deploy('721', '222222222222');
    setRun('720', 'completed', 'success');
    setRun('721', 'completed', 'success');
    const step = await sweep({ 'github-token': 'ghs_limited' });
    expect(step.exitCode).toBe(0);
    const kinds = results(step)
      .map((r) => r.kind)
      .sort();
    expect(kinds).toEqual(['revoke', 'unproven']);
    expect(results(step).find((r) => r.kind === 'unproven')?.reason).toMatch(
      /rate limit \(1 requests an hour for this token\) was reached; it resets at/,
    );
    expect(step.warnings.join('\n')).toMatch(/rate limit/);
  }, 60_000);
});

describe('grants with a `duration`', () => {
  it('an expiry that has passed is revoked while its run is still going; one to come is left', async () => {
    const expired = Math.floor((Date.now() - 5 * MINUTE) / 1000);
    aws().createAssignmentAs(
      awsAssignment('111111111111'),
      sessionOf(`cloud-access-${REPOSITORY_ID}-709-1-e${expired}`),
      Date.now() - 30 * MINUTE,
    );
    const timed = await deploy('710', '222222222222', { 'revoke-on-exit': 'false', duration: '30m' });
    expect(timed.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
    setRun('709', 'in_progress');
    setRun('710', 'in_progress');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    const found = byAccount(step);
    expect(found['111111111111']).toMatchObject({
      kind: 'revoke',
      action: 'revoked',
      reason: expect.stringMatching(/`duration` ended/),
    });
    expect(found['222222222222']).toMatchObject({
      kind: 'running',
      reason: expect.stringMatching(/`duration` ends at/),
    });
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(false);
  }, 60_000);
});

describe('the guards reconcile has', () => {
  it('more revokes than `max-deletions`: the plan is reported, nothing is revoked, the step fails', async () => {
    await deploy('711', '111111111111, 222222222222');
    setRun('711', 'completed', 'success');
    const step = await sweep({ 'max-deletions': '1' });
    expect(step.exitCode).not.toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ revoke: 2 });
    expect(step.errors.join('\n')).toMatch(/more than `max-deletions` \(1\)/);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('on a pull-request event it refuses before any request; a dry run there is allowed', async () => {
    const refused = await sweep({}, { GITHUB_EVENT_NAME: 'pull_request_review' });
    expect(refused.exitCode).not.toBe(0);
    expect(emulator().requests.filter((r) => r.operation === 'LookupEvents')).toEqual([]);
    const planned = await sweep({ 'dry-run': 'true' }, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(planned.exitCode).toBe(0);
  }, 60_000);

  it('only sessions of `created-by` count: another role’s grants are not considered', async () => {
    await deploy('712', '111111111111');
    setRun('712', 'completed', 'success');
    const step = await sweep({ 'created-by': 'arn:aws:iam::123456789012:role/someone-else' });
    expect(results(step)).toEqual([]);
    expect(step.stdout).toMatch(/1 create\(s\) by other callers, left alone/);
    expect(ROLE_TO_ASSUME).toMatch(/role\/cloud-access$/);
  }, 60_000);
});
