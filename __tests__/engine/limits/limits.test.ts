import { describe, expect, it, jest } from '@jest/globals';
import { onFakeClock, settled } from '../../harness/fake-clock.js';
import { Deadline, NotSentError } from '../../../src/engine/limits/deadline.js';
import { mapWithConcurrency, RateLimiter, Semaphore } from '../../../src/engine/limits/limits.js';

describe('the rate limiter keeps calls inside a per-second quota', () => {
  it('never lets more than burst + rate calls into any one-second window', async () => {
    const limiter = new RateLimiter(40, 1);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 60 }, () => limiter.take().then(() => times.push(Date.now()))));
    for (const t of times) {
      expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(41);
    }
  });

  it('serves callers in order', async () => {
    const limiter = new RateLimiter(100, 1);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('the semaphore bounds outstanding requests', () => {
  it('holds at most `limit` at once', async () => {
    const semaphore = new Semaphore(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        semaphore.run('Work', async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('ignores a second release of the same slot', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire('Work');
    release();
    release();
    const again = await semaphore.acquire('Work');
    let third = false;
    void semaphore.acquire('Work').then(() => (third = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(third).toBe(false);
    again();
  });
});

describe('mapWithConcurrency', () => {
  it('keeps input order and the concurrency limit', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 3, 2, 4], 2, async (n) => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, n));
      active--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });

  it('starts the next item when a task gives its place back, and waits for every task to end', async () => {
    const steps: string[] = [];
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const out = mapWithConcurrency(['a', 'b', 'c'], 1, async (item, _index, release) => {
      steps.push(`start ${item}`);
      if (item === 'a') {
        release();
        await finished;
      }
      steps.push(`end ${item}`);
      return item.toUpperCase();
    });
    await new Promise((r) => setTimeout(r, 10));
    // With one place: a gave it back, so b and c ran while a still waited.
    expect(steps).toEqual(['start a', 'start b', 'end b', 'start c', 'end c']);
    finish();
    expect(await out).toEqual(['A', 'B', 'C']);
    expect(steps.at(-1)).toBe('end a');
  });
});

describe('no queue outlives the deadline', () => {
  it('a call waiting on the rate limiter is not sent once the deadline passes', async () => {
    const limiter = new RateLimiter(2, 1);
    const bound = { deadline: new Deadline(0.3) };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => limiter.take('CreateAccountAssignment', bound)),
    );
    const sent = outcomes.filter((o) => o.status === 'fulfilled').length;
    // One token at once, a second at 0.5 s: after the deadline, none.
    expect(sent).toBe(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused.every((o) => o.reason instanceof NotSentError)).toBe(true);
    expect((refused[0]!.reason as Error).message).toContain('CreateAccountAssignment was not sent');
  });

  it('a waiter that gave up at the deadline does not take a token from the next caller', () =>
    onFakeClock(jest, async () => {
      // 4 a second: the next token comes at 250 ms, the one after at 500 ms.
      const limiter = new RateLimiter(4, 1);
      const started = Date.now();
      await limiter.take();
      const gaveUp = limiter.take('A', { deadline: new Deadline(0.01) });
      await expect(settled(gaveUp)).rejects.toBeInstanceOf(NotSentError);
      await settled(limiter.take('B'));
      expect(Date.now() - started).toBe(250);
    }));

  it('a wait for a semaphore slot ends at the deadline, and the slot goes to the next waiter', async () => {
    const semaphore = new Semaphore(1, 'a free slot');
    const release = await semaphore.acquire('First');
    const timedOut = semaphore.acquire('Second', { deadline: new Deadline(0.05) });
    await expect(timedOut).rejects.toThrow('Second was not sent');
    const third = semaphore.acquire('Third');
    release();
    const releaseThird = await third;
    releaseThird();
  });

  it('a cancelled step stops waiting at once', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire('First');
    const cancel = new AbortController();
    const waiting = semaphore.acquire('Second', { deadline: new Deadline(60), signal: cancel.signal });
    cancel.abort();
    await expect(waiting).rejects.toBeInstanceOf(NotSentError);
  });

  it('mapWithConcurrency starts nothing after the deadline and reports the rest as not started', async () => {
    // A clock the tasks move: each takes 300 ms, two at a time, against a 1 s deadline.
    let now = 0;
    const deadline = new Deadline(1, () => now);
    const started: number[] = [];
    const out = await mapWithConcurrency(
      [1, 2, 3, 4, 5, 6],
      2,
      async (n) => {
        started.push(n);
        await Promise.resolve();
        now += 300;
        return `done ${n}`;
      },
      { bound: { deadline }, result: (n) => `not started ${n}` },
    );
    expect(started).toEqual([1, 2, 3, 4]);
    expect(out).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'not started 5', 'not started 6']);
  });
});
