// Client-side limits that keep a batch inside the services' published quotas, so throttling is
// the exception rather than the steady state. Every wait in them ends at the step's deadline:
// a request still queued then is never sent (NotSentError), however long the queue.
import { NotSentError, whenBoundEnds, type WaitBound } from './deadline.js';

/** Whether the step's deadline has passed or the step was cancelled. */
function ended(bound: WaitBound | undefined): boolean {
  return bound !== undefined && (bound.deadline.passed || bound.signal?.aborted === true);
}

/**
 * Waiters in order of priority (lower first), first come first served within one, each of whom
 * leaves the queue when its bound ends (rejecting with the error `notSent` gives) rather than
 * waiting on past the deadline. Shared by the semaphore and the rate limiter, which only differ in
 * when they call `next()`.
 */
export class WaitQueue {
  private readonly waiters: { priority: number; turn: () => void }[] = [];

  get length(): number {
    return this.waiters.length;
  }

  /** The priority of the waiter whose turn is next (lower first); undefined when nobody waits. */
  get nextPriority(): number | undefined {
    return this.waiters[0]?.priority;
  }

  wait(bound: WaitBound | undefined, notSent: () => Error, priority = 0): Promise<void> {
    if (ended(bound)) return Promise.reject(notSent());
    return new Promise((resolve, reject) => {
      const waiter = {
        priority,
        turn: () => {
          stop();
          resolve();
        },
      };
      const behind = this.waiters.findIndex((w) => w.priority > priority);
      this.waiters.splice(behind === -1 ? this.waiters.length : behind, 0, waiter);
      const stop = bound
        ? whenBoundEnds(bound, () => {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            reject(notSent());
          })
        : () => {};
    });
  }

  /** A call's turn under a rate limiter; NotSentError for `operation` if its bound ends first. */
  rateLimitTurn(operation: string, bound: WaitBound | undefined, priority: number): Promise<void> {
    return this.wait(
      bound,
      () => new NotSentError(operation, 'its turn under the rate limit', bound!.deadline),
      priority,
    );
  }

  /** Whether anyone of a priority later than `priority` waits. */
  hasLaterThan(priority: number): boolean {
    return this.waiters.some((w) => w.priority > priority);
  }

  /** Gives the first waiter (of a priority later than `after`, when given) its turn; false when nobody waits. */
  next(after?: number): boolean {
    const index = after === undefined ? 0 : this.waiters.findIndex((w) => w.priority > after);
    const waiter = index === -1 ? undefined : this.waiters.splice(index, 1)[0];
    waiter?.turn();
    return waiter !== undefined;
  }
}

/** At most `limit` holders at once (CreateAccountAssignment outstanding, ProvisionPermissionSet…). */
export class Semaphore {
  private active = 0;
  private readonly queue = new WaitQueue();

  constructor(
    readonly limit: number,
    /** What a waiter waits for, in words, for NotSentError. */
    private readonly describe: string = 'a free slot',
  ) {}

  /** A release function, once a slot is free; NotSentError for `operation` if the bound ends first. */
  async acquire(operation: string, bound?: WaitBound): Promise<() => void> {
    const notSent = () => new NotSentError(operation, this.describe, bound!.deadline);
    if (ended(bound)) throw notSent();
    // A released slot passes straight to the next waiter, so `active` stays counted for it.
    if (this.active < this.limit) this.active++;
    else await this.queue.wait(bound, notSent);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (!this.queue.next()) this.active--;
    };
  }

  async run<T>(operation: string, task: () => Promise<T>, bound?: WaitBound): Promise<T> {
    const release = await this.acquire(operation, bound);
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/**
 * Spaces calls at most `perSecond` a second, with a burst of `burst`, first come first served
 * within a priority (lower first). A token bucket: each call takes a token, tokens refill
 * continuously.
 *
 * Why a steady pace beside ./adaptive-limits.ts AdaptiveRateLimiter: that one counts calls against
 * a published quota (IAM Identity Center's 20 TPS, CloudTrail's 2) shared with clients this step
 * cannot see, so it fills the window to the quota and adapts to refusals. Organizations publishes
 * no rate for the reads made here: there is no quota to fill or share, only a courtesy pace, and
 * a small burst spread evenly is that pace (a window would send its whole limit at once).
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly queue = new WaitQueue();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly perSecond: number,
    readonly burst: number = perSecond,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Waits for a token, in order; NotSentError for `operation` if the bound ends first. */
  take(operation = 'the call', bound?: WaitBound, priority = 0): Promise<void> {
    const turn = this.queue.rateLimitTurn(operation, bound, priority);
    this.serve();
    return turn;
  }

  /** After the service throttled us anyway, stop issuing for a moment (drain the bucket). */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  /** A steady pace does not adapt: a throttled call only drains the bucket (../calls/call-runner.ts CallPacer). */
  refused(): void {
    this.drain();
  }

  answered(): void {}

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  /** Hands out the tokens there are, in order, and sets a timer for the next one. */
  private serve(): void {
    this.refill();
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.next();
    }
    if (this.queue.length > 0 && this.timer === undefined) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.serve();
        },
        Math.ceil(((1 - this.tokens) / this.perSecond) * 1000),
      );
    }
  }
}

/**
 * Runs `task` over `items` with at most `limit` in flight; results keep the input order. A task
 * that calls `release` gives its place to the next item then, and runs on beside it. Once the
 * bound ends, items not started yet get `notStarted(item)` instead of running.
 */
export async function mapWithConcurrency<T, R>(
  items: T[],
  limit: number,
  task: (item: T, index: number, release: () => void) => Promise<R>,
  notStarted?: { bound: WaitBound; result: (item: T, index: number) => R },
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const released: Promise<void>[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      const ended =
        notStarted && (notStarted.bound.deadline.passed || notStarted.bound.signal?.aborted === true);
      if (ended) {
        results[index] = notStarted.result(items[index]!, index);
        continue;
      }
      let release!: () => void;
      const place = new Promise<void>((resolve) => (release = resolve));
      const done = task(items[index]!, index, release).then((result) => {
        results[index] = result;
      });
      released.push(done);
      await Promise.race([done, place]);
    }
  });
  await Promise.all(workers);
  await Promise.all(released);
  return results;
}
