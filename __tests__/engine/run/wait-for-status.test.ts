// One request followed alone to its end (an ownership check's read, an ARM write's wait): read as a
// batch's requests are, until it ends or the deadline comes. The clock is jest's.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { waitForTerminalStatus } from '../../../src/engine/run/wait-for-status.js';
import type { StatusSnapshot } from '../../../src/engine/calls/status.js';

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('one request is followed alone to its end', () => {
  it('reads until the request ends, and gives back its last status', async () => {
    const statuses = ['IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED'] as const;
    let i = 0;
    const done = waitForTerminalStatus(async () => ({ status: statuses[i++]! }), {
      deadline: new Deadline(10),
    });
    await jest.advanceTimersByTimeAsync(10_000);
    expect((await done).status).toBe('SUCCEEDED');
    expect(i).toBe(3);
  });

  it('gives back the failed status with its reason', async () => {
    const failed: StatusSnapshot = { status: 'FAILED', failureReason: 'ConflictException' };
    const done = waitForTerminalStatus(async () => failed, { deadline: new Deadline(10) });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await done).toEqual(failed);
  });

  it('gives back IN_PROGRESS when the deadline comes first, and reads nothing after it', async () => {
    let reads = 0;
    const done = waitForTerminalStatus(
      async () => {
        reads++;
        return { status: 'IN_PROGRESS' };
      },
      { deadline: new Deadline(5), pacing: { key: 'slow', expectedMs: 1_000 } },
    );
    await jest.advanceTimersByTimeAsync(5_000);
    expect((await done).status).toBe('IN_PROGRESS');
    const atDeadline = reads;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(reads).toBe(atDeadline);
  });

  it('first reads near the time its pacing expects, not at once', async () => {
    const readAt: number[] = [];
    const start = Date.now();
    const done = waitForTerminalStatus(
      async () => {
        readAt.push(Date.now() - start);
        return { status: 'SUCCEEDED' };
      },
      { deadline: new Deadline(60), pacing: { key: 'writes', expectedMs: 3_000 } },
    );
    await jest.advanceTimersByTimeAsync(10_000);
    await done;
    expect(readAt).toHaveLength(1);
    expect(readAt[0]).toBeGreaterThan(1_000);
    expect(readAt[0]).toBeLessThanOrEqual(3_000);
  });

  it('ends with an error naming the request when the step is cancelled', async () => {
    const controller = new AbortController();
    const done = waitForTerminalStatus(async () => ({ status: 'IN_PROGRESS' }), {
      deadline: new Deadline(60),
      signal: controller.signal,
      requestId: 'request-7',
    });
    const outcome = expect(done).rejects.toThrow('request-7');
    controller.abort();
    await jest.advanceTimersByTimeAsync(1_000);
    await outcome;
  });
});
