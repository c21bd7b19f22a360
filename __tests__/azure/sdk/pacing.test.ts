import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ArmPacer, bucketKey, remainingHeaderFor } from '../../../src/azure/sdk/pacing.js';

const SUB = '11111111-1111-1111-1111-111111111111';
const ARM = 'https://management.azure.com';

describe('the bucket a request lands in', () => {
  it('is per subscription and per kind (reads, writes, deletes)', () => {
    expect(bucketKey(`${ARM}/subscriptions/${SUB.toUpperCase()}/resourceGroups/rg/providers/x`, 'PUT')).toBe(
      `subscription:${SUB}:writes`,
    );
    expect(bucketKey(`${ARM}/subscriptions/${SUB}/providers/x`, 'DELETE')).toBe(
      `subscription:${SUB}:deletes`,
    );
    expect(bucketKey(`${ARM}/subscriptions/${SUB}/providers/x?$filter=atScope()`, 'GET')).toBe(
      `subscription:${SUB}:reads`,
    );
    expect(remainingHeaderFor(`subscription:${SUB}:writes`)).toBe(
      'x-ms-ratelimit-remaining-subscription-writes',
    );
    expect(remainingHeaderFor(`subscription:${SUB}:deletes`)).toBe(
      'x-ms-ratelimit-remaining-subscription-deletes',
    );
    expect(remainingHeaderFor(`subscription:${SUB}:reads`)).toBe(
      'x-ms-ratelimit-remaining-subscription-reads',
    );
  });

  it('is the tenant at management group scope', () => {
    const key = bucketKey(`${ARM}/providers/Microsoft.Management/managementGroups/mg/providers/x`, 'PUT');
    expect(key).toBe('tenant:writes');
    expect(remainingHeaderFor(key!)).toBe('x-ms-ratelimit-remaining-tenant-writes');
    expect(remainingHeaderFor('tenant:reads')).toBe('x-ms-ratelimit-remaining-tenant-reads');
  });
});

/**
 * The pacer over jest's fake clock (its sleeps are timers), started at 0; each request's send time
 * is recorded. `run` lets the clock go until every wait has ended.
 */
function pacer() {
  const start = Date.now();
  const sleeps: number[] = [];
  const p = new ArmPacer(
    (ms) =>
      new Promise<boolean>((resolve) => {
        sleeps.push(ms);
        setTimeout(() => resolve(true), ms);
      }),
  );
  const now = () => Date.now() - start;
  const sentAt: number[] = [];
  /** Takes a turn, notes when it went, and hands the turn back for its answer. */
  const send = async (key: string) => {
    const turn = await p.take(key);
    sentAt.push(now());
    return turn!;
  };
  /** Moves the clock 10 ms at a time, so each wait's continuation runs at the time it ended. */
  const run = async <T>(pending: Promise<T>): Promise<T> => {
    let settled = false;
    void pending.finally(() => (settled = true));
    for (let i = 0; i < 6000 && !settled; i++) await jest.advanceTimersByTimeAsync(10);
    return pending;
  };
  return { p, sleeps, sentAt, send, run, now, advance: (ms: number) => jest.advanceTimersByTimeAsync(ms) };
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('requests are paced only while ARM reports their bucket low', () => {
  it('does not wait before ARM has said anything, or while plenty is left', async () => {
    const { send, sleeps } = pacer();
    (await send('k:writes')).answered({ remaining: 150 });
    for (let i = 0; i < 20; i++) await send('k:writes');
    expect(sleeps).toEqual([]);
  });

  it('spaces writes at their refill rate (10 a second) once fewer than 10 tokens are left', async () => {
    const { send, sentAt, run } = pacer();
    (await send('k:writes')).answered({ remaining: 3 });
    await run(Promise.all([send('k:writes'), send('k:writes'), send('k:writes')]));
    expect(sentAt).toEqual([0, 0, 100, 200]);
  });

  it('spaces reads at theirs (25 a second), by the reads header', async () => {
    const { send, sentAt, run } = pacer();
    (await send('k:reads')).answered({ remaining: 0 });
    await run(Promise.all([send('k:reads'), send('k:reads'), send('k:reads')]));
    expect(sentAt).toEqual([0, 0, 40, 80]);
  });

  it('keeps each bucket apart: low writes do not slow reads or deletes', async () => {
    const { send, sleeps } = pacer();
    (await send('k:writes')).answered({ remaining: 0 });
    (await send('k:reads')).answered({ remaining: 200 });
    (await send('k:deletes')).answered({ remaining: 200 });
    for (let i = 0; i < 5; i++) await Promise.all([send('k:reads'), send('k:deletes')]);
    expect(sleeps).toEqual([]);
  });

  it('counts its own requests against what ARM last reported', async () => {
    const { send, sentAt, run } = pacer();
    (await send('k:writes')).answered({ remaining: 11 });
    await run(Promise.all([send('k:writes'), send('k:writes'), send('k:writes'), send('k:writes')]));
    // 11 and 10 pass; from 9 left, writes are paced.
    expect(sentAt).toEqual([0, 0, 0, 0, 100]);
  });

  it('counts the requests still unanswered that ARM had not seen when it answered an earlier one', async () => {
    const { send, sentAt, run } = pacer();
    const first = await send('k:writes');
    // Twelve more leave before the first answer comes back, which says 12 were left: they spend them.
    const inFlight = await Promise.all(Array.from({ length: 12 }, () => send('k:writes')));
    first.answered({ remaining: 12 });
    await run(send('k:writes'));
    // 12 − 12 unanswered = 0 left: paced.
    expect(sentAt.at(-1)).toBe(0);
    await run(send('k:writes'));
    expect(sentAt.at(-1)).toBe(100);
    for (const turn of inFlight) turn.answered({});
  });

  it('counts an earlier request still unanswered too: ARM may have handled it after the one that answered', async () => {
    const { send, sentAt, run } = pacer();
    const earlier = await send('k:writes');
    // The later request's answer comes first, saying 10 are left: the earlier one may yet take one.
    (await send('k:writes')).answered({ remaining: 10 });
    await run(Promise.all([send('k:writes'), send('k:writes')]));
    expect(sentAt.slice(2)).toEqual([0, 100]);
    earlier.answered({});
  });

  it('ignores an answer to an older request once a newer one has been heard', async () => {
    const { send, sleeps } = pacer();
    const older = await send('k:writes');
    const newer = await send('k:writes');
    newer.answered({ remaining: 150 });
    older.answered({ remaining: 0 });
    for (let i = 0; i < 5; i++) await send('k:writes');
    expect(sleeps).toEqual([]);
  });

  it('stops pacing once the bucket has refilled', async () => {
    const { send, sleeps, advance } = pacer();
    (await send('k:writes')).answered({ remaining: 2 });
    await advance(2000);
    await send('k:writes');
    await send('k:writes');
    expect(sleeps).toEqual([]);
  });

  it('says a paced request must not be sent when the deadline came during its wait', async () => {
    const p = new ArmPacer(
      async () => false,
      () => 0,
    );
    (await p.take('subscription:s:writes'))!.answered({ remaining: 0 });
    expect(await p.take('subscription:s:writes')).toBeDefined();
    expect(await p.take('subscription:s:writes')).toBeUndefined();
  });
});

describe("a 429's Retry-After holds every request of its bucket", () => {
  it('holds the requests that take their turn after it, then lets go what 2 s refilled, then one per refill', async () => {
    const { send, sentAt, run } = pacer();
    (await send('k:writes')).answered({ remaining: 100 });
    // Another request of the bucket was throttled: Retry-After 2 s (its header says 0 left).
    (await send('k:writes')).answered({ remaining: 0, retryAfterMs: 2000 });
    await run(Promise.all(Array.from({ length: 14 }, () => send('k:writes'))));
    // 20 tokens back after 2 s: down to the low mark at once (and the first paced one), then one per 100 ms.
    expect(sentAt.slice(2)).toEqual([...Array.from({ length: 12 }, () => 2000), 2100, 2200]);
  });

  it('lets the requests in line go as soon as an answer shows more left than thought', async () => {
    const { p, now, run, advance } = pacer();
    (await p.take('k:writes'))!.answered({ remaining: 3 });
    const sent: number[] = [];
    const turns = Array.from({ length: 5 }, () => p.take('k:writes').then((t) => (sent.push(now()), t!)));
    const [first] = await Promise.all([turns[0]!, advance(10)]);
    expect(sent).toEqual([0]);
    // Its answer says 40 are left (another client's requests had ended, say): the line goes.
    first.answered({ remaining: 40 });
    await run(Promise.all(turns));
    expect(sent).toEqual([0, 10, 10, 10, 10]);
  });

  it('holds a request that was already waiting for its place when the 429 came', async () => {
    const { p, now, run } = pacer();
    (await p.take('k:writes'))!.answered({ remaining: 0 });
    const throttled = await p.take('k:writes'); // sent at once: the first paced place
    const held = p.take('k:writes'); // its place: 100 ms, unless a hold comes first
    await jest.advanceTimersByTimeAsync(50);
    throttled!.answered({ remaining: 0, retryAfterMs: 1000 });
    await run(held);
    expect(now()).toBeGreaterThanOrEqual(1050);
  });

  it('holds only its own bucket', async () => {
    const { send, sleeps } = pacer();
    (await send('k:writes')).answered({ remaining: 0, retryAfterMs: 5000 });
    (await send('k:reads')).answered({ remaining: 200 });
    await send('k:reads');
    await send('other:writes');
    expect(sleeps).toEqual([]);
  });

  it('takes a 429 without a remaining count as an empty bucket', async () => {
    const { send, sentAt, run } = pacer();
    (await send('k:reads')).answered({ retryAfterMs: 1000 });
    await run(Promise.all(Array.from({ length: 18 }, () => send('k:reads'))));
    // 25 back after the second: 17 go at once, down to the low mark, then one per 40 ms.
    expect(sentAt.slice(1)).toEqual([...Array.from({ length: 17 }, () => 1000), 1040]);
  });
});
