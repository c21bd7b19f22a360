// ARM's token buckets: per subscription (or the tenant, at management group scope), one for reads,
// one for writes, one for deletes. ARM says how many tokens are left in every answer
// (`x-ms-ratelimit-remaining-subscription-reads` / `-writes` / `-deletes`, and the `-tenant-`
// variants), so instead of guessing a rate we read it: while a bucket runs low, its requests are
// spaced at its refill rate, so a large batch drains it to a trickle rather than into 429s. A 429
// that comes anyway holds every request of its bucket for its Retry-After, not only the one that
// got it (which the engine retries).

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
  /** When the next paced request may go. */
  next: number;
  /** No request goes before this (a 429's Retry-After). */
  heldUntil: number;
  /** The sequence number of the request whose answer `remaining` was last set from. */
  observedSeq: number;
  /** Requests taken and not answered yet, by sequence number: ARM had not counted them in an earlier request's answer. */
  unanswered: Set<number>;
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
   * Waits for the request's turn: while its bucket is held (a 429's Retry-After), and, when the
   * bucket is low, for its place at the refill rate; first come first served. Undefined when the
   * deadline passed while waiting: the request must not be sent.
   */
  async take(key: string): Promise<PacedTurn | undefined> {
    const bucket = this.bucketOf(key);
    const seq = ++this.seq;
    bucket.unanswered.add(seq);
    const turn: PacedTurn = { answered: (answer) => this.answered(key, seq, answer ?? {}) };
    const interval = 1000 / this.refillPerSecond(kindOfKey(key));
    const now = this.now();
    const estimate = this.estimate(bucket, key, now);
    if (estimate !== undefined) {
      bucket.remaining = estimate - 1;
      bucket.at = now;
    }
    /** Its place: after the hold and the places already given, one refill apart. */
    const place = (from: number) => {
      const slot = Math.max(from, bucket.next, bucket.heldUntil);
      bucket.next = slot + interval;
      return slot;
    };
    const low = estimate !== undefined && estimate < this.lowWatermark;
    if (!(await this.waitUntil(low || bucket.heldUntil > now ? place(now) : now)))
      return this.notSent(bucket, seq);
    // A hold set while this request waited for its place: behind it, still spaced.
    if (bucket.heldUntil > this.now() && !(await this.waitUntil(place(this.now()))))
      return this.notSent(bucket, seq);
    return turn;
  }

  /** False when the deadline came first. */
  private async waitUntil(at: number): Promise<boolean> {
    const ms = at - this.now();
    return ms <= 0 || (await this.sleep(ms)) !== false;
  }

  private notSent(bucket: Bucket, seq: number): undefined {
    bucket.unanswered.delete(seq);
    return undefined;
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
    if (remaining === undefined || !Number.isFinite(remaining) || seq < bucket.observedSeq) return;
    // ARM counted every request up to this one; those sent after it and unanswered take tokens too.
    let after = 0;
    for (const other of bucket.unanswered) if (other > seq) after++;
    bucket.observedSeq = seq;
    bucket.remaining = remaining - after;
    bucket.at = now;
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
      };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
