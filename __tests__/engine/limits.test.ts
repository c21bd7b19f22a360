import { describe, expect, it } from '@jest/globals';
import { mapWithConcurrency, RateLimiter, Semaphore } from '../../src/engine/limits.js';

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
        semaphore.run(async () => {
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
    const release = await semaphore.acquire();
    release();
    release();
    const again = await semaphore.acquire();
    let third = false;
    void semaphore.acquire().then(() => (third = true));
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
});
