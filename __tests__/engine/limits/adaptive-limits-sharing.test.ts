// The rate limiter's window shared between creates and deletes (adaptive-limits.ts, window-room.ts)
// when things go wrong: the limit cut low by other jobs' throttling, expectations that never come
// or are never withdrawn, the expected create arriving a few steps after its expectation was
// withdrawn; and the window never holding more than the limit, with mixed callers answered at
// random delays. On jest's fake clock, which moves only when every call waits
// (../../harness/fake-clock.ts): each time asserted is the limiter's own, whatever the machine's load.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { AdaptiveRateLimiter } from '../../../src/engine/limits/adaptive-limits.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { laterMayLeaveAt } from '../../../src/engine/limits/window-room.js';
import { settled, tick, useFakeClock } from '../../harness/fake-clock.js';

useFakeClock({ beforeEach, afterEach, jest });

/** Cuts the limiter's limit (×0.7 per refusal) until it is `target`. */
function cutTo(limiter: AdaptiveRateLimiter, target: number): void {
  let sentAt = Date.now() + 1_000_000;
  while (limiter.limit > target) limiter.refused(sentAt++);
  expect(limiter.limit).toBe(target);
}

describe('a limit cut to 1 or 2 by throttling still lets later calls through', () => {
  it('in an empty window a later call may leave, whatever is expected', () => {
    const now = 10_000;
    const opts = (limit: number) => ({ now, windowMs: 1_000, limit });
    expect(laterMayLeaveAt([], [now + 100], opts(1))).toBe(now);
    expect(laterMayLeaveAt([], [now + 100, now + 100], opts(2))).toBe(now);
    expect(laterMayLeaveAt([], [now + 100, now + 100], opts(3))).toBe(now);
  });

  it('a delete behind an expectation that never comes leaves at once when the window is empty', async () => {
    // A window and an expectation of seconds, so "at once" is told from "after the expectation" or
    // "after the window" at a glance.
    const limiter = new AdaptiveRateLimiter({ ceiling: 19, windowMs: 20_000 });
    cutTo(limiter, 2);
    const follower = {};
    // A follower that announced a creation read (+ the create it lets go) and then never updated it
    // (its read keeps being delayed, or the create it expects never comes: the plan has no more).
    limiter.expect(follower, [Date.now() + 10_000, Date.now() + 10_000]);
    const deadline = new Deadline(30);
    const started = Date.now();
    const outcome = await settled(
      limiter.take('DeleteAccountAssignment', { deadline }, 1).then(
        () => 'sent',
        (e: unknown) => e,
      ),
    );
    expect(outcome).toBe('sent');
    expect(Date.now() - started).toBe(0);
  });

  it("a follower that keeps its expectations current (a read every 900 ms, one create running) leaves deletes a place, at a limit held at 2 by other jobs' throttling", async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 19, windowMs: 1_000 });
    cutTo(limiter, 2);
    const follower = {};
    let deletesLeft = 0;
    const deadline = new Deadline(3.5);
    const deletes = Array.from({ length: 3 }, () =>
      limiter.take('DeleteAccountAssignment', { deadline }, 1).then(
        (done) => {
          deletesLeft++;
          done();
        },
        () => undefined,
      ),
    );
    // Three seconds of one create followed: its status read every 900 ms, each told ahead (read + create).
    for (let i = 0; i < 3; i++) {
      limiter.expect(follower, [Date.now() + 900, Date.now() + 900]);
      (await settled(limiter.take('ListAccountAssignmentCreationStatus', { deadline }, 0)))();
      // Other jobs on the instance keep throttling: the limit stays at 2 (no answered() here).
      await settled(tick(900));
    }
    limiter.expect(follower, []);
    // At most one first-priority call a second of two places: a delete a second was free to go.
    expect(deletesLeft).toBeGreaterThanOrEqual(2);
    await settled(Promise.all(deletes));
  });

  it('at the full limit, an expectation over a window old (never withdrawn) keeps no place', async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 19, windowMs: 300 });
    limiter.expect({}, Array<number>(15).fill(Date.now() - 10_000));
    const started = Date.now();
    const leftAt: number[] = [];
    await settled(
      Promise.all(
        Array.from({ length: 14 }, () =>
          limiter.take('DeleteAccountAssignment', undefined, 1).then((done) => {
            leftAt.push(Date.now() - started);
            done();
          }),
        ),
      ),
    );
    // All within the window (the spacing of later calls while nothing is expected), none kept back.
    expect(leftAt.filter((t) => t < 300)).toHaveLength(14);
  });
});

describe('a withdrawn expectation hands its place to the create it was kept for, not to a waiting delete', () => {
  it('the create the follower expected arrives a few microtasks after the follower withdrew it (settle → schedule → expect(source, [])): it still gets the place', async () => {
    const limiter = new AdaptiveRateLimiter({ ceiling: 5, windowMs: 400 });
    const follower = {};
    // Four deletes answered: four of five places held for the window.
    await settled(
      Promise.all(
        Array.from({ length: 4 }, () =>
          limiter.take('DeleteAccountAssignment', undefined, 1).then((done) => done()),
        ),
      ),
    );
    // A status read showed a request ended: the create that takes its slot is expected now.
    limiter.expect(follower, [Date.now()]);
    const started = Date.now();
    const order: string[] = [];
    const deleteLeft = limiter.take('DeleteAccountAssignment', undefined, 1).then((done) => {
      order.push('delete');
      done();
    });
    await settled(tick(20));
    expect(order).toEqual([]);
    // The follower settles the request (its expectation withdrawn), and the create the ended request
    // frees its slot for follows in the same turn of the event loop, a few promise jobs later.
    limiter.expect(follower, []);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    const createdAt = await settled(
      limiter.take('CreateAccountAssignment', undefined, 0).then((done) => {
        order.push('create');
        done();
        return Date.now() - started;
      }),
    );
    await settled(deleteLeft);
    // The create found the place kept for it at once; the delete waited for one to run out.
    expect(order).toEqual(['create', 'delete']);
    expect(createdAt).toBe(20);
  });
});

describe('the window never holds more than the limit, with mixed priorities and random answer delays', () => {
  it.each([42])(
    'fuzz (seed %i): 300 calls of priorities 0/1/2, expectations coming and going, refusals, answers after 0–60 ms',
    async (firstSeed) => {
      const windowMs = 120;
      const limit = 7;
      const limiter = new AdaptiveRateLimiter({ ceiling: limit, windowMs });
      // Seeded LCG so a failure reproduces.
      let seed = firstSeed;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const calls: { turn: number; answered: number; priority: number }[] = [];
      const sources = [{}, {}];
      let stopExpecting = false;
      const expecting = (async () => {
        while (!stopExpecting) {
          const s = sources[Math.floor(random() * 2)]!;
          const n = Math.floor(random() * 5);
          limiter.expect(
            s,
            Array.from({ length: n }, () => Date.now() + (random() - 0.3) * 300),
          );
          await tick(random() * 30);
        }
        for (const s of sources) limiter.expect(s, []);
      })();
      // handedOut matching: each waiter picks up the place serve() took for it (first-priority or not).
      type Place = { until: number; first: boolean };
      const internals = limiter as unknown as {
        handedOut: Place[];
        queue: { wait: (...args: unknown[]) => Promise<void> };
      };
      const resolvedOrder: number[] = [];
      const wait = internals.queue.wait.bind(internals.queue);
      internals.queue.wait = (...args: unknown[]) =>
        wait(...args).then(() => {
          resolvedOrder.push(args[2] as number);
        });
      const shift = internals.handedOut.shift.bind(internals.handedOut);
      const mismatches: string[] = [];
      internals.handedOut.shift = () => {
        const place = shift();
        const priority = resolvedOrder.shift();
        if (place === undefined || place.first !== (priority === 0))
          mismatches.push(`place first=${String(place?.first)} for priority ${String(priority)}`);
        return place;
      };
      const one = async (priority: number) => {
        await tick(random() * 1_000);
        const done = await limiter.take(
          priority === 0 ? 'CreateAccountAssignment' : 'DeleteAccountAssignment',
          undefined,
          priority,
        );
        const turn = Date.now();
        await tick(random() * 60);
        const refused = random() < 0.03;
        const answered = Date.now();
        done();
        // As the call runner does: a throttled call cuts the limit, an answered one grows it.
        if (refused) limiter.refused(turn);
        else limiter.answered();
        calls.push({ turn, answered, priority });
      };
      await settled(Promise.all(Array.from({ length: 300 }, () => one(Math.floor(random() * 3)))));
      stopExpecting = true;
      await settled(expecting);
      // Counted from its turn until a window after its answer: never more than the limit at once.
      for (const c of calls) {
        const overlapping = calls.filter((d) => d.turn <= c.turn && d.answered + windowMs > c.turn);
        expect(overlapping.length).toBeLessThanOrEqual(limit);
      }
      expect(mismatches).toEqual([]);
    },
    30_000,
  );
});
