// Two jobs sharing one IAM Identity Center instance's quota (a matrix, or two workflows at once):
// 20 TPS and 15 outstanding creates for both together. Each step starts at the whole quota and
// adapts when refused, so both finish with every grant SUCCEEDED and the instance never holds more
// than 15 creates at once. How long they take against the joint bound is `npm run bench`'s figure
// (scripts/bench/quota-batches.ts), not a timed test's.
import { describe, expect, it } from '@jest/globals';
import { runStep } from '../../harness/action-runner.js';
import { accounts, awsInputs, resultsOf, useEmulator } from './fixture.js';

// Writes take 0.5 s here (2 s in the bench): the 300 creates still fill the 15 slots many times over.
const emulator = useEmulator({ awsWriteDelayMs: 500 });

const PRINCIPALS = 5;
const ACCOUNTS = 30;

/** One job's step: 5 principals × 30 accounts of one permission set (150 grants), its own accounts. */
function job(n: number) {
  const aws = emulator().aws;
  const principals = Array.from({ length: PRINCIPALS }, (_, i) => aws.addUser(`job-${n}-user-${i}`));
  const inputs = awsInputs({
    principal: principals.join(','),
    target: accounts(ACCOUNTS, n * 100).join(','),
    role: 'ReadOnlyAccess',
    'max-concurrency': '100',
    'timeout-seconds': '600',
  });
  return runStep('main', { inputs, env: { ...emulator().env, GITHUB_JOB: `grant-${n}` } });
}

describe('two jobs granting 150 assignments each at once share the instance’s quota', () => {
  it('both succeed with every grant SUCCEEDED, and the instance never held more than 15 outstanding creates', async () => {
    const [first, second] = await Promise.all([job(1), job(2)]);
    for (const step of [first!, second!]) {
      expect(step.errors).toEqual([]);
      expect(step.exitCode).toBe(0);
      expect(step.outputs.status).toBe('SUCCEEDED');
      const results = resultsOf(step);
      expect(results).toHaveLength(PRINCIPALS * ACCOUNTS);
      expect(results.filter((r) => r.status !== 'SUCCEEDED')).toEqual([]);
      expect(results.every((r) => r.changed)).toBe(true);
    }
    expect(emulator().aws.assignments()).toHaveLength(2 * PRINCIPALS * ACCOUNTS);

    // What the emulator saw, through its control API: the quota was shared, never exceeded.
    const state = (await (await fetch(`${emulator().endpoints.github}/_emulator/state`)).json()) as {
      stats: { maxOutstandingCreates: number; outstandingCreatesRefused: number };
    };
    expect(state.stats.maxOutstandingCreates).toBeGreaterThan(0);
    expect(state.stats.maxOutstandingCreates).toBeLessThanOrEqual(15);
    // Each job alone would hold 15: together they met the limit, and were refused rather than let past it.
    expect(state.stats.outstandingCreatesRefused).toBeGreaterThan(0);
  }, 240_000);
});
