// The follower's planned reads (follow.ts, planned-reads.ts): however a follower stops following,
// it withdraws what it told the pacing (expectReads(source, [])), so no place stays kept for reads
// that will not come; and joining reads of one kind (JOIN_MS) holds back no read of another kind.
// The clock is jest's: every test runs in simulated time.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { RequestFollower } from '../../../src/engine/run/follow.js';
import { JOIN_MS } from '../../../src/engine/calls/planned-reads.js';
import type { PlannedRead, StatusPacing, StatusSnapshot } from '../../../src/engine/calls/status.js';

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

/** A pacing that reads many at once and records the last reads told per source. */
function telling(readMany: StatusPacing['readMany']) {
  const last = new Map<object, PlannedRead[]>();
  const pacing: StatusPacing = {
    key: 'aws:create',
    expectedMs: 2_000,
    ...(readMany ? { readMany } : {}),
    expectReads: (source, reads) => last.set(source, reads),
  };
  const outstanding = () => [...last.values()].filter((reads) => reads.length > 0);
  return { pacing, outstanding };
}

const running = async (): Promise<StatusSnapshot> => ({ status: 'IN_PROGRESS' });

describe('a follower withdraws what it told the pacing, however it stops following', () => {
  it('when every read fails (the many-at-once read and each single read)', async () => {
    const { pacing, outstanding } = telling(async () => {
      throw new Error('HTTP 500');
    });
    const follower = new RequestFollower({ deadline: new Deadline(60) });
    const failing = async (): Promise<StatusSnapshot> => {
      throw new Error('HTTP 500');
    };
    const done = [1, 2, 3].map((i) =>
      follower.follow({ requestId: `r-${i}`, poll: failing, pacing }).catch((e: unknown) => e),
    );
    await jest.advanceTimersByTimeAsync(10_000);
    await Promise.all(done);
    expect(outstanding()).toEqual([]);
  });

  it('at the deadline, with requests that never end', async () => {
    const { pacing, outstanding } = telling(
      async (ids) => new Map(ids.map((id) => [id, { status: 'IN_PROGRESS' }])),
    );
    const follower = new RequestFollower({ deadline: new Deadline(5) });
    const done = [1, 2].map((i) => follower.follow({ requestId: `r-${i}`, poll: running, pacing }));
    await jest.advanceTimersByTimeAsync(2_500);
    expect(outstanding()).not.toEqual([]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await Promise.all(done)).toEqual([{ status: 'IN_PROGRESS' }, { status: 'IN_PROGRESS' }]);
    expect(outstanding()).toEqual([]);
  });

  it('on cancellation, with a many-at-once read still unanswered', async () => {
    let answer: (() => void) | undefined;
    const { pacing, outstanding } = telling(
      () =>
        new Promise((resolve) => {
          answer = () => resolve(new Map());
        }),
    );
    const cancel = new AbortController();
    const follower = new RequestFollower({ deadline: new Deadline(60), signal: cancel.signal });
    const done = [1, 2].map((i) =>
      follower.follow({ requestId: `r-${i}`, poll: running, pacing }).catch((e: unknown) => e),
    );
    await jest.advanceTimersByTimeAsync(2_100);
    expect(answer).toBeDefined();
    cancel.abort();
    await jest.advanceTimersByTimeAsync(10);
    await Promise.all(done);
    expect(outstanding()).toEqual([]);
    answer!();
    await jest.advanceTimersByTimeAsync(10);
    expect(outstanding()).toEqual([]);
  });
});

describe('joining reads of one kind holds back no read of another kind', () => {
  it('a request read one at a time, due between two creates JOIN_MS apart, is read when due', async () => {
    const creates = telling(async (ids) => new Map(ids.map((id) => [id, { status: 'SUCCEEDED' }])));
    const follower = new RequestFollower({ deadline: new Deadline(60) });
    const start = Date.now();
    const readAt: number[] = [];
    // A create accepted now (due at 2 000 ms), another JOIN_MS - 2 ms later.
    const first = follower.follow({ requestId: 'c-1', poll: running, pacing: creates.pacing });
    await jest.advanceTimersByTimeAsync(1);
    // A kind read one at a time (no readMany), due 1 ms after the first create.
    const other = follower.follow({
      requestId: 'p-1',
      pacing: { key: 'aws:provision', expectedMs: 2_000 },
      poll: async () => {
        readAt.push(Date.now() - start);
        return { status: 'SUCCEEDED' };
      },
    });
    await jest.advanceTimersByTimeAsync(JOIN_MS - 3);
    const second = follower.follow({ requestId: 'c-2', poll: running, pacing: creates.pacing });
    await jest.advanceTimersByTimeAsync(5_000);
    await Promise.all([first, second, other]);
    // Due at 2 001 ms: read then, not with the joined creates at 2 058 ms.
    expect(readAt[0]! - 2_001).toBeLessThanOrEqual(15);
  });
});
