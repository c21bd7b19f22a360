// ARM's token buckets: per subscription (or the tenant, at management group scope), one for reads,
// one for writes, one for deletes. ARM says how many tokens are left in every answer
// (`x-ms-ratelimit-remaining-subscription-reads` / `-writes` / `-deletes`, and the `-tenant-`
// variants), so instead of guessing a rate we read it: while a bucket runs low, its requests wait
// in line and leave at its refill rate, so a large batch drains it to a trickle rather than into
// 429s; an answer that shows more left lets them go at once. A 429 that comes anyway holds every
// request of its bucket for its Retry-After, not only the one that got it (which the engine
// retries).

export type BucketKind = 'reads' | 'writes' | 'deletes';

/**
 * "Subscription reads: bucket 250, refill 25 per second; writes and deletes: bucket 200, refill
 * 10 per second" (ARM request limits, token bucket model; the tenant's are the same).
 */
const REFILL_PER_SECOND: Record<BucketKind, number> = { reads: 25, writes: 10, deletes: 10 };
/** Below this many tokens left, requests are paced; above it they go as fast as concurrency allows. */
const LOW_WATERMARK = 10;

interface Bucket {
  /** Tokens left as of `at`, as ARM last reported them less the requests sent since. */
  remaining: number | undefined;
  at: number;
  /** When the next request may leave while the bucket is low. */
  next: number;
  /** No request leaves before this (a 429's Retry-After). */
  heldUntil: number;
  /** The sequence number of the request whose answer `remaining` was last set from. */
  observedSeq: number;
  /** Requests sent and not answered yet, by sequence number: an answer's count may not include them. */
  unanswered: Set<number>;
  /** Requests waiting for their turn, first come first served. */
  waiting: ((turn: PacedTurn | undefined) => void)[];
  /** When a wait already set will look at the line again. */
  wakeAt: number | undefined;
}

/** What ARM answered to one paced request: the tokens it says are left, and a 429's Retry-After. */
export interface BucketAnswer {
  remaining?: number | undefined;
  retryAfterMs?: number | undefined;
}

/** A request with its turn: tell the pacer its answer (or nothing, when none came). */
export interface PacedTurn {
  answered(answer?: BucketAnswer): void;
}

/** The bucket a request lands in: one per subscription (or the tenant) and kind. */
export function bucketKey(url: string, method: string): string | undefined {
  const kind = kindOf(method);
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
  return `${subscription ? `subscription:${subscription.toLowerCase()}` : 'tenant'}:${kind}`;
}

function kindOf(method: string): BucketKind {
  const m = method.toUpperCase();
  if (m === 'DELETE') return 'deletes';
  if (m === 'PUT' || m === 'POST' || m === 'PATCH') return 'writes';
  return 'reads';
}

function kindOfKey(key: string): BucketKind {
  const kind = key.slice(key.lastIndexOf(':') + 1);
  return kind === 'writes' || kind === 'deletes' ? kind : 'reads';
}

/** The remaining-tokens header for a bucket key: the subscription's, or the tenant's. */
export function remainingHeaderFor(key: string): string {
  return `x-ms-ratelimit-remaining-${key.startsWith('subscription:') ? 'subscription' : 'tenant'}-${kindOfKey(key)}`;
}

export class ArmPacer {
  private readonly buckets = new Map<string, Bucket>();
  private seq = 0;

  constructor(
    /** Sleeps; resolves false when the step's deadline came first (as Deadline.sleep does). */
    private readonly sleep: (ms: number) => Promise<boolean | void>,
    private readonly now: () => number = Date.now,
    private readonly refillPerSecond: (kind: BucketKind) => number = (kind) => REFILL_PER_SECOND[kind],
    private readonly lowWatermark: number = LOW_WATERMARK,
  ) {}

  /**
   * The request's turn: at once while its bucket has plenty left; when it runs low, in line, one
   * request per refill, or sooner when an answer shows more left; never while a 429 holds it.
   * Undefined when the deadline passed while it waited: the request must not be sent.
   */
  take(key: string): Promise<PacedTurn | undefined> {
    const bucket = this.bucketOf(key);
    return new Promise((resolve) => {
      bucket.waiting.push(resolve);
      this.release(key, bucket);
    });
  }

  /** Lets go the requests in line that the bucket allows now, and sets a wait for the next. */
  private release(key: string, bucket: Bucket): void {
    const now = this.now();
    if (bucket.heldUntil > now) return this.wake(key, bucket, bucket.heldUntil);
    const interval = 1000 / this.refillPerSecond(kindOfKey(key));
    let estimate = this.estimate(bucket, key, now);
    while (bucket.waiting.length > 0) {
      const low = estimate !== undefined && estimate < this.lowWatermark;
      if (low && now < bucket.next) break;
      // While it is low, one request per refill.
      if (low) bucket.next = Math.max(bucket.next, now) + interval;
      if (estimate !== undefined) {
        estimate -= 1;
        bucket.remaining = estimate;
        bucket.at = now;
      }
      const seq = ++this.seq;
      bucket.unanswered.add(seq);
      bucket.waiting.shift()!({ answered: (answer) => this.answered(key, seq, answer ?? {}) });
    }
    if (bucket.waiting.length > 0) this.wake(key, bucket, bucket.next);
  }

  /** Looks at the line again at `at`; when the deadline comes first, no request waiting is sent. */
  private wake(key: string, bucket: Bucket, at: number): void {
    if (bucket.wakeAt !== undefined && bucket.wakeAt <= at) return;
    bucket.wakeAt = at;
    void this.sleep(Math.max(0, at - this.now())).then((ok) => {
      if (bucket.wakeAt === at) bucket.wakeAt = undefined;
      if (ok !== false) return this.release(key, bucket);
      for (const resolve of bucket.waiting.splice(0)) resolve(undefined);
    });
  }

  /** Tokens left now, by ARM's last word, the requests sent since and the refill; undefined before ARM said. */
  private estimate(bucket: Bucket, key: string, now: number): number | undefined {
    if (bucket.remaining === undefined) return undefined;
    return bucket.remaining + ((now - bucket.at) / 1000) * this.refillPerSecond(kindOfKey(key));
  }

  private answered(key: string, seq: number, answer: BucketAnswer): void {
    const bucket = this.bucketOf(key);
    bucket.unanswered.delete(seq);
    const now = this.now();
    if (answer.retryAfterMs !== undefined)
      bucket.heldUntil = Math.max(bucket.heldUntil, now + answer.retryAfterMs);
    const remaining = answer.remaining ?? (answer.retryAfterMs !== undefined ? 0 : undefined);
    // An answer to a request older than the last one heard from says less than that one did.
    if (remaining !== undefined && Number.isFinite(remaining) && seq >= bucket.observedSeq) {
      // Every request still unanswered takes a token too: those sent after this one, and those sent
      // before that ARM may have handled after it (answers come back out of order; one ARM counted
      // already is counted twice until its own answer comes, which only paces a little early).
      bucket.observedSeq = seq;
      bucket.remaining = remaining - bucket.unanswered.size;
      bucket.at = now;
    }
    // What it said may let the requests in line go.
    if (bucket.waiting.length > 0) this.release(key, bucket);
  }

  private bucketOf(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        remaining: undefined,
        at: 0,
        next: 0,
        heldUntil: 0,
        observedSeq: 0,
        unanswered: new Set(),
        waiting: [],
        wakeAt: undefined,
      };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
