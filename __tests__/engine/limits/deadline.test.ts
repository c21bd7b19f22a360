// The step's single deadline (`timeout-seconds`, or the post step's `post-timeout-seconds`): what
// is left of it, sleeps cut at it, what a message says to change, and waits that end with it.
import { describe, expect, it } from '@jest/globals';
import { Deadline, NotSentError, whenBoundEnds } from '../../../src/engine/limits/deadline.js';

/** A deadline over a clock the test moves. */
function clocked(seconds: number, input?: string) {
  let now = 1_000_000;
  const deadline = new Deadline(seconds, () => now, input);
  return { deadline, advance: (ms: number) => (now += ms) };
}

describe('the deadline counts down from the step start', () => {
  it('tells what is left, never below zero, and that it passed once nothing is', () => {
    const { deadline, advance } = clocked(10);
    expect(deadline.remainingMs()).toBe(10_000);
    expect(deadline.passed).toBe(false);
    advance(9_999);
    expect(deadline.remainingMs()).toBe(1);
    advance(5_000);
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.passed).toBe(true);
  });

  it('sleeps no longer than what is left, and says whether time is left after', async () => {
    const deadline = new Deadline(0.05);
    const start = Date.now();
    expect(await deadline.sleep(60_000)).toBe(false);
    expect(Date.now() - start).toBeLessThan(5_000);
    expect(await new Deadline(60).sleep(1)).toBe(true);
  });

  it('has passed for every check once a sleep ended at it, even when the clock still reads a millisecond before', async () => {
    let now = 1_000_000;
    const deadline = new Deadline(0.02, () => now);
    // The timer fires; the clock has not moved (a timer may fire a millisecond before Date.now()).
    expect(await deadline.sleep(60_000)).toBe(false);
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.passed).toBe(true);
    now += 1;
    expect(deadline.passed).toBe(true);
  });

  it('a sleep shorter than what is left leaves the deadline ahead', async () => {
    let now = 1_000_000;
    const deadline = new Deadline(10, () => now);
    expect(await deadline.sleep(1)).toBe(true);
    now += 1;
    expect(deadline.remainingMs()).toBe(9_999);
    expect(deadline.passed).toBe(false);
  });

  it('a sleep ends when the step is cancelled', async () => {
    const controller = new AbortController();
    const slept = new Deadline(60).sleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).rejects.toThrow();
  });
});

describe('a deadline that passed says which input to change', () => {
  it('the main step: raise timeout-seconds, or stop waiting with wait: false', () => {
    expect(clocked(10).deadline.advice).toBe(
      'raise `timeout-seconds`, or set `wait: false` to end the step once the requests are accepted',
    );
  });

  it('the post step: raise its own post-timeout-seconds', () => {
    expect(clocked(10, 'post-timeout-seconds').deadline.advice).toBe('raise `post-timeout-seconds`');
  });

  it('a request not sent says it changed nothing, what it waited for, and the fix', () => {
    const error = new NotSentError('CreateAccountAssignment', 'a rate-limit token', clocked(30).deadline);
    expect(error.name).toBe('NotSentError');
    expect(error.message).toBe(
      'CreateAccountAssignment was not sent: the 30s deadline (`timeout-seconds`) passed while it waited for a rate-limit token; raise `timeout-seconds`, or set `wait: false` to end the step once the requests are accepted',
    );
  });
});

describe('a wait leaves its queue when the deadline passes or the step is cancelled', () => {
  it('calls back once when the deadline passes', async () => {
    let ended = 0;
    whenBoundEnds({ deadline: new Deadline(0.02) }, () => ended++);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ended).toBe(1);
  });

  it('has passed when it calls back at the deadline, even when the clock still reads a millisecond before', async () => {
    // The timer fires; the clock has not moved (a timer may fire a millisecond before Date.now()).
    const now = 1_000_000;
    const deadline = new Deadline(0.02, () => now);
    const passedAtCallback = await new Promise<boolean>((resolve) =>
      whenBoundEnds({ deadline }, () => resolve(deadline.passed)),
    );
    expect(passedAtCallback).toBe(true);
    expect(deadline.remainingMs()).toBe(0);
  });

  it('calls back once when the step is cancelled, even if the deadline passes after', async () => {
    const controller = new AbortController();
    let ended = 0;
    whenBoundEnds({ deadline: new Deadline(0.02), signal: controller.signal }, () => ended++);
    controller.abort();
    expect(ended).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ended).toBe(1);
  });

  it('does not call back once stopped (the waiter was served first)', async () => {
    const controller = new AbortController();
    let ended = 0;
    const stop = whenBoundEnds({ deadline: new Deadline(0.02), signal: controller.signal }, () => ended++);
    stop();
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ended).toBe(0);
  });
});
