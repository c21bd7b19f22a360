// Client-side limits that keep a batch inside the services' published quotas, so throttling is
// the exception rather than the steady state. Every wait in them ends at the step's deadline:
// a request still queued then is never sent (NotSentError), however long the queue.
import { NotSentError, whenBoundEnds, type WaitBound } from './deadline.js';

interface Waiter {
  grant(): void;
}

/** At most `limit` holders at once (CreateAccountAssignment outstanding, ProvisionPermissionSet…). */
export class Semaphore {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly limit: number,
    /** What a waiter waits for, in words, for NotSentError. */
    private readonly describe: string = 'a free slot',
  ) {}

  /** A release function, once a slot is free; NotSentError for `operation` if the bound ends first. */
  acquire(operation: string, bound?: WaitBound): Promise<() => void> {
    if (bound && (bound.deadline.passed || bound.signal?.aborted))
      return Promise.reject(this.notSent(operation, bound));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          stop();
          resolve(this.releaser());
        },
      };
      this.waiting.push(waiter);
      const stop = bound
        ? whenBoundEnds(bound, () => {
            this.waiting.splice(this.waiting.indexOf(waiter), 1);
            reject(this.notSent(operation, bound));
          })
        : () => {};
    });
  }

  async run<T>(operation: string, task: () => Promise<T>, bound?: WaitBound): Promise<T> {
    const release = await this.acquire(operation, bound);
    try {
      return await task();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; otherwise it is free.
      if (next) next.grant();
      else this.active--;
    };
  }

  private notSent(operation: string, bound: WaitBound): NotSentError {
    return new NotSentError(operation, this.describe, bound.deadline);
  }
}

/**
 * Spaces calls at most `perSecond` a second, with a burst of `burst`, first come first served.
 * A token bucket: each call takes a token, tokens refill continuously.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly waiting: Waiter[] = [];
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
  take(operation = 'the call', bound?: WaitBound): Promise<void> {
    if (bound && (bound.deadline.passed || bound.signal?.aborted))
      return Promise.reject(new NotSentError(operation, 'its turn under the rate limit', bound.deadline));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          stop();
          resolve();
        },
      };
      this.waiting.push(waiter);
      const stop = bound
        ? whenBoundEnds(bound, () => {
            const at = this.waiting.indexOf(waiter);
            if (at >= 0) this.waiting.splice(at, 1);
            reject(new NotSentError(operation, 'its turn under the rate limit', bound.deadline));
          })
        : () => {};
      this.serve();
    });
  }

  /** After the service throttled us anyway, stop issuing for a moment (drain the bucket). */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  /** Hands out the tokens there are, in order, and sets a timer for the next one. */
  private serve(): void {
    this.refill();
    while (this.waiting.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.waiting.shift()!.grant();
    }
    if (this.waiting.length > 0 && this.timer === undefined) {
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
 * Runs `task` over `items` with at most `limit` in flight; results keep the input order. Once the
 * bound ends, items not started yet get `notStarted(item)` instead of running.
 */
export async function mapWithConcurrency<T, R>(
  items: T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
  notStarted?: { bound: WaitBound; result: (item: T, index: number) => R },
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      const ended =
        notStarted && (notStarted.bound.deadline.passed || notStarted.bound.signal?.aborted === true);
      results[index] = ended ? notStarted.result(items[index]!, index) : await task(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}
