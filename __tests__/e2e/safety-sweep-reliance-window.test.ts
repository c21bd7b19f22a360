// The sweep revokes a shared grant only once every run that relies on it has ended, and it checks
// the evidence again just before its revokes (docs/sweep.md, "What it revokes, and what it leaves"). That
// check must still hold when a batch of revokes takes its time. Through the bundle, as the runner
// runs it, against the emulator.
import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { accountOf, awsAssignment, awsInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 1_000 });
const aws = () => emulator().aws;
const REPOSITORY_ID = '123456789';
const MINUTE = 60_000;
const caller = (run: string, kind: string) => {
  const name = `cloud-access-${REPOSITORY_ID}-${run}-1${kind}`;
  return { principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`, sessionName: name };
};
const setRun = (runId: string, status: string) =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: REPOSITORY_ID,
    runId,
    attempt: '1',
    status,
    ...(status === 'completed' ? { conclusion: 'success' } : {}),
  });

describe('AWS sweep: a reliance registered while the sweep works through its revokes', () => {
  // Each claim is checked again in its own revoke's turn, just before its delete (AWS: the
  // creation-status list's newest requests; Azure: the assignment read again by name): a run that
  // relies on a grant while the sweep works through earlier deletes keeps it.
  it('a grant a running job relied on after the re-check is not deleted', async () => {
    for (const account of ['111111111111', '222222222222'])
      aws().createAssignmentAs(awsAssignment(account), caller('491', '-e'), Date.now() - 30 * MINUTE);
    setRun('491', 'completed');
    setRun('492', 'in_progress');

    const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');
    const sweep = runMain(
      awsInputs({
        operation: 'sweep',
        'github-token': emulator().github.runs.jobToken,
        'max-concurrency': '1',
      }),
      { GITHUB_EVENT_NAME: 'schedule' },
    );
    while (deletes().length === 0) await sleep(10);
    expect(deletes().map((r) => accountOf(r.input))).toHaveLength(1);
    const second = accountOf(deletes()[0]!.input) === '111111111111' ? '222222222222' : '111111111111';
    // Run 492's job starts, finds the grant in place and registers its reliance.
    aws().createAssignmentAs(awsAssignment(second), caller('492', '-r'));
    const done = await sweep;
    expect(done.exitCode).toBe(0);
    expect(aws().hasAssignment(awsAssignment(second))).toBe(true);
  }, 60_000);
});
