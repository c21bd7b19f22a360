// GitHub's rate limits are throttling, waited by the engine's one Retry-After rule for every
// service: a wait of a second or more is one log line, a wait past the deadline ends the call at
// once in the engine's words with GitHub's fix, and neither is ever a missing permission.
import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { withRetry } from '../../src/engine/limits/retry.js';
import { githubThrottleOf, throttleRetries, throwIfThrottled } from '../../src/github/github-throttle.js';

const refused = (status: number, headers: Record<string, string>, message = '') =>
  Object.assign(new Error(message), { status, message, response: { headers, data: { message } } });
const permissionDenied = () => refused(403, {}, 'Resource not accessible by integration');
const failHere = () => ({ action: 'fail' as const, error: new Error('other failure') });

describe('what GitHub calls a rate limit', () => {
  it('is a 429, a 403 with `retry-after` or the secondary limit’s text, or a 403 with no requests left', () => {
    expect(githubThrottleOf(refused(429, { 'retry-after': '7' }))).toEqual({
      limit: 'secondary',
      waitMs: 7_000,
    });
    expect(githubThrottleOf(refused(403, {}, 'You have exceeded a secondary rate limit'))).toEqual({
      limit: 'secondary',
      waitMs: 60_000,
    });
    expect(
      githubThrottleOf(
        refused(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1030' }),
        1_000_000,
      ),
    ).toEqual({ limit: 'primary', waitMs: 30_000 });
  });

  it('is not a 403 that refuses a permission', () => {
    expect(githubThrottleOf(permissionDenied())).toBeUndefined();
  });
});

describe('a GitHub call throttled', () => {
  it('waits what GitHub asked, said in one line naming the limit and the call', async () => {
    const said: string[] = [];
    let calls = 0;
    const answer = await withRetry(
      'the call to list the campaign issues',
      async () => {
        if (calls++ === 0) throw refused(429, { 'retry-after': '1' });
        return 'listed';
      },
      { deadline: new Deadline(30), ...throttleRetries(failHere, (line) => said.push(line)) },
    );
    expect(answer).toBe('listed');
    expect(said).toEqual([
      'GitHub’s secondary rate limit: the call to list the campaign issues was throttled; waiting 1 s (its Retry-After) before trying again',
    ]);
  });

  it('past the deadline ends at once with the engine’s words, the wait asked, `timeout-seconds` and GitHub’s fix', async () => {
    let calls = 0;
    const failure = await withRetry(
      'the call to list the campaign issues',
      async () => {
        calls++;
        throw refused(429, { 'retry-after': '3600' });
      },
      { deadline: new Deadline(60), ...throttleRetries(failHere) },
    ).catch((error: unknown) => error);
    expect(calls).toBe(1);
    let thrown: unknown;
    try {
      throwIfThrottled(failure, { input: 'timeout-seconds' });
    } catch (error) {
      thrown = error;
    }
    expect(String((thrown as Error).message)).toMatch(
      /^GitHub’s secondary rate limit asked to wait 3600 s before the call to list the campaign issues is tried again \(Retry-After\), more than the \d+ s left of the step's 60s deadline \(`timeout-seconds`\)/,
    );
    expect((thrown as { fix?: string }).fix).toContain('rate limits are per token');
  });

  it('leaves a refused permission to the caller, which names it', async () => {
    const failure = await withRetry(
      'the call to list the campaign issues',
      async () => {
        throw permissionDenied();
      },
      {
        deadline: new Deadline(60),
        ...throttleRetries(() => ({ action: 'fail', error: permissionDenied() })),
      },
    ).catch((error: unknown) => error);
    expect(() => throwIfThrottled(failure, { input: 'timeout-seconds' })).not.toThrow();
  });
});
