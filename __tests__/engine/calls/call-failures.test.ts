// What a failed call may have done: a refusal was not applied, a call sent without an answer (or
// with a 5xx) may have been, and one the deadline kept from being sent was not.
import { describe, expect, it } from '@jest/globals';
import { createCallRunner } from '../../../src/engine/calls/call-runner.js';
import { mayHaveBeenApplied } from '../../../src/engine/calls/call-failures.js';
import { Deadline, NotSentError, DeadlineExceededError } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { RateLimiter } from '../../../src/engine/limits/limits.js';

const runner = (seconds: number, limiter?: RateLimiter) =>
  createCallRunner({
    classify: (error) =>
      (error as { retry?: boolean }).retry
        ? { action: 'retry', kind: 'network' }
        : { action: 'fail', error: error as Error },
    deadline: new Deadline(seconds),
    stats: emptyStats(),
    limiter,
  });
const answered = (status: number) =>
  Object.assign(new Error(`HTTP ${status}`), { $metadata: { httpStatusCode: status } });

describe('a failed call says whether it may have been applied', () => {
  it('a refusal (4xx) was not applied', async () => {
    const error = await runner(5)('CreateAccountAssignment', () => Promise.reject(answered(409))).catch(
      (e) => e,
    );
    expect(mayHaveBeenApplied(error)).toBe(false);
  });

  it('an attempt that got no answer, or a 5xx, may have been', async () => {
    for (const failure of [
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      answered(500),
    ]) {
      const error = await runner(5)('CreateAccountAssignment', () => Promise.reject(failure)).catch((e) => e);
      expect(mayHaveBeenApplied(error)).toBe(true);
    }
  });

  it('a call the deadline kept from being sent was not, and says so', async () => {
    const error = await runner(0)('CreateAccountAssignment', () => Promise.resolve(1)).catch((e) => e);
    expect(error).toBeInstanceOf(NotSentError);
    expect(mayHaveBeenApplied(error)).toBe(false);
  });

  it('a sent call whose retry the deadline kept back is not reported as never sent', async () => {
    const limiter = new RateLimiter(1, 1);
    const lost = Object.assign(new Error('socket hang up'), { retry: true });
    let sent = 0;
    const error = await runner(0.5, limiter)('CreateAccountAssignment', () => {
      sent++;
      return Promise.reject(lost);
    }).catch((e) => e);
    expect(sent).toBe(1);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as DeadlineExceededError).lastError).toBe(lost);
    expect(mayHaveBeenApplied(error)).toBe(true);
  });
});
