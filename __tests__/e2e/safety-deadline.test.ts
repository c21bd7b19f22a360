// Stop at the deadline: `timeout-seconds` bounds the step whatever queue its grants
// wait in (the SSO Admin rate limit, the 15 outstanding creates, the concurrency limit). Nothing
// is sent after the deadline, a grant never started is reported IN_PROGRESS, and the post step
// still cleans up everything the step created.
import { describe, expect, it } from '@jest/globals';
import { runStep } from '../../harness/action-runner.js';
import {
  accountOf,
  accounts,
  awsInputs,
  awsQuiesce,
  resultsOf,
  runPost,
  useEmulator,
  watched,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });

/** How long after spawning the step its last request reached the emulator. */
const lastRequestAfter = (spawnedAt: number) =>
  Math.max(0, ...emulator().requests.map((r) => r.at)) - spawnedAt;

describe('timeout-seconds', () => {
  it('stops 160 grants queued behind the rate limit and held creates at 3 s, sends nothing after, and the post step cleans up', async () => {
    emulator().aws.config.writeDelayMs = 600_000; // every accepted create stays IN_PROGRESS
    const inputs = awsInputs({
      principal: 'alice',
      target: accounts(160).join('\n'),
      role: 'ReadOnlyAccess',
      'timeout-seconds': '3',
      'max-concurrency': '100',
      'revoke-on-exit': 'true',
    });
    const { options, watch } = watched({ inputs, env: emulator().env }, 20_000);
    const main = await runStep('main', options);
    const last = lastRequestAfter(watch.spawnedAt);
    // The deadline starts once the step has read its inputs, before its first request: no request
    // may arrive more than 3 s after the first.
    const first = Math.min(...emulator().requests.map((r) => r.at)) - watch.spawnedAt;
    console.log(
      `160 grants, timeout-seconds 3: the step exited ${main.durationMs} ms after spawn; its requests came from ${first} to ${last} ms after spawn; ${emulator().requests.length} requests`,
    );
    expect(watch.killed).toBe(false);
    // Measured on the emulator's clock from the step's first request, so a loaded machine's slow
    // start-up does not count: a second for a request sent before the deadline to arrive.
    expect(last - first).toBeLessThanOrEqual(3_000 + 1_000);
    expect(['IN_PROGRESS', 'FAILED']).toContain(main.outputs.status);
    const results = resultsOf(main);
    expect(results).toHaveLength(160);
    // A grant no request was ever about was not started: it is reported IN_PROGRESS, not done.
    const touched = new Set(emulator().requests.map((r) => accountOf(r.input)));
    const untouched = results.filter((r) => !touched.has(r.target));
    expect(untouched.length).toBeGreaterThan(0);
    expect(
      untouched.filter((r) => r.status !== 'IN_PROGRESS').map((r) => `${r.target}: ${r.status}`),
    ).toEqual([]);

    // The held creates finish; the post step, with its default budget, revokes every one.
    const accepted = emulator().aws.completeHeldRequests();
    emulator().aws.config.writeDelayMs = 100;
    expect(emulator().aws.assignments()).toHaveLength(accepted);
    const post = await runPost(inputs, main.state);
    await awsQuiesce();
    console.log(`post step: ${accepted} accepted creates, revoked in ${post.durationMs} ms`);
    expect(emulator().aws.assignments()).toEqual([]);
    expect(post.exitCode).toBe(0);
  }, 45_000);

  it('stops 1,000 grants at 1 s: no request more than 1 s after its first', async () => {
    const inputs = awsInputs({
      principal: 'alice',
      target: accounts(1000).join('\n'),
      role: 'ReadOnlyAccess',
      'timeout-seconds': '1',
    });
    const { options, watch } = watched({ inputs, env: emulator().env }, 15_000);
    const main = await runStep('main', options);
    console.log(
      `1000 grants, timeout-seconds 1: the step exited ${main.durationMs} ms after spawn (last request ${lastRequestAfter(watch.spawnedAt)} ms after spawn)`,
    );
    expect(watch.killed).toBe(false);
    // On the emulator's clock, as above: its start-up, which a loaded machine slows, is not counted.
    const times = emulator().requests.map((r) => r.at);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(1_000 + 1_000);
    expect(['IN_PROGRESS', 'FAILED']).toContain(main.outputs.status);
    expect(resultsOf(main)).toHaveLength(1000);
  }, 30_000);

  it('passed before the first grant’s turn (a slow instance read): every grant reported not started, nothing written, the step failed', async () => {
    // Every answer takes longer than the whole deadline: it passes while the step still reads.
    emulator().aws.faults.latencyMs = 1_200;
    const inputs = awsInputs({
      principal: 'alice',
      target: accounts(3).join('\n'),
      role: 'ReadOnlyAccess',
      'timeout-seconds': '1',
    });
    const main = await runStep('main', watched({ inputs, env: emulator().env }, 15_000).options);
    emulator().aws.faults.latencyMs = 0;
    expect(main.exitCode).not.toBe(0);
    expect(main.outputs.status).toBe('IN_PROGRESS');
    const results = resultsOf(main);
    expect(results.map((r) => [r.target, r.status])).toEqual(
      accounts(3).map((account) => [account, 'IN_PROGRESS']),
    );
    expect(results[0]!.failureReason).toMatch(
      /^not started: the 1s deadline \(`timeout-seconds`\) passed during \w+, before the first grant's turn; nothing was requested/,
    );
    expect(emulator().requests.filter((r) => r.operation === 'CreateAccountAssignment')).toEqual([]);
    expect(emulator().aws.assignments()).toEqual([]);
  }, 30_000);
});
