// A step that waits on slow writes is never silent: 10 s in, then at least every 15 s, a plain log
// line says how many grants are done, in flight and queued, and how long the oldest has been out.
import { describe, expect, it } from '@jest/globals';
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

const emulator = useEmulator();
const progressLines = (stdout: string) =>
  stdout.split('\n').filter((l) => l.startsWith('still working after '));
/** The seconds each line says it has been working. */
const secondsOf = (lines: string[]) => lines.map((l) => Number(/^still working after (\d+) s/.exec(l)![1]));

describe('a long wait says where it stands', () => {
  it('AWS: creates that stay IN_PROGRESS 25 s print a line at 10 s and then every 15 s', async () => {
    emulator().aws.config.writeDelayMs = 25_000;
    const targets = accounts(2, 700);
    const step = await runMain(
      awsInputs({
        principal: 'alice',
        target: targets.join(','),
        role: 'ReadOnlyAccess',
        'timeout-seconds': '120',
      }),
    );
    expect(step.exitCode).toBe(0);
    const lines = progressLines(step.stdout);
    expect(lines[0]).toMatch(
      /^still working after 10 s: 0 of 2 grants done, 2 in flight, 0 queued; the oldest in flight for 1\d s$/,
    );
    const seconds = secondsOf(lines);
    // The step took about 25 s: a line at 10 s and one at 25 s, unless the grants ended just before it.
    expect(seconds.slice(0, 2)).toEqual(seconds.length > 1 ? [10, 25] : [10]);
    expect(step.durationMs).toBeGreaterThan(24_000);
  }, 90_000);

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
      /^still working after 10 s: 0 of 1 grants done, 1 in flight, 0 queued; the oldest in flight for 1\d s$/,
    );
  }, 90_000);

  it("AWS post step: the main step's create still IN_PROGRESS is followed, then revoked, each wait saying where it stands", async () => {
    emulator().aws.config.writeDelayMs = 11_500;
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
    const post = await runPost(inputs, main.state);
    expect(post.exitCode).toBe(0);
    const lines = progressLines(post.stdout);
    expect(lines).toEqual([
      expect.stringMatching(
        /^still working after 10 s: 0 of 1 ownership checks done, 1 in flight, 0 queued; the oldest in flight for 10 s$/,
      ),
      expect.stringMatching(
        /^still working after 10 s: 0 of 1 revokes done, 1 in flight, 0 queued; the oldest in flight for 10 s$/,
      ),
    ]);
  }, 90_000);

  it('a step that ends within 10 s prints none', async () => {
    const step = await runMain(
      awsInputs({ principal: 'alice', target: accounts(1, 720)[0]!, role: 'ReadOnlyAccess' }),
    );
    expect(step.exitCode).toBe(0);
    expect(progressLines(step.stdout)).toEqual([]);
  });
});
