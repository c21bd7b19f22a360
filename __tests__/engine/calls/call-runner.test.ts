// The call runner: a cancelled step, replication waits and retried endpoints said in plain lines, and
// each call's activity. Whether a failed call may have been applied: ./call-failures.test.ts.
import { describe, expect, it } from '@jest/globals';
import { CloudAccessError, UnreachableEndpointError } from '../../../src/core/errors.js';
import { createCallRunner } from '../../../src/engine/calls/call-runner.js';
import { mayHaveBeenApplied } from '../../../src/engine/calls/call-failures.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { RateLimiter } from '../../../src/engine/limits/limits.js';
import { withEndpointFixes } from '../../../src/engine/limits/network.js';
import { CallActivity } from '../../../src/engine/calls/read-progress.js';
import { clockedDeadline } from '../clocked-deadline.js';

const answered = (status: number) =>
  Object.assign(new Error(`HTTP ${status}`), { $metadata: { httpStatusCode: status } });

describe('a cancelled step', () => {
  /** A runner on a step whose signal `cancel` fires; the classifier would retry anything. */
  function cancellable() {
    const cancel = new AbortController();
    const stats = emptyStats();
    let judged = 0;
    const call = createCallRunner({
      classify: () => {
        judged++;
        return { action: 'retry', kind: 'network' };
      },
      deadline: new Deadline(30),
      stats,
      signal: cancel.signal,
    });
    return { cancel, stats, call, judged: () => judged };
  }

  it('fails a call that was in flight at once, without asking the classifier or retrying', async () => {
    const { cancel, stats, call, judged } = cancellable();
    let sent = 0;
    // A call that ignores its signal (as MSAL's token request does) is abandoned all the same.
    const failed = call('RoleAssignments_Create', () => {
      sent++;
      setTimeout(() => cancel.abort(), 5);
      return new Promise<never>(() => {});
    });
    const error = await failed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudAccessError);
    expect((error as Error).message).toBe('RoleAssignments_Create was cancelled');
    expect((error as Error).cause).toMatchObject({ name: 'AbortError' });
    expect(sent).toBe(1);
    expect(judged()).toBe(0);
    expect(stats.retries).toBe(0);
    // It was sent and never answered: it may have been applied.
    expect(mayHaveBeenApplied(error)).toBe(true);
  });

  it('fails a call made after the cancellation at once, whatever the attempt failed with', async () => {
    const { cancel, call, judged } = cancellable();
    cancel.abort();
    let sent = 0;
    const error = await call('CreateAccountAssignment', () => {
      sent++;
      // Rejected as an SDK does on an aborted signal; nothing may leave this rejection unhandled.
      return Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudAccessError);
    expect((error as Error).message).toBe('CreateAccountAssignment was cancelled');
    expect(sent).toBe(1);
    expect(judged()).toBe(0);
  });
});

describe('a write waiting for replication says so in plain log lines, not only in the debug log', () => {
  const waitingFor = 'principal p to replicate';
  /** A create refused until it succeeds (at attempt `succeedAt`), each attempt taking 1 s of the clock. */
  function refusedWhileReplicating(options: { windowMs: number; waitingFor?: string; succeedAt?: number }) {
    const { clock, deadline } = clockedDeadline(600);
    const lines: string[] = [];
    const debug: string[] = [];
    const call = createCallRunner({
      classify: () => ({
        action: 'retry',
        kind: 'replication',
        windowMs: options.windowMs,
        ...(options.waitingFor ? { waitingFor: options.waitingFor } : {}),
        giveUp: () => new Error('still not found'),
      }),
      deadline,
      stats: emptyStats(),
      info: (line) => lines.push(line),
      debug: (line) => debug.push(line),
      random: () => 0,
    });
    let attempts = 0;
    const result = call('RoleAssignments_Create', async () => {
      attempts++;
      clock.now += 1000;
      if (attempts >= (options.succeedAt ?? Infinity)) return 'created';
      throw new Error('PrincipalNotFound');
    }).catch((error: unknown) => error);
    return { result, lines, debug };
  }

  it('one line at the first refusal, then one at the first retry past every further 15 s, until the window ends', async () => {
    const { result, lines, debug } = refusedWhileReplicating({ windowMs: 120_000, waitingFor });
    expect(await result).toEqual(new Error('still not found'));
    // Refusals 0.1, 1.2, 2.4, … s apart (the backoff, then 4 s at its cap, plus each 1 s attempt):
    // the waits each line gives are those of the first refusal in each 15 s of the window.
    expect(lines).toEqual([
      'RoleAssignments_Create: waiting for principal p to replicate; retrying for up to 120 s',
      'RoleAssignments_Create: still waiting for principal p to replicate after 17 s; retrying for up to 103 s more',
      'RoleAssignments_Create: still waiting for principal p to replicate after 32 s; retrying for up to 88 s more',
      'RoleAssignments_Create: still waiting for principal p to replicate after 47 s; retrying for up to 73 s more',
      'RoleAssignments_Create: still waiting for principal p to replicate after 62 s; retrying for up to 58 s more',
      'RoleAssignments_Create: still waiting for principal p to replicate after 77 s; retrying for up to 43 s more',
      'RoleAssignments_Create: still waiting for principal p to replicate after 92 s; retrying for up to 28 s more',
      'RoleAssignments_Create: still waiting for principal p to replicate after 107 s; retrying for up to 13 s more',
    ]);
    // Every retry is still in the debug log.
    expect(debug.length).toBeGreaterThan(lines.length);
  });

  it('a write that succeeds after a few quick refusals says it once', async () => {
    const { result, lines } = refusedWhileReplicating({ windowMs: 120_000, waitingFor, succeedAt: 4 });
    expect(await result).toBe('created');
    expect(lines).toEqual([
      'RoleAssignments_Create: waiting for principal p to replicate; retrying for up to 120 s',
    ]);
  });

  it('a verdict that does not say what it waits for stays in the debug log', async () => {
    const { result, lines, debug } = refusedWhileReplicating({ windowMs: 30_000 });
    expect(await result).toEqual(new Error('still not found'));
    expect(lines).toEqual([]);
    expect(debug.length).toBeGreaterThan(0);
  });
});

describe('an endpoint that answered only on a retry is named once, at info level', () => {
  const endpoint = { url: 'https://management.example.test', input: 'resource-manager-endpoint' };
  const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });

  function flakyRunner() {
    const { deadline } = clockedDeadline(300);
    const lines: string[] = [];
    const call = createCallRunner({
      classify: withEndpointFixes(
        () => ({ action: 'fail', error: new Error('unexpected') }),
        () => endpoint,
      ),
      deadline,
      stats: emptyStats(),
      info: (line) => lines.push(line),
    });
    /** A call refused `times` times, then answered. */
    const refusedThenAnswered = (operation: string, times: number) => {
      let attempts = 0;
      return call(operation, async () => (attempts++ < times ? Promise.reject(refused) : 'ok'));
    };
    return { call, refusedThenAnswered, lines };
  }

  it('says which endpoint refused, what it answered on, and the input that sets it; once for many calls', async () => {
    const { refusedThenAnswered, lines } = flakyRunner();
    await refusedThenAnswered('RoleAssignments_Get', 1);
    await refusedThenAnswered('RoleAssignments_List', 2);
    expect(lines).toEqual([
      'RoleAssignments_Get: https://management.example.test could not be reached at first (connect ECONNREFUSED 10.0.0.1:443); it answered on retry 1 of 2 (`resource-manager-endpoint` sets this endpoint)',
    ]);
  });

  it('a call that never reaches it fails naming it, and was never sent (nothing applied)', async () => {
    const { refusedThenAnswered, lines } = flakyRunner();
    const error = await refusedThenAnswered('RoleAssignments_Create', 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableEndpointError);
    expect(mayHaveBeenApplied(error)).toBe(false);
    expect(lines).toEqual([]);
  });
});

describe("a call tells the step's activity where it stands (a long read's progress lines)", () => {
  it('queued while it waits for its turn, in flight while sent, answered once back, whatever the answer', async () => {
    const activity = new CallActivity();
    const call = createCallRunner({
      classify: (error) => ({ action: 'fail', error: error as Error }),
      deadline: new Deadline(5),
      stats: emptyStats(),
      limiter: new RateLimiter(1, 1),
      activity,
    });
    let during: ReturnType<CallActivity['counts']> | undefined;
    await call('ListAccountAssignments', async () => {
      during = activity.counts();
      return 1;
    });
    expect(during).toMatchObject({ answered: 0, inFlight: 1, queued: 0 });
    // The second waits a second for its turn (1 call a second).
    const second = call('ListAccountAssignments', () => Promise.reject(answered(403))).catch(() => undefined);
    await Promise.resolve();
    expect(activity.counts()).toMatchObject({ answered: 1, inFlight: 0, queued: 1 });
    await second;
    expect(activity.counts()).toEqual({ answered: 2, inFlight: 0, queued: 0, oldestInFlightMs: undefined });
  });
});

describe('a create refused for a quota slot it holds adapts the slot, not the rate', () => {
  /** A pacer that counts the refusals it is told of. */
  function countingPacer() {
    const told = { refused: 0 };
    return {
      told,
      pacer: { take: async () => undefined, refused: () => void told.refused++, answered: () => {} },
    };
  }
  const throttled = () => Object.assign(new Error('busy'), { name: 'ThrottlingException' });

  it('a call refused for the outstanding writes, with a slot observer, waits for the slot again, with no backoff and no cut of the call rate', async () => {
    const { clock, deadline } = clockedDeadline(60);
    const { told, pacer } = countingPacer();
    let slotRefusals = 0;
    let attempts = 0;
    const call = createCallRunner({
      classify: () => ({ action: 'retry', kind: 'outstanding' }),
      deadline,
      stats: emptyStats(),
      limiter: pacer,
      random: () => 1,
    });
    const result = await call(
      'CreateAccountAssignment',
      async () => (++attempts < 4 ? Promise.reject(throttled()) : 'ok'),
      { refused: () => void slotRefusals++ },
    );
    expect(result).toBe('ok');
    expect(slotRefusals).toBe(3);
    expect(told.refused).toBe(0);
    expect(clock.now).toBe(0);
  });

  it("a call throttled for the rate (the instance's TPS quota), with a slot observer, keeps its slot: the pacer is told, and it backs off", async () => {
    const { clock, deadline } = clockedDeadline(60);
    const { told, pacer } = countingPacer();
    let slotRefusals = 0;
    let attempts = 0;
    const stats = emptyStats();
    const call = createCallRunner({
      classify: () => ({ action: 'retry', kind: 'throttled' }),
      deadline,
      stats,
      limiter: pacer,
      random: () => 1,
    });
    const result = await call(
      'CreateAccountAssignment',
      async () => (++attempts < 3 ? Promise.reject(throttled()) : 'ok'),
      { refused: () => void slotRefusals++ },
    );
    expect(result).toBe('ok');
    expect(slotRefusals).toBe(0);
    expect(told.refused).toBe(2);
    expect(stats.throttled).toBe(2);
    // 200 + 400 (RETRY_SCHEDULE, the jitter at its top).
    expect(clock.now).toBe(600);
  });

  it('a conflict on a call with a slot observer (IAM Identity Center’s answer to too many operations at once) waits for the slot again too, with no backoff', async () => {
    const { clock, deadline } = clockedDeadline(60);
    const { told, pacer } = countingPacer();
    let slotRefusals = 0;
    let attempts = 0;
    const stats = emptyStats();
    const call = createCallRunner({
      classify: () => ({ action: 'retry', kind: 'conflict' }),
      deadline,
      stats,
      limiter: pacer,
      random: () => 1,
    });
    const conflict = () => Object.assign(new Error('busy'), { name: 'ConflictException' });
    const result = await call(
      'CreateAccountAssignment',
      async () => (++attempts < 4 ? Promise.reject(conflict()) : 'ok'),
      { refused: () => void slotRefusals++ },
    );
    expect(result).toBe('ok');
    expect(slotRefusals).toBe(3);
    expect(told.refused).toBe(0);
    expect(stats.retries).toBe(3);
    expect(clock.now).toBe(0);
  });

  it('a throttled call without one cuts the call rate and backs off', async () => {
    const { clock, deadline } = clockedDeadline(60);
    const { told, pacer } = countingPacer();
    let attempts = 0;
    const call = createCallRunner({
      classify: () => ({ action: 'retry', kind: 'throttled' }),
      deadline,
      stats: emptyStats(),
      limiter: pacer,
      random: () => 1,
    });
    await call('ListAccountAssignments', async () => (++attempts < 4 ? Promise.reject(throttled()) : 'ok'));
    expect(told.refused).toBe(3);
    expect(clock.now).toBe(1_400);
  });

  it('a throttled call of first priority, which the slots wait on, backs off on the shorter schedule; a later one as usual', async () => {
    const waited = async (operation: string) => {
      const { clock, deadline } = clockedDeadline(60);
      let attempts = 0;
      const call = createCallRunner({
        classify: () => ({ action: 'retry', kind: 'throttled' }),
        deadline,
        stats: emptyStats(),
        limiter: countingPacer().pacer,
        priorityOf: (op) => (op.endsWith('CreationStatus') ? 0 : 2),
        random: () => 1,
      });
      await call(operation, async () => (++attempts < 3 ? Promise.reject(throttled()) : 'ok'));
      return clock.now;
    };
    // 60 + 120 (FIRST_PRIORITY_THROTTLE_SCHEDULE) and 200 + 400 (RETRY_SCHEDULE), the jitter at its top.
    expect(await waited('ListAccountAssignmentCreationStatus')).toBe(180);
    expect(await waited('ListPermissionSets')).toBe(600);
  });
});
