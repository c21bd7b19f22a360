// A step that waits is never silent (the other half of long-waits.test.ts, in a file of its own so
// that jest runs the two at once): the Azure read-back, the post step, and a reconcile's read.
import { describe, expect, it } from '@jest/globals';
import { awsReconcileWorkspace } from './reconcile-fixture.js';
import {
  accounts,
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
import { dueAt, dueSecondsOf, progressLines, readLines } from './progress-lines.js';

const emulator = useEmulator();
const { reconcile } = awsReconcileWorkspace(emulator, 'long-waits-');

describe('a long wait says where it stands', () => {
  it('Azure: writes whose read-back lags 11.5 s print a line at 10 s', async () => {
    azure().config.readAfterWriteDelayMs = 11_500;
    const step = await runMain(
      azureInputs({
        principal: newPrincipal(),
        role: READER,
        target: subscription(),
        'timeout-seconds': '120',
      }),
    );
    expect(step.exitCode).toBe(0);
    expect(progressLines(step.stdout)[0]).toMatch(
      new RegExp(
        `^still working after ${dueAt(10)}: 0 of 1 grants done, 1 in flight, 0 queued; the oldest in flight for 1\\d s$`,
      ),
    );
  }, 90_000);

  it("AWS post step: the main step's create still IN_PROGRESS is followed, then revoked, each wait saying where it stands", async () => {
    // The create held 18 s: 10 s of the post step's ownership check at least, however long the
    // main step's end and the post step's start take on a busy machine; the delete, 12 s.
    emulator().aws.config.writeDelayMs = 18_000;
    const inputs = awsInputs({
      principal: 'alice',
      target: accounts(1, 710)[0]!,
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
      wait: 'false',
      'timeout-seconds': '120',
      'post-timeout-seconds': '120',
    });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    // A create accepted under the longer delay keeps it; the delete gets this one.
    emulator().aws.config.writeDelayMs = 12_000;
    const post = await runPost(inputs, main.state);
    expect(post.exitCode).toBe(0);
    const lines = progressLines(post.stdout);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^still working after ${dueAt(10)}: 0 of 1 ownership checks done, 1 in flight, 0 queued; the oldest in flight for ${dueAt(10)}$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^still working after ${dueAt(10)}: 0 of 1 revokes done, 1 in flight, 0 queued; the oldest in flight for ${dueAt(10)}$`,
        ),
      ),
    ]);
  }, 90_000);

  it('AWS reconcile: a read whose calls each take 3 s says, 10 s in and every 15 s, where its calls stand', async () => {
    emulator().aws.faults.latencyMs = 3_000;
    const step = await reconcile(`version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
  assignments:
    - principal: Deployers
      principal-type: GROUP
      role: ReadOnlyAccess
      target: '111111111111'
`);
    expect(step.exitCode).toBe(0);
    const lines = readLines(step.stdout);
    expect(lines[0]).toMatch(
      /^still reading after 1[01] s \(the manifest resolved, and the cloud’s current assignments\): [1-9]\d* calls answered, \d+ in flight, \d+ queued(; the oldest in flight for [0-3] s)?$/,
    );
    // Lines come 15 s apart while the read goes on, and none once the writes begin.
    const due = lines.map((_, i) => 10 + 15 * i);
    expect(dueSecondsOf(lines, due)).toEqual(due);
  }, 120_000);
});
