// Two jobs sharing one IAM Identity Center instance's quota (a matrix, or two workflows at once):
// 20 TPS and 15 outstanding creates for both together. Each step starts at the whole quota and
// adapts when refused, so both finish with every grant SUCCEEDED and the instance never holds more
// than 15 creates at once. How long they take against the joint bound is `npm run bench`'s figure
// (scripts/bench/quota-batches.ts), not a timed test's. What this test checks is made certain by
// the order of the calls, never by how fast the machine runs the two steps: the creates the
// instance accepts are held until both jobs have asked, so the two meet the limit together
// however late the second one starts.
import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { runStep } from '../../harness/action-runner.js';
import { accountOf, accounts, awsInputs, resultsOf, useEmulator } from './fixture.js';

// Writes take 0.5 s once released (2 s in the bench): the 300 creates still fill the 15 slots many times over.
const WRITE_DELAY_MS = 500;
const emulator = useEmulator({ awsWriteDelayMs: WRITE_DELAY_MS });

const PRINCIPALS = 5;
const ACCOUNTS = 30;
const jobAccounts = (n: number) => accounts(ACCOUNTS, n * 100);

/** One job's step: 5 principals × 30 accounts of one permission set (150 grants), its own accounts. */
function job(n: number) {
  const aws = emulator().aws;
  const principals = Array.from({ length: PRINCIPALS }, (_, i) => aws.addUser(`job-${n}-user-${i}`));
  const inputs = awsInputs({
    principal: principals.join(','),
    target: jobAccounts(n).join(','),
    role: 'ReadOnlyAccess',
    'max-concurrency': '100',
    'timeout-seconds': '600',
  });
  return runStep('main', { inputs, env: { ...emulator().env, GITHUB_JOB: `grant-${n}` } });
}

/** Whether job `n` has sent a CreateAccountAssignment (accepted or refused). */
const hasAsked = (n: number) => {
  const mine = new Set(jobAccounts(n));
  return emulator().requests.some(
    (r) => r.operation === 'CreateAccountAssignment' && mine.has(accountOf(r.input) ?? ''),
  );
};

interface QuotaStats {
  maxOutstandingCreates: number;
  outstandingCreatesRefused: number;
}
const stats = async () =>
  ((await (await fetch(`${emulator().endpoints.github}/_emulator/state`)).json()) as { stats: QuotaStats })
    .stats;

describe('two jobs granting 150 assignments each at once share the instance’s quota', () => {
  it('both succeed with every grant SUCCEEDED, and the instance never held more than 15 outstanding creates', async () => {
    // Every create accepted stays IN_PROGRESS until both jobs have asked for one and the
    // instance has refused one past the limit (each job alone asks for 15 at first, so together
    // they ask for more).
    emulator().aws.config.writeDelayMs = 600_000;
    let settled = false;
    const jobs = Promise.all([job(1), job(2)]).finally(() => (settled = true));
    let whileHeld = await stats();
    while (!settled && !(hasAsked(1) && hasAsked(2) && whileHeld.outstandingCreatesRefused > 0)) {
      await sleep(50);
      whileHeld = await stats();
    }
    emulator().aws.config.writeDelayMs = WRITE_DELAY_MS;
    emulator().aws.completeHeldRequests(WRITE_DELAY_MS);
    const [first, second] = await jobs;

    for (const step of [first, second]) {
      expect(step.errors).toEqual([]);
      expect(step.exitCode).toBe(0);
      expect(step.outputs.status).toBe('SUCCEEDED');
      const results = resultsOf(step);
      expect(results).toHaveLength(PRINCIPALS * ACCOUNTS);
      expect(results.filter((r) => r.status !== 'SUCCEEDED')).toEqual([]);
      expect(results.every((r) => r.changed)).toBe(true);
    }
    expect(emulator().aws.assignments()).toHaveLength(2 * PRINCIPALS * ACCOUNTS);

    // What the emulator saw, through its control API: the quota was shared, never exceeded. While
    // the creates were held, the two jobs together met the limit and were refused past it.
    expect(whileHeld.maxOutstandingCreates).toBe(15);
    expect(whileHeld.outstandingCreatesRefused).toBeGreaterThan(0);
    const after = await stats();
    expect(after.maxOutstandingCreates).toBe(15);
    // Each job alone would hold 15: together they met the limit, and were refused rather than let past it.
    expect(after.outstandingCreatesRefused).toBeGreaterThanOrEqual(whileHeld.outstandingCreatesRefused);
  }, 240_000);
});
