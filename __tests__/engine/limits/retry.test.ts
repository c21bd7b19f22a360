import { describe, expect, it } from '@jest/globals';
import { UnreachableEndpointError } from '../../../src/core/errors.js';
import {
  Deadline,
  DeadlineExceededError,
  NotSentError,
  RetryAfterPastDeadlineError,
} from '../../../src/engine/limits/deadline.js';
import {
  UNREACHABLE_RETRIES,
  withRetry,
  type ErrorClassifier,
  type ReplicationVerdict,
} from '../../../src/engine/limits/retry.js';
import { clockedDeadline } from '../clocked-deadline.js';
import { FIRST_PRIORITY_THROTTLE_SCHEDULE } from '../../../src/engine/limits/backoff.js';

const retryAll: ErrorClassifier = () => ({ action: 'retry', kind: 'throttled' });

describe('retries stay inside the deadline', () => {
  it('retries retryable errors until the call succeeds', async () => {
    let calls = 0;
    const result = await withRetry(
      'Op',
      async () => (++calls < 3 ? Promise.reject(new Error('busy')) : 'ok'),
      {
        classify: retryAll,
        deadline: new Deadline(10),
        random: () => 0,
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('fails at once on an error the classifier says not to retry', async () => {
    let calls = 0;
    const denied = new Error('denied');
    await expect(
      withRetry(
        'Op',
        async () => {
          calls++;
          throw new Error('AccessDenied');
        },
        { classify: () => ({ action: 'fail', error: denied }), deadline: new Deadline(10) },
      ),
    ).rejects.toBe(denied);
    expect(calls).toBe(1);
  });

  it('gives up with DeadlineExceededError when no retry fits before the deadline, never waiting past it', async () => {
    const { clock, deadline } = clockedDeadline(0.5);
    let calls = 0;
    await expect(
      withRetry(
        'Op',
        () => {
          calls++;
          return Promise.reject(new Error('busy'));
        },
        { classify: retryAll, deadline },
      ),
    ).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(calls).toBeGreaterThan(1);
    expect(clock.now).toBeLessThanOrEqual(500);
  });
});

describe('a refused call whose wait is another limit’s does not back off on top of it', () => {
  it('retries a create refused for the outstanding creates without a delay of its own: the slot it waits for again paces it', async () => {
    const { clock, deadline } = clockedDeadline(60);
    let calls = 0;
    const result = await withRetry(
      'CreateAccountAssignment',
      async () => (++calls < 6 ? Promise.reject(new Error('busy')) : 'ok'),
      {
        classify: () => ({ action: 'retry', kind: 'outstanding' }),
        deadline,
        random: () => 1,
        refusedWaitsElsewhere: true,
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(6);
    expect(clock.now).toBe(0);
  });

  it.each([
    [
      'backs off from a throttle of the rate, whatever limit the call waits for besides',
      'CreateAccountAssignment',
      { refusedWaitsElsewhere: true },
      // 200 + 400 (RETRY_SCHEDULE, the jitter at its top).
      600,
    ],
    [
      'backs off from a throttle on the schedule it is given, when given one (a call others wait on)',
      'ListAccountAssignmentCreationStatus',
      { throttledSchedule: FIRST_PRIORITY_THROTTLE_SCHEDULE },
      // 60 + 120 (FIRST_PRIORITY_THROTTLE_SCHEDULE, the jitter at its top).
      180,
    ],
  ])('%s', async (_, operation, given, waitedMs) => {
    const { clock, deadline } = clockedDeadline(60);
    let calls = 0;
    await withRetry(
      operation,
      async () => (++calls < 3 ? Promise.reject(new Error('Rate exceeded')) : 'ok'),
      { classify: retryAll, deadline, random: () => 1, ...given },
    );
    expect(clock.now).toBe(waitedMs);
  });

  it('a given throttle schedule is for throttles only: a server error backs off as usual', async () => {
    const { clock, deadline } = clockedDeadline(60);
    let calls = 0;
    await withRetry(
      'ListAccountAssignmentCreationStatus',
      async () => (++calls < 3 ? Promise.reject(new Error('HTTP 500')) : 'ok'),
      {
        classify: () => ({ action: 'retry', kind: 'server' }),
        deadline,
        random: () => 1,
        throttledSchedule: FIRST_PRIORITY_THROTTLE_SCHEDULE,
      },
    );
    expect(clock.now).toBe(600);
  });

  it('backs off exponentially otherwise', async () => {
    const { clock, deadline } = clockedDeadline(60);
    let calls = 0;
    await withRetry(
      'ListAccountAssignments',
      async () => (++calls < 6 ? Promise.reject(new Error('busy')) : 'ok'),
      {
        classify: retryAll,
        deadline,
        random: () => 1,
      },
    );
    // 200 + 400 + 800 + 1600 + 3200 (RETRY_SCHEDULE, the jitter at its top).
    expect(clock.now).toBe(6_200);
  });
});

describe('a replication verdict is retried for its window only', () => {
  const notReplicated = new Error('PrincipalNotFound');
  const gaveUp = new Error('still not found');
  /** A replication verdict for `windowMs` whose giveUp returns `gaveUp`, its arguments recorded. */
  function recordingVerdict(windowMs: number) {
    const gaveUpWith: { waitedMs: number; last: unknown }[] = [];
    const verdict: ReplicationVerdict = {
      action: 'retry',
      kind: 'replication',
      windowMs,
      giveUp: (waitedMs, last) => {
        gaveUpWith.push({ waitedMs, last });
        return gaveUp;
      },
    };
    return { verdict, gaveUpWith };
  }

  /**
   * A call refused as not replicated 200 ms into a 1 s deadline, whose next attempt ends with
   * `second` (thrown with the clock at `at`), judged a network error when it is judged at all.
   */
  function replicationWaitEndedBy(second: Error, at: number) {
    const { clock, deadline } = clockedDeadline(1);
    const { verdict, gaveUpWith } = recordingVerdict(60_000);
    let calls = 0;
    const result = withRetry(
      'RoleAssignments_Create',
      async () => {
        if (++calls === 1) {
          clock.now += 200;
          throw notReplicated;
        }
        clock.now = at;
        throw second;
      },
      {
        classify: (error) => (error === notReplicated ? verdict : { action: 'retry', kind: 'network' }),
        deadline,
        random: () => 0,
      },
    );
    return { result, gaveUpWith };
  }

  /** Each attempt takes `attemptMs` of the clock; giveUp's arguments are recorded. */
  function setUp(seconds: number, windowMs: number, attemptMs = 1000) {
    const { clock, deadline } = clockedDeadline(seconds);
    const { verdict, gaveUpWith } = recordingVerdict(windowMs);
    let calls = 0;
    const attempt = (succeedAt = Infinity) =>
      withRetry(
        'RoleAssignments_Create',
        async () => {
          calls++;
          clock.now += attemptMs;
          if (calls >= succeedAt) return 'created';
          throw notReplicated;
        },
        { classify: () => verdict, deadline, random: () => 0 },
      );
    return { clock, gaveUpWith, attempt, calls: () => calls };
  }

  it('retries inside the window until the call succeeds', async () => {
    const { attempt, calls, gaveUpWith } = setUp(600, 10_000);
    await expect(attempt(4)).resolves.toBe('created');
    expect(calls()).toBe(4);
    expect(gaveUpWith).toEqual([]);
  });

  it("gives up with giveUp's error when the deadline cuts a retry short mid-attempt, not a bare deadline error", async () => {
    // Under load an attempt can still be in flight when the deadline passes: the SDK's call is
    // aborted (an AbortError), and the call ends with the replication wait's own explanation.
    const aborted = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    const { result, gaveUpWith } = replicationWaitEndedBy(aborted, 1_000);
    await expect(result).rejects.toBe(gaveUp);
    expect(gaveUpWith).toEqual([{ waitedMs: 800, last: notReplicated }]);
  });

  it("gives up with giveUp's error when the deadline passes before a retry is sent, not a bare deadline error", async () => {
    // Under load the retry's turn (a limiter's) can come after the deadline: the attempt is never
    // sent (NotSentError), and the call still ends with the replication wait's own explanation.
    const { deadline: bound } = clockedDeadline(1);
    const { result, gaveUpWith } = replicationWaitEndedBy(
      new NotSentError('RoleAssignments_Create', 'its turn', bound),
      1_000,
    );
    await expect(result).rejects.toBe(gaveUp);
    expect(gaveUpWith).toEqual([{ waitedMs: 800, last: notReplicated }]);
  });

  it("gives up with giveUp's error when another kind of error meets the deadline during a replication wait", async () => {
    const { result, gaveUpWith } = replicationWaitEndedBy(new Error('socket hang up'), 990);
    await expect(result).rejects.toBe(gaveUp);
    expect(gaveUpWith).toEqual([{ waitedMs: 790, last: notReplicated }]);
  });

  it('ends with the Retry-After past the deadline, not the replication wait, when the service asks for one meanwhile', async () => {
    const { clock, deadline } = clockedDeadline(60);
    const { verdict, gaveUpWith } = recordingVerdict(600_000);
    const throttled = new Error('TooManyRequests');
    let calls = 0;
    const result = withRetry(
      'RoleAssignments_Create',
      async () => {
        clock.now += 200;
        if (++calls === 1) throw notReplicated;
        throw throttled;
      },
      {
        classify: (error) =>
          error === notReplicated
            ? verdict
            : { action: 'retry', kind: 'throttled', retryAfterMs: 120_000, service: 'ARM' },
        deadline,
        random: () => 0,
      },
    );
    await expect(result).rejects.toBeInstanceOf(RetryAfterPastDeadlineError);
    expect(gaveUpWith).toEqual([]);
  });

  it('passes a NotSentError on as it is when the step was cancelled during a replication wait', async () => {
    const { clock, deadline } = clockedDeadline(60);
    const { verdict } = recordingVerdict(60_000);
    const cancel = new AbortController();
    const notSent = new NotSentError('RoleAssignments_Create', 'its turn', deadline);
    let calls = 0;
    await expect(
      withRetry(
        'RoleAssignments_Create',
        async () => {
          if (++calls === 1) {
            clock.now += 200;
            throw notReplicated;
          }
          cancel.abort();
          throw notSent;
        },
        { classify: () => verdict, deadline, random: () => 0, signal: cancel.signal },
      ),
    ).rejects.toBe(notSent);
  });

  it('passes a NotSentError on as it is when no replication wait was under way', async () => {
    const { clock, deadline } = clockedDeadline(1);
    const notSent = new NotSentError('RoleAssignments_Create', 'its turn', deadline);
    clock.now = 1_000;
    await expect(
      withRetry(
        'RoleAssignments_Create',
        async () => {
          throw notSent;
        },
        { classify: retryAll, deadline, random: () => 0 },
      ),
    ).rejects.toBe(notSent);
  });

  it("gives up with giveUp's error once the next retry would start past the window", async () => {
    const { attempt, calls, clock, gaveUpWith } = setUp(600, 5_000);
    await expect(attempt()).rejects.toBe(gaveUp);
    // Errors at 1.0, 2.1, 3.3, 4.7 and 6.5 s (backoff 100, 200, 400, 800 ms between): the fifth
    // came 5.5 s after the first, past the 5 s window.
    expect(calls()).toBe(5);
    expect(gaveUpWith).toEqual([{ waitedMs: 5_500, last: notReplicated }]);
    expect(clock.now).toBe(6_500);
  });

  it('counts the window from the first replication error, not from the first attempt', async () => {
    const { clock, deadline } = clockedDeadline(600);
    const verdicts = [{ action: 'retry', kind: 'throttled', retryAfterMs: 30_000 } as const];
    let calls = 0;
    const error = await withRetry(
      'RoleAssignments_Create',
      async () => {
        calls++;
        clock.now += 1000;
        throw notReplicated;
      },
      {
        classify: () =>
          verdicts.shift() ?? {
            action: 'retry',
            kind: 'replication',
            windowMs: 2_000,
            giveUp: (w) => new Error(`${w}`),
          },
        deadline,
        random: () => 0,
      },
    ).catch((e: unknown) => e);
    // A 30 s throttle first; the first replication error comes at 32 s, and the window still has
    // room for retries at 32.2 s and 33.6 s: the last error is 2.6 s after the first.
    expect((error as Error).message).toBe('2600');
    expect(calls).toBe(4);
  });

  it('ends at the deadline when that comes first, with the same explanation', async () => {
    const { attempt, calls, clock, gaveUpWith } = setUp(1, 120_000, 100);
    await expect(attempt()).rejects.toBe(gaveUp);
    // Errors at 0.1, 0.3 and 0.6 s: a 400 ms wait does not fit before the 1 s deadline.
    expect(calls()).toBe(3);
    expect(gaveUpWith).toEqual([{ waitedMs: 500, last: notReplicated }]);
    expect(clock.now).toBe(600);
  });
});

describe('an endpoint that cannot be reached is retried twice, then named', () => {
  const endpoint = { url: 'https://graph.example.test', input: 'graph-endpoint' };
  const dns = Object.assign(new Error('getaddrinfo ENOTFOUND graph.example.test'), { code: 'ENOTFOUND' });
  const unreachableVerdict: ErrorClassifier = () => ({
    action: 'retry',
    kind: 'unreachable',
    endpoint,
    detail: 'getaddrinfo ENOTFOUND graph.example.test',
  });

  it('fails after three tries with the endpoint, what failed, the input that sets it and the fix', async () => {
    const { deadline } = clockedDeadline(300);
    let calls = 0;
    const retries: number[] = [];
    const error = await withRetry(
      'Graph_Batch',
      () => {
        calls++;
        return Promise.reject(dns);
      },
      {
        classify: unreachableVerdict,
        deadline,
        observer: { onUnreachable: (_op, _verdict, retry) => retries.push(retry) },
      },
    ).catch((e: unknown) => e);
    expect(calls).toBe(UNREACHABLE_RETRIES + 1);
    expect(retries).toEqual([1, 2]);
    expect(error).toBeInstanceOf(UnreachableEndpointError);
    const failure = error as UnreachableEndpointError;
    expect(failure.message).toBe(
      'Graph_Batch: https://graph.example.test could not be reached (getaddrinfo ENOTFOUND graph.example.test; 3 tries)',
    );
    expect(failure.input).toBe('graph-endpoint');
    expect(failure.fix).toMatch(
      /^check that the runner reaches https:\/\/graph\.example\.test \(through HTTPS_PROXY/,
    );
    expect(failure.cause).toBe(dns);
  });

  it('a DNS blip that passes costs a retry, within seconds', async () => {
    const { clock, deadline } = clockedDeadline(300);
    let calls = 0;
    const answer = await withRetry('Op', async () => (++calls < 2 ? Promise.reject(dns) : 'ok'), {
      classify: unreachableVerdict,
      deadline,
    });
    expect(answer).toBe('ok');
    expect(clock.now).toBeLessThanOrEqual(1_000);
  });
});
