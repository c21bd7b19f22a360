// The number of outstanding creates a step keeps when it shares IAM Identity Center's quota with
// jobs it cannot see: cut by refused creates, grown back by accepted ones, and never taken from a
// holder whose create was accepted.
import { describe, expect, it } from '@jest/globals';
import { AdaptiveSemaphore } from '../../../src/engine/limits/adaptive-semaphore.js';
import { Deadline, NotSentError } from '../../../src/engine/limits/deadline.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('the outstanding-creates semaphore adapts to refused creates', () => {
  const creates = (ceiling = 3) =>
    new AdaptiveSemaphore({ ceiling }, 'an outstanding CreateAccountAssignment to finish');

  it('holds at most the limit at once', async () => {
    const semaphore = creates(3);
    const slots = await Promise.all([0, 1, 2].map(() => semaphore.acquire('CreateAccountAssignment')));
    let fourth = false;
    const waiting = semaphore.acquire('CreateAccountAssignment').then((slot) => {
      fourth = true;
      return slot;
    });
    await tick();
    expect(fourth).toBe(false);
    slots[0]!.release();
    (await waiting).release();
    expect(fourth).toBe(true);
  });

  it('a refused holder gives its slot up and gets one again, ahead of new holders, once fewer than the cut limit hold one', async () => {
    const semaphore = creates(10);
    const slots = await Promise.all(
      Array.from({ length: 10 }, () => semaphore.acquire('CreateAccountAssignment')),
    );
    const order: string[] = [];
    const newcomer = semaphore.acquire('CreateAccountAssignment').then(() => order.push('new'));
    // The tenth create is refused: the limit falls to 7, and nine still hold a slot.
    const again = slots[9]!.refused(Date.now()).then(() => order.push('refused'));
    expect(semaphore.limit).toBe(7);
    await tick();
    expect(semaphore.holders).toBe(9);
    expect(order).toEqual([]);
    // Three of the step's own creates end: the refused one goes first, then the newcomer.
    for (const slot of slots.slice(0, 3)) slot.release();
    await tick();
    expect(order).toEqual(['refused']);
    slots[3]!.release();
    await Promise.all([again, newcomer]);
    expect(order).toEqual(['refused', 'new']);
    expect(semaphore.holders).toBe(7);
  });

  it('a release after a refusal that never got its slot back frees nothing twice', async () => {
    const semaphore = creates(2);
    const [a, b] = await Promise.all([0, 1].map(() => semaphore.acquire('CreateAccountAssignment')));
    const deadline = new Deadline(0.05);
    // Limit 2 → 1, and b still holds one: a waits for a slot until the deadline ends the wait.
    await expect(a!.refused(Date.now(), { deadline })).rejects.toBeInstanceOf(NotSentError);
    a!.release();
    expect(semaphore.holders).toBe(1);
    b!.release();
    expect(semaphore.holders).toBe(0);
  });

  it('accepted creates grow the limit back to the ceiling', async () => {
    const semaphore = creates(15);
    const slot = await semaphore.acquire('CreateAccountAssignment');
    void slot.refused(Date.now());
    expect(semaphore.limit).toBe(10);
    for (let i = 0; i < 100; i++) semaphore.answered();
    expect(semaphore.limit).toBe(15);
  });
});
