// How accepted requests are followed to their end: read near their predicted completion, the
// prediction learned from the batch, several read with one call when most are still running.
// The clock is jest's: every test runs in simulated time.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ASSIGNMENT_REQUEST_EXPECTED_MS } from '../../../src/aws/trail/requests.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { RequestFollower } from '../../../src/engine/run/follow.js';
import type { StatusPacing, StatusSnapshot } from '../../../src/engine/calls/status.js';

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

/** A service whose requests finish `takesMs` after they are accepted, counting every read. */
class SlowService {
  private readonly finishAt = new Map<string, number>();
  private readonly outcomes = new Map<string, StatusSnapshot>();
  readonly reads: { requestId: string; at: number; sawFinished: boolean }[] = [];
  batchReads = 0;
  private next = 0;

  /** A request accepted now; `outcome` is what its status says once finished. */
  accept(takesMs: number, outcome: StatusSnapshot = { status: 'SUCCEEDED' }) {
    const requestId = `request-${this.next++}`;
    this.finishAt.set(requestId, Date.now() + takesMs);
    this.outcomes.set(requestId, outcome);
    return {
      requestId,
      finishesAt: Date.now() + takesMs,
      poll: async (): Promise<StatusSnapshot> => {
        const finished = this.finished(requestId);
        this.reads.push({ requestId, at: Date.now(), sawFinished: finished });
        return finished ? this.outcomes.get(requestId)! : { status: 'IN_PROGRESS' };
      },
    };
  }

  finished(requestId: string): boolean {
    return Date.now() >= this.finishAt.get(requestId)!;
  }

  /** The List…Status call: the status of each of these, but failures (their reason needs a read of its own). */
  readMany = async (requestIds: string[]): Promise<Map<string, StatusSnapshot>> => {
    this.batchReads++;
    const shown = new Map<string, StatusSnapshot>();
    for (const id of requestIds) {
      const outcome = this.finished(id) ? this.outcomes.get(id)! : { status: 'IN_PROGRESS' as const };
      if (outcome.status !== 'FAILED') shown.set(id, outcome);
    }
    return shown;
  };

  readsOf(requestId: string) {
    return this.reads.filter((r) => r.requestId === requestId);
  }
}

const pacing = (expectedMs: number, service?: SlowService): StatusPacing => ({
  key: 'writes',
  expectedMs,
  ...(service ? { readMany: service.readMany } : {}),
});

/** Follows one request to its end, moving the simulated clock; the time its end was noticed. */
async function followed(follower: RequestFollower, request: Parameters<RequestFollower['follow']>[0]) {
  let noticedAt = NaN;
  const done = follower.follow(request).then((snapshot) => {
    noticedAt = Date.now();
    return snapshot;
  });
  return { done, noticedAt: () => noticedAt };
}

describe('one request alone is read near the expected completion, then quickly after it', () => {
  it('a 3 s IAM Identity Center write costs at most 3 reads and is noticed within 0.5 s', async () => {
    const service = new SlowService();
    const request = service.accept(3_000);
    const follower = new RequestFollower({ deadline: new Deadline(60) });
    const run = await followed(follower, {
      ...request,
      pacing: { key: 'aws:create', expectedMs: ASSIGNMENT_REQUEST_EXPECTED_MS },
    });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await run.done).toEqual({ status: 'SUCCEEDED' });
    expect(service.reads.length).toBeLessThanOrEqual(3);
    expect(run.noticedAt() - request.finishesAt).toBeLessThanOrEqual(500);
  });

  it('a request that runs for minutes is read less and less often', async () => {
    const service = new SlowService();
    const request = service.accept(120_000);
    const follower = new RequestFollower({ deadline: new Deadline(600) });
    const run = await followed(follower, { ...request, pacing: pacing(2_000) });
    await jest.advanceTimersByTimeAsync(130_000);
    expect(await run.done).toEqual({ status: 'SUCCEEDED' });
    // Every 5 s at the slowest: about 24 reads for two minutes, not the 480 a 250 ms poll makes.
    expect(service.reads.length).toBeLessThanOrEqual(35);
    expect(run.noticedAt() - request.finishesAt).toBeLessThanOrEqual(5_000);
  });

  it('reports IN_PROGRESS when the deadline comes first, and reads nothing after it', async () => {
    const service = new SlowService();
    const request = service.accept(60_000);
    const run = await followed(new RequestFollower({ deadline: new Deadline(5) }), {
      ...request,
      pacing: pacing(1_000),
    });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await run.done).toEqual({ status: 'IN_PROGRESS' });
    const readsAtDeadline = service.reads.length;
    await jest.advanceTimersByTimeAsync(30_000);
    expect(service.reads.length).toBe(readsAtDeadline);
  });

  it('stops at a request that awaits a person (a PIM approval), with its reason, instead of reading until the deadline', async () => {
    let reads = 0;
    const awaiting = 'PIM request r-1 is PendingApproval: the policy requires approval';
    const done = new RequestFollower({ deadline: new Deadline(300) }).follow({
      requestId: 'r-1',
      pacing: pacing(1_000),
      poll: async () => {
        reads++;
        return { status: 'IN_PROGRESS', awaiting };
      },
    });
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await done).toEqual({ status: 'IN_PROGRESS', awaiting });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(reads).toBe(1);
  });

  it('ends with an error naming the request when the step is cancelled', async () => {
    const service = new SlowService();
    const request = service.accept(60_000);
    const cancel = new AbortController();
    const done = new RequestFollower({ deadline: new Deadline(60), signal: cancel.signal }).follow({
      ...request,
      pacing: pacing(1_000),
    });
    const outcome = expect(done).rejects.toThrow(/cancelled while request request-0 was running/);
    await jest.advanceTimersByTimeAsync(2_000);
    cancel.abort();
    await outcome;
  });

  it('gives a failed read to the caller', async () => {
    const follower = new RequestFollower({ deadline: new Deadline(60) });
    const done = follower.follow({
      requestId: 'r',
      pacing: pacing(500),
      poll: () => Promise.reject(new Error('AccessDeniedException')),
    });
    const outcome = expect(done).rejects.toThrow('AccessDeniedException');
    await jest.advanceTimersByTimeAsync(1_000);
    await outcome;
  });
});

describe('a batch learns how long its writes take', () => {
  /** `count` requests accepted `spacingMs` apart, each taking `takesMs`, followed by one follower. */
  async function batch(
    count: number,
    takesMs: number,
    expectedMs: number,
    withBatchReads = false,
    spacingMs = 150,
  ) {
    const service = new SlowService();
    const follower = new RequestFollower({ deadline: new Deadline(600) });
    const runs: { finishesAt: number; requestId: string; noticedAt: () => number }[] = [];
    for (let i = 0; i < count; i++) {
      const request = service.accept(takesMs);
      const run = await followed(follower, {
        ...request,
        pacing: pacing(expectedMs, withBatchReads ? service : undefined),
      });
      runs.push({ ...request, noticedAt: run.noticedAt });
      await jest.advanceTimersByTimeAsync(spacingMs);
    }
    await jest.advanceTimersByTimeAsync(takesMs * 10 + 30_000);
    const lateness = runs.map((r) => r.noticedAt() - r.finishesAt);
    return { service, runs, lateness, estimate: follower.estimateFor(pacing(expectedMs)) };
  }

  it('writes as long as expected cost about one read each, noticed at once', async () => {
    const { service, lateness } = await batch(60, 2_000, 2_000);
    expect(service.reads.length).toBeLessThanOrEqual(60 * 1.25);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(700);
    expect(lateness.filter((l) => l > 100).length).toBeLessThanOrEqual(60 * 0.15);
  });

  it('writes slower than expected: after the first ones, the rest are not read early again', async () => {
    const { service, runs, estimate } = await batch(40, 6_000, 2_000);
    expect(estimate.expectedMs).toBeGreaterThan(5_000);
    const later = runs.slice(20).map((r) => service.readsOf(r.requestId).length);
    expect(Math.max(...later)).toBeLessThanOrEqual(2);
  });

  it('writes faster than expected: the prediction moves earlier until reads find them running', async () => {
    const { estimate, lateness } = await batch(60, 500, 2_000);
    expect(estimate.expectedMs).toBeLessThan(800);
    expect(lateness.slice(-10).every((l) => l <= 400)).toBe(true);
  });

  it('requests due within a moment of each other are read with one call', async () => {
    // Accepted 60 ms apart, as creates leave under IAM Identity Center's rate limit, and finishing
    // a little before the prediction, as they do when it is rounded up.
    const plain = await batch(60, 1_900, 2_000, false, 60);
    const batched = await batch(60, 1_900, 2_000, true, 60);
    expect(batched.service.batchReads).toBeGreaterThan(0);
    const callsOf = (b: typeof plain) => b.service.reads.length + b.service.batchReads;
    expect(callsOf(batched)).toBeLessThan(callsOf(plain) * 0.8);
    expect(Math.max(...batched.lateness)).toBeLessThanOrEqual(700);
  });

  it('a kind whose many-at-once reads stop showing the requests asked about goes back to a read each', async () => {
    const service = new SlowService();
    const follower = new RequestFollower({ deadline: new Deadline(600) });
    let manyReads = 0;
    const blind: StatusPacing = {
      key: 'writes',
      expectedMs: 2_000,
      readMany: async () => {
        manyReads++;
        return new Map();
      },
    };
    const runs = [];
    for (let i = 0; i < 60; i++) {
      runs.push(follower.follow({ ...service.accept(2_000), pacing: blind }));
      await jest.advanceTimersByTimeAsync(100);
    }
    await jest.advanceTimersByTimeAsync(30_000);
    expect((await Promise.all(runs)).every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(manyReads).toBeLessThanOrEqual(10);
  });

  it('a failure keeps its reason', async () => {
    const service = new SlowService();
    const follower = new RequestFollower({ deadline: new Deadline(60) });
    const failing = service.accept(1_000, { status: 'FAILED', failureReason: 'IAM role quota reached' });
    const done = follower.follow({ ...failing, pacing: pacing(1_000, service) });
    const other = follower.follow({ ...service.accept(1_000), pacing: pacing(1_000, service) });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await done).toEqual({ status: 'FAILED', failureReason: 'IAM role quota reached' });
    expect(await other).toEqual({ status: 'SUCCEEDED' });
    // Shown finished by the many-at-once read, its reason came from a read of its own.
    expect(service.readsOf(failing.requestId).some((r) => r.sawFinished)).toBe(true);
  });

  it('a request read a moment before its turn and found running is read again at its turn, not a follow-up gap later', async () => {
    // Two writes accepted 10 ms apart, each as long as predicted: the round at the first one's turn
    // reads the second too, 10 ms before it ends. Its create slot waits for that second read.
    const service = new SlowService();
    const follower = new RequestFollower({ deadline: new Deadline(60) });
    const first = await followed(follower, { ...service.accept(2_000), pacing: pacing(2_000) });
    await jest.advanceTimersByTimeAsync(10);
    const second = service.accept(2_000);
    const run = await followed(follower, { ...second, pacing: pacing(2_000) });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await first.done).toEqual({ status: 'SUCCEEDED' });
    const reads = service.readsOf(second.requestId);
    expect(reads.map((r) => [r.at - (second.finishesAt - 2_000), r.sawFinished])).toEqual([
      [1_990, false],
      [2_000, true],
    ]);
    expect(run.noticedAt() - second.finishesAt).toBe(0);
    // Read before its turn, the running sighting teaches nothing: the prediction stays.
    expect(follower.estimateFor(pacing(2_000)).expectedMs).toBe(2_000);
  });

  it('a request accepted after the many-at-once read was sent is not judged by it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const service = new SlowService();
    const follower = new RequestFollower({ deadline: new Deadline(120) });
    const judged: string[][] = [];
    const slowList: StatusPacing = {
      key: 'writes',
      expectedMs: 100,
      readMany: async (ids) => {
        judged.push(ids);
        await gate;
        return new Map();
      },
    };
    const early = [service.accept(50_000), service.accept(50_000), service.accept(50_000)];
    for (const r of early) void follower.follow({ ...r, pacing: slowList });
    await jest.advanceTimersByTimeAsync(150);
    const late = service.accept(50_000);
    void follower.follow({ ...late, pacing: slowList });
    expect(judged).toHaveLength(1);
    expect(judged[0]).not.toContain(late.requestId);
    release();
    await jest.advanceTimersByTimeAsync(1);
  });
});

describe('reads of many requests at once are planned in groups', () => {
  it('requests due just after one another are read with one call, at the last one’s due time, and end together', async () => {
    const service = new SlowService();
    const follower = new RequestFollower({ deadline: new Deadline(60) });
    const noticed: number[] = [];
    const done = [];
    const start = Date.now();
    // Accepted 20 ms apart (creates that left one place apart): each due 20 ms after the one before.
    for (let i = 0; i < 3; i++) {
      const request = service.accept(2_000);
      done.push(
        follower.follow({ ...request, pacing: pacing(2_000, service) }).then(() => noticed.push(Date.now())),
      );
      await jest.advanceTimersByTimeAsync(20);
    }
    await jest.advanceTimersByTimeAsync(3_000);
    await Promise.all(done);
    expect(service.batchReads).toBe(1);
    expect(service.reads).toHaveLength(0);
    // All noticed at the last one's due time: the first waited 40 ms, not a quick gap of 200.
    expect(noticed).toEqual([start + 2_040, start + 2_040, start + 2_040]);
  });

  it('tells a pacing that asks which reads are ahead, and that none are once every request ended', async () => {
    const service = new SlowService();
    const follower = new RequestFollower({ deadline: new Deadline(60) });
    const told: { at: number; requests: number; sent: boolean }[][] = [];
    const asking: StatusPacing = { ...pacing(2_000, service), expectReads: (_f, reads) => told.push(reads) };
    const start = Date.now();
    const done = [follower.follow({ ...service.accept(2_000), pacing: asking })];
    await jest.advanceTimersByTimeAsync(30);
    done.push(follower.follow({ ...service.accept(2_000), pacing: asking }));
    await jest.advanceTimersByTimeAsync(1_000);
    done.push(follower.follow({ ...service.accept(2_000), pacing: asking }));
    // Two reads ahead: the first two requests together (30 ms apart), the third on its own.
    expect(told.at(-1)).toEqual([
      { at: start + 2_030, requests: 2, sent: false },
      { at: start + 3_030, requests: 1, sent: false },
    ]);
    await jest.advanceTimersByTimeAsync(5_000);
    await Promise.all(done);
    expect(told.at(-1)).toEqual([]);
  });

  it('tells two pacings of one follower apart (two drivers over one session: neither overwrites the other)', async () => {
    const service = new SlowService();
    const follower = new RequestFollower({ deadline: new Deadline(60) });
    const sources = new Map<string, Set<object>>();
    const asking = (name: string): StatusPacing => ({
      ...pacing(2_000, service),
      expectReads: (source) => sources.set(name, (sources.get(name) ?? new Set()).add(source)),
    });
    const users = asking('users');
    const groups = asking('groups');
    const done = [
      follower.follow({ ...service.accept(2_000), pacing: users }),
      follower.follow({ ...service.accept(2_000), pacing: groups }),
    ];
    await jest.advanceTimersByTimeAsync(5_000);
    await Promise.all(done);
    expect(sources.get('users')?.size).toBe(1);
    expect(sources.get('groups')?.size).toBe(1);
    expect([...sources.get('users')!][0]).not.toBe([...sources.get('groups')!][0]);
  });
});
