import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../../src/engine/deadline.js';
import { waitForTerminalStatus } from '../../src/engine/poll.js';
import { DeadlineExceededError, withRetry, type ErrorClassifier } from '../../src/engine/retry.js';

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

  it('gives up with DeadlineExceededError when no retry fits before the deadline', async () => {
    const started = Date.now();
    await expect(
      withRetry('Op', () => Promise.reject(new Error('busy')), {
        classify: retryAll,
        deadline: new Deadline(0.5),
      }),
    ).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(800);
  });
});

describe('waitForTerminalStatus', () => {
  it('returns the first terminal snapshot', async () => {
    const statuses = ['IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED'] as const;
    let i = 0;
    const snapshot = await waitForTerminalStatus(async () => ({ status: statuses[i++]! }), {
      deadline: new Deadline(10),
      random: () => 0,
    });
    expect(snapshot.status).toBe('SUCCEEDED');
    expect(i).toBe(3);
  });

  it('reports IN_PROGRESS when the deadline comes first', async () => {
    const snapshot = await waitForTerminalStatus(async () => ({ status: 'IN_PROGRESS' }), {
      deadline: new Deadline(0.6),
    });
    expect(snapshot.status).toBe('IN_PROGRESS');
  });
});
