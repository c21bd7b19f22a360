// The limits a step keeps when it shares IAM Identity Center's quota with jobs it cannot see:
// a sliding window of calls, cut by refusals and grown back by answers (the number of outstanding
// creates: ./adaptive-semaphore.test.ts). On jest's fake clock, which moves only when every call
// waits (../../harness/fake-clock.ts): each time asserted is the limiter's own, whatever the load on
// the machine.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { AdaptiveRateLimiter } from '../../../src/engine/limits/adaptive-limits.js';
import { Deadline, NotSentError } from '../../../src/engine/limits/deadline.js';
import { settled, tick, useFakeClock } from '../../harness/fake-clock.js';

useFakeClock({ beforeEach, afterEach, jest });

describe('the rate limiter lets at most `limit` calls into any window', () => {
  it('never lets more than the limit into any one window', async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 5, windowMs: 100 });
    const times: number[] = [];
    await settled(
      Promise.all(
        Array.from({ length: 20 }, () =>
          limiter.take().then((answered) => {
            times.push(Date.now());
            answered();
          }),
        ),
      ),
    );
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 100).length).toBeLessThanOrEqual(5);
    // Five a window, each window as soon as the last one's places ran out.
    const started = times[0]!;
    expect(times.map((t) => t - started)).toEqual([
      0, 0, 0, 0, 0, 100, 100, 100, 100, 100, 200, 200, 200, 200, 200, 300, 300, 300, 300, 300,
    ]);
  });

  it('counts a call until a window after its answer: the service counted it somewhere in between', async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 1, windowMs: 50 });
    const answered = await settled(limiter.take());
    let next = false;
    const waiting = limiter.take().then((done) => {
      next = true;
      return done;
    });
    // Unanswered for 100 ms, twice the window: the next call still waits.
    await settled(tick(100));
    expect(next).toBe(false);
    const at = Date.now();
    answered();
    (await settled(waiting))();
    expect(Date.now() - at).toBe(50);
  });

  it('lets a burst of up to the limit leave at once after a quiet window (a wave of creates whose slots freed together)', async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 5, windowMs: 1000 });
    const started = Date.now();
    await settled(Promise.all(Array.from({ length: 5 }, () => limiter.take())));
    expect(Date.now() - started).toBe(0);
  });

  it('lets waiting writes go before waiting reads that prepare later ones (lower priority first)', async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 1, windowMs: 30 });
    const order: string[] = [];
    const first = await settled(limiter.take());
    const calls = [
      limiter.take('ListAccountAssignments', undefined, 1).then((done) => {
        order.push('read');
        done();
      }),
      limiter.take('CreateAccountAssignment', undefined, 0).then((done) => {
        order.push('write');
        done();
      }),
    ];
    first();
    await settled(Promise.all(calls));
    expect(order).toEqual(['write', 'read']);
  });

  it('while a create is in the window, deletes leave evenly (one per window / limit), so a freed create slot soon finds a place', async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 5, windowMs: 500 });
    (await settled(limiter.take('CreateAccountAssignment', undefined, 0)))();
    const times: number[] = [];
    await settled(
      Promise.all(
        Array.from({ length: 4 }, () =>
          limiter.take('DeleteAccountAssignment', undefined, 1).then((done) => {
            times.push(Date.now());
            done();
          }),
        ),
      ),
    );
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 500 ms / 5 = 100 ms apart.
    expect(gaps).toEqual([100, 100, 100]);
  });

  it('with no create in the window, later calls leave at once (a plan’s reads, before any write)', async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 5, windowMs: 500 });
    const started = Date.now();
    await settled(
      Promise.all(Array.from({ length: 5 }, () => limiter.take('ListAccountAssignments', undefined, 2))),
    );
    expect(Date.now() - started).toBe(0);
  });
});

describe('the rate limiter shares its window between creates and deletes', () => {
  /** Takes `count` calls of `priority` at once; each resolves with when it left, answered at once. */
  const takeMany = (limiter: AdaptiveRateLimiter, count: number, priority: number) =>
    Array.from({ length: count }, () =>
      limiter
        .take(priority === 0 ? 'CreateAccountAssignment' : 'DeleteAccountAssignment', undefined, priority)
        .then((done) => {
          done();
          return Date.now();
        }),
    );

  async function createsAfterDeletes(expectCreates: boolean) {
    const limiter = new AdaptiveRateLimiter({ ceiling: 19, windowMs: 500 });
    const started = Date.now();
    const follower = {};
    // Three creates will be let go 100 ms from now (a status read shows their slots free then).
    if (expectCreates) limiter.expect(follower, [started + 100, started + 100, started + 100]);
    const deletes = takeMany(limiter, 19, 1);
    await settled(tick(100));
    const creates = await settled(Promise.all(takeMany(limiter, 3, 0)));
    limiter.expect(follower, []);
    await settled(Promise.all(deletes));
    return creates.map((at) => at - started);
  }

  it('deletes leave places free for the creates expected within the window, which then leave at once', async () => {
    const kept = await createsAfterDeletes(true);
    expect(kept).toEqual([100, 100, 100]);
    // Without the expectation the deletes fill the window and the creates wait for it to run out.
    const filled = await createsAfterDeletes(false);
    for (const at of filled) expect(at).toBeGreaterThanOrEqual(500);
  });

  it('while deletes wait, creates hold at most a little over half the window; with nothing else waiting, all of it', async () => {
    const shared = new AdaptiveRateLimiter({ ceiling: 19, windowMs: 500 });
    const started = Date.now();
    await settled(Promise.all(takeMany(shared, 1, 0)));
    // Deletes wait (spaced while a create is in the window) when a wave of 19 creates comes.
    const deletes = takeMany(shared, 8, 1);
    const createdAt = (await settled(Promise.all(takeMany(shared, 19, 0)))).map((at) => at - started);
    await settled(Promise.all(deletes));
    // 11 of 19 places: the one create before, and 10 of the wave at once; the rest a window later.
    expect(createdAt.filter((at) => at === 0)).toHaveLength(10);
    expect(createdAt.filter((at) => at >= 500)).toHaveLength(9);

    const alone = new AdaptiveRateLimiter({ ceiling: 19, windowMs: 500 });
    const aloneFrom = Date.now();
    const aloneAt = (await settled(Promise.all(takeMany(alone, 19, 0)))).map((at) => at - aloneFrom);
    expect(aloneAt).toEqual(Array<number>(19).fill(0));
  });
});

describe('the rate limiter adapts to throttling', () => {
  it('cuts its limit when a call is throttled, once for the calls sent before the cut', () => {
    let now = 1000;
    const limiter = new AdaptiveRateLimiter({ ceiling: 19, windowMs: 1050 }, () => now);
    limiter.refused(990);
    expect(limiter.limit).toBe(13);
    now = 1010;
    limiter.refused(995);
    expect(limiter.limit).toBe(13);
    limiter.refused(1005);
    expect(limiter.limit).toBe(9);
  });

  it('grows its limit back as calls are answered, never past the ceiling', () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 19, windowMs: 1050 });
    limiter.refused(Date.now());
    expect(limiter.limit).toBe(13);
    for (let i = 0; i < 200; i++) limiter.answered();
    expect(limiter.limit).toBe(19);
  });

  it('a waiter ends with NotSentError at the deadline instead of waiting on', async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 1, windowMs: 300 });
    (await settled(limiter.take()))();
    const deadline = new Deadline(0.05);
    const started = Date.now();
    await expect(settled(limiter.take('CreateAccountAssignment', { deadline }))).rejects.toBeInstanceOf(
      NotSentError,
    );
    // At the deadline, not when the window would have let it go.
    expect(Date.now() - started).toBe(50);
  });
});
