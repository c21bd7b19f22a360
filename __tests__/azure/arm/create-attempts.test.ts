// A PIM request created under one name for every attempt (src/azure/arm/create-attempts.ts): an
// attempt whose answer was lost may have made it, and then the request under that name is the answer.
import { describe, expect, it } from '@jest/globals';
import { createUnderOneName, type CreateAttempts } from '../../../src/azure/arm/create-attempts.js';
import { mayHaveBeenApplied } from '../../../src/engine/calls/call-failures.js';

const signal = new AbortController().signal;

/** Attempts as the SDK makes them: each answered with `statuses[i]` (undefined: the answer was lost), the last failing. */
function attemptsAnswered(...statuses: (number | undefined)[]) {
  return async (attempts: CreateAttempts): Promise<string> => {
    for (const status of statuses) {
      const options = attempts.options(signal);
      if (status !== undefined) options.onResponse({ status, headers: { get: () => undefined } } as never);
    }
    throw new Error('the last attempt failed');
  };
}

describe('a create under one name', () => {
  it("takes the request under the name as its answer when an attempt whose answer was lost made it, and it is this grant's", async () => {
    const created = await createUnderOneName(
      attemptsAnswered(undefined, 409),
      async () => 'the earlier request',
    );
    expect(created.answer).toBe('the earlier request');
  });

  it('fails, marked as possibly applied, when nothing of this grant is under the name (or it cannot be read)', async () => {
    const none = createUnderOneName(attemptsAnswered(undefined, 409), async () => undefined);
    const error = await none.catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'the last attempt failed' });
    expect(mayHaveBeenApplied(error)).toBe(true);
    await expect(
      createUnderOneName(attemptsAnswered(undefined), () => Promise.reject(new Error('unreadable'))),
    ).rejects.toThrow('the last attempt failed');
  });

  it('does not look under the name when every attempt was refused: none was applied', async () => {
    let looked = false;
    const refused = createUnderOneName(attemptsAnswered(400, 409), async () => {
      looked = true;
      return 'not this';
    });
    const error = await refused.catch((e: unknown) => e);
    expect(looked).toBe(false);
    expect(mayHaveBeenApplied(error)).toBe(false);
  });
});
