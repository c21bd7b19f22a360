// The number of outstanding creates a step keeps when it shares IAM Identity Center's quota with
// jobs it cannot see: a refusal sets it to what the step's own creates hold, the refused create
// waits for one of them to end (no backoff) or for a probe's turn, an accepted probe grows it, and
// it is never taken from a holder whose create was accepted. On a clock the test moves.
import { describe, expect, it } from '@jest/globals';
import { AdaptiveSemaphore, type SlotClock } from '../../../src/engine/limits/adaptive-semaphore.js';
import { Deadline, NotSentError } from '../../../src/engine/limits/deadline.js';
import { DEFAULT_HOLD_MS, probeDelayMs } from '../../../src/engine/limits/outstanding-share.js';

/** Lets every promise settled so far run its continuations. */
const settle = () => new Promise((r) => setImmediate(r));

/** A clock whose timers fire only as the test advances it. */
function movedClock() {
  let now = 0;
  let timers: { at: number; tick: () => void }[] = [];
  const clock: SlotClock = {
    now: () => now,
    after(ms, tick) {
      const timer = { at: now + ms, tick };
      timers.push(timer);
      return () => void (timers = timers.filter((t) => t !== timer));
    },
  };
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      const next = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      timers = timers.filter((t) => t !== next);
      now = next.at;
      next.tick();
      await settle();
    }
    now = until;
    await settle();
  };
  return { clock, advance };
}

function creates(ceiling = 3) {
  const { clock, advance } = movedClock();
  const semaphore = new AdaptiveSemaphore(
    { ceiling },
    'an outstanding CreateAccountAssignment to finish',
    clock,
  );
  const acquire = () => semaphore.acquire('CreateAccountAssignment');
  return { semaphore, acquire, advance };
}

/** Whether `promise` has settled yet. */
function watch<T>(promise: Promise<T>) {
  const state = { done: false };
  void promise.then(() => (state.done = true));
  return state;
}

describe('the outstanding-creates semaphore holds the step to its share', () => {
  it('holds at most the limit at once', async () => {
    const { acquire } = creates(3);
    const slots = await Promise.all([0, 1, 2].map(() => acquire()));
    const fourth = watch(acquire());
    await settle();
    expect(fourth.done).toBe(false);
    slots[0]!.release();
    await settle();
    expect(fourth.done).toBe(true);
  });

  it('a refused create sets the share to the slots the step’s other creates hold, and takes the first of them to end, ahead of new holders, with no backoff', async () => {
    const { semaphore, acquire } = creates(20);
    const slots = await Promise.all(Array.from({ length: 10 }, () => acquire()));
    for (const slot of slots.slice(0, 9)) slot.answered();
    const order: string[] = [];
    // The tenth create is refused: the instance is full, and the step's other nine hold their slots.
    const again = slots[9]!.refused().then(() => order.push('refused'));
    expect(semaphore.limit).toBe(9);
    const newcomer = acquire().then(() => order.push('new'));
    await settle();
    expect(semaphore.holders).toBe(9);
    expect(order).toEqual([]);
    // One of the step's own creates ends: the refused one takes its slot at once; the newcomer
    // goes after it, as the probe an end of the step's own lets go (beyond the share).
    slots[0]!.release();
    await Promise.all([again, newcomer]);
    expect(order).toEqual(['refused', 'new']);
    expect(semaphore.holders).toBe(10);
    expect(semaphore.limit).toBe(9);
  });

  it('a release after a refusal that never got its slot back frees nothing twice', async () => {
    const { semaphore, acquire } = creates(2);
    const [a, b] = await Promise.all([0, 1].map(() => acquire()));
    b!.answered();
    const deadline = new Deadline(0.05);
    // The share falls to b's one slot: a waits until the deadline ends the wait.
    await expect(a!.refused({ deadline })).rejects.toBeInstanceOf(NotSentError);
    a!.release();
    expect(semaphore.holders).toBe(1);
    b!.release();
    expect(semaphore.holders).toBe(0);
  });
});

describe('a step refused a slot keeps the slots it holds, however many', () => {
  it('a step that holds most of the instance when refused refills its own ends up to what it held: no slot it gave up stands idle', async () => {
    const { semaphore, acquire } = creates(15);
    const slots = await Promise.all(Array.from({ length: 13 }, () => acquire()));
    for (const slot of slots.slice(0, 12)) slot.answered();
    // Another client holds the two slots left: the 13th create is refused.
    const again = watch(slots[12]!.refused());
    expect(semaphore.limit).toBe(12);
    const newcomers = Array.from({ length: 3 }, () => watch(acquire()));
    // Three of the step's own creates end together: the refused create and a newcomer take two of
    // them, another newcomer the third, as a probe for the other client's slots goes with them.
    for (const slot of slots.slice(0, 3)) slot.release();
    await settle();
    expect(again.done).toBe(true);
    expect(newcomers.filter((n) => n.done)).toHaveLength(2);
    expect(semaphore.holders).toBe(12);
  });
});

describe('a step finds the slots other jobs leave by probing, not by waiting a round', () => {
  it('when one of the step’s own creates ends, a create waiting beyond the share goes at once as a probe, not at the probe’s time', async () => {
    const { semaphore, acquire, advance } = creates(15);
    const held = await Promise.all(Array.from({ length: 6 }, () => acquire()));
    for (const slot of held.slice(0, 5)) slot.answered();
    // The others hold 10: the refused create's probe is due DEFAULT_HOLD_MS / 10 later.
    const retried = watch(held[5]!.refused());
    const newcomer = watch(acquire());
    expect(semaphore.limit).toBe(5);
    await advance(10);
    expect(retried.done).toBe(false);
    // One of the step's own ends: its slot is the share's (the refused create takes it, ahead of
    // the newcomer), and the newcomer goes at once as a probe: the others' wave ends now too.
    held[0]!.release();
    await settle();
    expect(retried.done).toBe(true);
    expect(newcomer.done).toBe(true);
    expect(semaphore.holders).toBe(6);
  });

  it('a wave of the step’s own ends sends one probe, not one an end', async () => {
    const { semaphore, acquire, advance } = creates(15);
    const held = await Promise.all(Array.from({ length: 5 }, () => acquire()));
    for (const slot of held) slot.answered();
    const waiting = await Promise.all(Array.from({ length: 5 }, () => acquire()));
    for (const slot of waiting.slice(0, 4)) slot.answered();
    // The 10th is refused: the share is the 9 others.
    const again = watch(waiting[4]!.refused());
    expect(semaphore.limit).toBe(9);
    const more = Array.from({ length: 5 }, () => watch(acquire()));
    await advance(10);
    // Three ends together: the refused create and one more refill two of them within the share,
    // one probe goes beyond it, and the rest wait for its answer, not a probe an end.
    for (const slot of held.slice(0, 3)) slot.release();
    await settle();
    expect(again.done).toBe(true);
    expect(more.filter((m) => m.done)).toHaveLength(2);
    expect(semaphore.holders).toBe(9);
  });

  it('a create refused while the step holds none goes again as a probe once one of the others’ should have ended, not before', async () => {
    const { semaphore, acquire, advance } = creates(15);
    const slot = await acquire();
    const again = watch(slot.refused());
    expect(semaphore.limit).toBe(0);
    // The others hold 15 slots for about DEFAULT_HOLD_MS each: one ends every DEFAULT_HOLD_MS / 15.
    const wait = probeDelayMs(DEFAULT_HOLD_MS, 0, 15, 0);
    await advance(wait - 1);
    expect(again.done).toBe(false);
    await advance(1);
    expect(again.done).toBe(true);
    expect(semaphore.holders).toBe(1);
  });

  it('an accepted probe grows the share by one and lets the next probe go at once', async () => {
    const { semaphore, acquire, advance } = creates(15);
    const held = await Promise.all(Array.from({ length: 5 }, () => acquire()));
    for (const slot of held.slice(0, 4)) slot.answered();
    const probe = held[4]!;
    const retried = watch(probe.refused());
    expect(semaphore.limit).toBe(4);
    const next = watch(acquire());
    await advance(DEFAULT_HOLD_MS);
    expect(retried.done).toBe(true);
    expect(next.done).toBe(false);
    probe.answered();
    expect(semaphore.limit).toBe(5);
    await settle();
    // The slot was free: the next create goes at once, as a probe beyond the share of 5.
    expect(next.done).toBe(true);
    expect(semaphore.holders).toBe(6);
  });

  it('probes accepted in a row grow the share by one, two, then four; a refusal starts the growth again at one', async () => {
    const { semaphore, acquire, advance } = creates(15);
    const held = await Promise.all(Array.from({ length: 3 }, () => acquire()));
    for (const slot of held.slice(0, 2)) slot.answered();
    // Refused with two of the step's own outstanding: the share is 2; it goes again as a probe.
    const again = held[2]!.refused();
    expect(semaphore.limit).toBe(2);
    await advance(DEFAULT_HOLD_MS);
    await again;
    const waiting = Array.from({ length: 12 }, () => acquire());
    // The refused create went again as a probe, and is accepted: one slot more.
    held[2]!.answered();
    expect(semaphore.limit).toBe(3);
    await settle();
    // The next probe went at once (the 4th holder); accepted: two more.
    const probes = await Promise.all(waiting.slice(0, 1));
    probes[0]!.answered();
    expect(semaphore.limit).toBe(5);
    await settle();
    // One create within the share, and a probe beyond it; the probe is accepted: four more.
    const next = await Promise.all(waiting.slice(1, 3));
    next[0]!.answered();
    expect(semaphore.limit).toBe(5);
    next[1]!.answered();
    expect(semaphore.limit).toBe(9);
    await settle();
    // Three within the share, and a probe; the probe is refused: the share is what the others hold,
    // and the next accepted probe adds one again.
    const more = await Promise.all(waiting.slice(3, 7));
    for (const slot of more.slice(0, 3)) slot.answered();
    const retried = more[3]!.refused();
    expect(semaphore.limit).toBe(9);
    await advance(DEFAULT_HOLD_MS);
    await retried;
    more[3]!.answered();
    expect(semaphore.limit).toBe(10);
  });

  it('each probe refused in a row doubles the wait for the next, up to a create’s hold', async () => {
    const { semaphore, acquire, advance } = creates(15);
    const held = await Promise.all(Array.from({ length: 6 }, () => acquire()));
    for (const slot of held.slice(0, 5)) slot.answered();
    const create = held[5]!;
    // The share is 5: the others hold 10, one ends every DEFAULT_HOLD_MS / 10.
    const step = DEFAULT_HOLD_MS / 10;
    const first = create.refused();
    expect(semaphore.limit).toBe(5);
    await advance(step);
    await first;
    // The probe is refused: the next waits twice as long.
    const second = watch(create.refused());
    await advance(2 * step - 1);
    expect(second.done).toBe(false);
    await advance(1);
    expect(second.done).toBe(true);
    const third = watch(create.refused());
    await advance(4 * step - 1);
    expect(third.done).toBe(false);
    await advance(1);
    expect(third.done).toBe(true);
  });

  it('a share at the ceiling sends no probe', async () => {
    const { semaphore, acquire, advance } = creates(2);
    const slots = await Promise.all([0, 1].map(() => acquire()));
    const third = watch(acquire());
    await advance(10 * DEFAULT_HOLD_MS);
    expect(third.done).toBe(false);
    expect(semaphore.holders).toBe(2);
    slots[0]!.release();
    await settle();
    expect(third.done).toBe(true);
  });
});
