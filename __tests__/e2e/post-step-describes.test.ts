// What the AWS post step's re-check costs: before it deletes, it reads what happened to each grant
// since the step made it (the instance's create requests, each described to learn what it was
// for). Grants checked at once ask about the same requests; each is described at most once per
// step, so an instance busy with other creates costs one Describe per request, not one per grant.
import { describe, expect, it } from '@jest/globals';
import { accounts, awsAssignment, awsInputs, resultsOf, runMain, runPost, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });

const describesById = () => {
  const counts = new Map<string, number>();
  for (const r of emulator().requests) {
    if (r.operation !== 'DescribeAccountAssignmentCreationStatus') continue;
    const id = String(r.input?.AccountAssignmentCreationRequestId);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
};

describe('the post step re-checks many grants in a busy instance', () => {
  it('describes each creation request at most once, however many grants ask about it', async () => {
    const targets = accounts(6);
    const inputs = awsInputs({
      principal: 'alice',
      target: targets.join('\n'),
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
      'post-timeout-seconds': '60',
    });
    const main = await runMain(inputs);
    expect(resultsOf(main).map((r) => r.status)).toEqual(targets.map(() => 'SUCCEEDED'));
    // 256 creates by others since the step's own: of other users, in the same accounts.
    for (let i = 0; i < 256; i++) {
      const user = emulator().aws.addUser(`other${String(i).padStart(3, '0')}`);
      emulator().aws.recordCreation(
        { ...awsAssignment(targets[i % targets.length]!), principalId: user },
        'SUCCEEDED',
        new Date(),
      );
    }
    emulator().requests.length = 0;
    const post = await runPost(inputs, main.state);
    const counts = describesById();
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(
      `post step over 6 grants and 256 other creates: ${total} DescribeAccountAssignmentCreationStatus of ${counts.size} requests, ${post.durationMs} ms`,
    );
    expect(post.exitCode).toBe(0);
    expect(targets.map((a) => emulator().aws.hasAssignment(awsAssignment(a)))).toEqual(
      targets.map(() => false),
    );
    expect(Math.max(...counts.values())).toBe(1);
  }, 120_000);
});
