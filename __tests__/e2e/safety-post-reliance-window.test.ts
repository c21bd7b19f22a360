// The post step revokes only a grant whose ownership it proves and that no create came after (a
// reliance shows up as one; docs/ephemeral-access.md, "Overlapping jobs"). That must hold up to the delete, not
// only at a check made before a batch of deletes. Through the bundle, as the runner runs it.
import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { accountOf, awsAssignment, awsInputs, runMain, runPost, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 1_000 });
const aws = () => emulator().aws;
const REPOSITORY_ID = '123456789';
const session = (run: string, kind: string) => `cloud-access-${REPOSITORY_ID}-${run}-1${kind}`;

describe('AWS: a reliance registered while the post step works through its deletes', () => {
  // Whether each grant is still the step's alone is asked in its own delete's turn, just before
  // the delete is sent: a job that registers its reliance while the batch works through earlier
  // deletes keeps its grant. The window is one call long, not the batch's.
  it('a grant another job relied on after the checks is not deleted', async () => {
    const inputs = awsInputs({
      principal: 'alice',
      target: '111111111111, 222222222222',
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
      'max-concurrency': '1',
    });
    const main = await runMain(inputs, { GITHUB_RUN_ID: '1' });
    expect(main.exitCode).toBe(0);

    const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');
    const post = runPost(inputs, main.state);
    // Job B (run 2) starts and finds 222222222222 in place: its reliance, once A's deletes began.
    while (deletes().length === 0) await sleep(10);
    expect(aws().hasAssignment(awsAssignment('222222222222'))).toBe(true);
    // Only the first grant's delete is out: the second's ownership was settled, its delete not sent.
    expect(deletes().map((r) => accountOf(r.input))).toEqual(['111111111111']);
    aws().createAssignmentAs(awsAssignment('222222222222'), {
      principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${session('2', '-r')}`,
      sessionName: session('2', '-r'),
    });
    const done = await post;
    expect(done.exitCode).toBe(0);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(false);
    expect(aws().hasAssignment(awsAssignment('222222222222'))).toBe(true);
  }, 60_000);
});
