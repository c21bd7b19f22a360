// A step that waits is never silent: 10 s in, then at least every 15 s, a plain log line says how
// many grants (or, while it reads, calls) are done, in flight and queued, and how long the oldest
// has been out. (The Azure read-back, the post step and a reconcile's read: long-waits-reads.test.ts.)
import { describe, expect, it } from '@jest/globals';
import { accounts, awsInputs, runMain, useEmulator } from './fixture.js';
import { dueAt, dueSecondsOf, progressLines, readLines } from './progress-lines.js';

const emulator = useEmulator();

describe('a long wait says where it stands', () => {
  it('AWS: creates that stay IN_PROGRESS 28 s print a line at 10 s and then every 15 s', async () => {
    // 28 s: long enough for the second line (25 s) with room for a late timer on a busy machine,
    // which proves the 15 s between lines; each further line would cost 15 s more of waiting.
    emulator().aws.config.writeDelayMs = 28_000;
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
      new RegExp(
        `^still working after ${dueAt(10)}: 0 of 2 grants done, 2 in flight, 0 queued; the oldest in flight for 1\\d s$`,
      ),
    );
    // The step took about 28 s: lines at 10 and 25 s, 15 s apart.
    expect(dueSecondsOf(lines.slice(0, 2), [10, 25])).toEqual([10, 25]);
    expect(lines[1]).toMatch(/: 0 of 2 grants done, 2 in flight, 0 queued; the oldest in flight for 2\d s$/);
    expect(step.durationMs).toBeGreaterThan(27_000);
  }, 120_000);

  it('a step that ends within 10 s prints none', async () => {
    const step = await runMain(
      awsInputs({ principal: 'alice', target: accounts(1, 720)[0]!, role: 'ReadOnlyAccess' }),
    );
    expect(step.exitCode).toBe(0);
    expect(progressLines(step.stdout)).toEqual([]);
    expect(readLines(step.stdout)).toEqual([]);
  });
});
