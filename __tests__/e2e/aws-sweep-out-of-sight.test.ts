// Nothing the sweep cannot end stays out of sight, staged through the bundle against the emulator's
// CloudTrail, IAM Identity Center and GitHub: a claim older than a week of a run that waited for an
// approval, a grant a forged reliance pins, a `-e` and a `-r` in the same CloudTrail second, and a
// `-r` that made the grant again after a delete. Each failed on the code before the change.
import { describe, expect, it } from '@jest/globals';
import { awsAssignment, awsInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const aws = () => emulator().aws;
const REPOSITORY_ID = '123456789';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface SweepResult {
  target: string;
  kind: string;
  action: string;
  reason: string;
  stuckSince?: string;
  reliedOnBy?: { runId: string }[];
  run: { runId: string } | null;
}

const sweep = (more: Record<string, string> = {}) =>
  runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken, ...more }), {
    GITHUB_EVENT_NAME: 'schedule',
  });
const setRun = (runId: string, status: string, updatedAt?: number) =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: REPOSITORY_ID,
    runId,
    attempt: '1',
    status,
    ...(status === 'completed' ? { conclusion: 'success' } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  });
const runSession = (runId: string, suffix = '-e') => {
  const name = `cloud-access-${REPOSITORY_ID}-${runId}-1${suffix}`;
  return { principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`, sessionName: name };
};
const byAccount = (step: { outputs: Record<string, string> }) =>
  Object.fromEntries((JSON.parse(step.outputs.results ?? '[]') as SweepResult[]).map((r) => [r.target, r]));
const ago = (ms: number) => Date.now() - ms;
/** A whole second, as CloudTrail records it. */
const secondAgo = (ms: number) => Math.floor(ago(ms) / 1000) * 1000;

describe('every live claim stays in sight', () => {
  it('a relier whose run waited 8 days for an approval, then completed: the default `lookback` revokes the grant', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('1201'), ago(9 * DAY));
    aws().createAssignmentAs(grant, runSession('1202', '-r'), ago(8 * DAY));
    setRun('1201', 'completed', ago(9 * DAY - HOUR));
    setRun('1202', 'completed');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']).toMatchObject({
      kind: 'revoke',
      action: 'revoked',
      reliedOnBy: [expect.objectContaining({ runId: '1202' })],
    });
    expect(aws().hasAssignment(grant)).toBe(false);
  }, 60_000);
});

describe('what the sweep cannot end is said where people look', () => {
  it('a forged reliance (expiry 99999999999) on a finished run’s grant: a warning naming it, why and how; the sweep fails after a day', async () => {
    const grant = awsAssignment('222222222222');
    aws().createAssignmentAs(grant, runSession('1203'), ago(3 * DAY));
    aws().createAssignmentAs(grant, runSession('1204', '-r99999999999'), ago(3 * DAY - HOUR));
    setRun('1203', 'completed', ago(2 * DAY));

    const step = await sweep();
    expect(step.exitCode).not.toBe(0);
    const entry = byAccount(step)['222222222222']!;
    expect(entry).toMatchObject({ kind: 'unproven', stuckSince: expect.any(String) });
    // The claim at fault is named: the relier's expiry, not the creator's run.
    expect(entry.reason).toMatch(/cloud-access-123456789-1204-1-r99999999999.*more than 35 days from now/);
    expect(entry.reason).not.toMatch(/run 1203 .*was not read/);
    const warning = step.stdout.split('\n').find((l) => l.startsWith('::warning::no sweep will end'));
    expect(warning).toMatch(/222222222222/);
    expect(warning).toMatch(
      /aws sso-admin delete-account-assignment --instance-arn arn:aws:sso:::instance\/\S+ --target-type AWS_ACCOUNT --target-id 222222222222 /,
    );
    expect(step.stdout).toMatch(/stuck for more than a day/);
    expect(aws().hasAssignment(grant)).toBe(true);

    const quiet = await sweep({ 'fail-on-stuck': 'false' });
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stdout).toMatch(/::warning::no sweep will end/);
  }, 60_000);
});

describe('who made a shared grant, in the edge cases', () => {
  it('a `-e` and a `-r` in the same CloudTrail second, both runs finished: the `-e` made it, and it is revoked', async () => {
    const grant = awsAssignment('333333333333');
    const second = secondAgo(HOUR);
    aws().createAssignmentAs(grant, runSession('1301'), second);
    aws().createAssignmentAs(grant, runSession('1302', '-r'), second);
    setRun('1301', 'completed');
    setRun('1302', 'completed');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['333333333333']).toMatchObject({
      kind: 'revoke',
      action: 'revoked',
      run: expect.objectContaining({ runId: '1301' }),
    });
    expect(aws().hasAssignment(grant)).toBe(false);
  }, 60_000);

  it('a `-r` that made the grant again after the creator’s post step deleted it: revoked once both runs end, and only once that delete SUCCEEDED', async () => {
    const remade = awsAssignment('444444444444');
    aws().createAssignmentAs(remade, runSession('1401'), ago(HOUR + 20 * MINUTE));
    aws().deleteAssignmentAs(remade, runSession('1401'), ago(HOUR + 12 * MINUTE));
    aws().createAssignmentAs(remade, runSession('1402', '-r'), ago(HOUR + 10 * MINUTE));
    // The same, but the delete FAILED after it answered IN_PROGRESS: the reliance made nothing.
    const kept = awsAssignment('555555555555');
    aws().createAssignmentAs(kept, runSession('1403'), ago(HOUR + 20 * MINUTE));
    const failed = aws().deleteAssignmentAs(kept, runSession('1403'), ago(HOUR + 12 * MINUTE));
    aws().createAssignmentAs(kept, runSession('1404', '-r'), ago(HOUR + 10 * MINUTE));
    failed.status = 'FAILED';
    failed.failureReason = 'InternalFailure';
    setRun('1401', 'completed');
    setRun('1402', 'in_progress');
    setRun('1403', 'completed');
    setRun('1404', 'completed');

    const running = await sweep();
    expect(byAccount(running)['444444444444']).toMatchObject({
      kind: 'running',
      run: expect.objectContaining({ runId: '1402' }),
    });

    setRun('1402', 'completed');
    const step = await sweep();
    expect(byAccount(step)['444444444444']).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(aws().hasAssignment(remade)).toBe(false);
    expect(byAccount(step)['555555555555']).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/only if that delete SUCCEEDED.*is FAILED/),
    });
    expect(aws().hasAssignment(kept)).toBe(true);
  }, 60_000);
});
