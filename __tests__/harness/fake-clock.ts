// jest's fake clock for the tests of the limits (rate windows, deadlines): time moves only when
// every call waits for a timer, as a simulated clock does, so each time a test asserts is the
// code's own (its windows, spacings and deadlines), never how fast this machine ran it. A test
// never depends on the CPU's speed.
import type { afterEach as AfterEach, beforeEach as BeforeEach, jest as Jest } from '@jest/globals';

let clock: typeof Jest | undefined;

/** Fake timers and Date around each test of the file; process.nextTick and microtasks stay real. */
export function useFakeClock(hooks: {
  beforeEach: typeof BeforeEach;
  afterEach: typeof AfterEach;
  jest: typeof Jest;
}): void {
  hooks.beforeEach(() => {
    hooks.jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    clock = hooks.jest;
  });
  hooks.afterEach(() => {
    hooks.jest.useRealTimers();
    clock = undefined;
  });
}

/** Resolves after `ms` of the clock (fake under useFakeClock). */
export const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What `promise` settles to, the fake clock moved to each next timer while it waits (never past
 * what it waits for). Throws when it waits on nothing: no timer is left and it has not settled.
 */
export async function settled<T>(promise: Promise<T>): Promise<T> {
  if (!clock) throw new Error('settled() needs useFakeClock() in the test file');
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 10 && !done; i++) await Promise.resolve();
  while (!done) {
    if (clock.getTimerCount() === 0) {
      for (let i = 0; i < 100 && !done; i++) await Promise.resolve();
      if (!done) throw new Error('the clock stalled: no timer left and the promise has not settled');
      break;
    }
    await clock.advanceTimersToNextTimerAsync();
  }
  return promise;
}

/**
 * `run` on the fake clock, for one test of a file whose others keep the real one: what it asserts
 * of `Date.now()` is the code's own time (its sleeps, waits and deadlines), never this machine's.
 */
export async function onFakeClock<T>(jest: typeof Jest, run: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
  clock = jest;
  try {
    return await run();
  } finally {
    jest.useRealTimers();
    clock = undefined;
  }
}
