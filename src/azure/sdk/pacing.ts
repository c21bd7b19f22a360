// ARM's write and delete token buckets. ARM says how many tokens are left in every write
// response (`x-ms-ratelimit-remaining-subscription-writes` / `-deletes`, and the `-tenant-`
// variants at management group scope), so instead of guessing a rate we read it: while a bucket
// runs low, writes to it are spaced at its refill rate, so a large batch drains it to a trickle
// rather than into 429s. A 429 that comes anyway is retried by the engine with Retry-After.

/** "Subscription writes and deletes: bucket 200, refill 10 per second" (ARM request limits, token bucket model). */
const ARM_WRITE_REFILL_PER_SECOND = 10;
/** Below this many tokens left, writes are paced; above it they go as fast as concurrency allows. */
const LOW_WATERMARK = 10;

type WriteKind = 'writes' | 'deletes';

interface Bucket {
  /** Tokens left as of `at`, as ARM last reported them minus the writes sent since. */
  remaining: number;
  at: number;
  /** When the next paced write may go. */
  next: number;
}

/** The bucket a write lands in: one per subscription (or the tenant) and kind. */
export function bucketKey(url: string, method: string): string | undefined {
  const kind = writeKindOf(method);
  if (!kind) return undefined;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
  return `${subscription ? `subscription:${subscription.toLowerCase()}` : 'tenant'}:${kind}`;
}

function writeKindOf(method: string): WriteKind | undefined {
  const m = method.toUpperCase();
  if (m === 'DELETE') return 'deletes';
  if (m === 'PUT' || m === 'POST' || m === 'PATCH') return 'writes';
  return undefined;
}

/** The remaining-tokens header for a bucket key: the subscription's, or the tenant's. */
export function remainingHeaderFor(key: string): string {
  const kind = key.slice(key.lastIndexOf(':') + 1);
  return `x-ms-ratelimit-remaining-${key.startsWith('subscription:') ? 'subscription' : 'tenant'}-${kind}`;
}

export class ArmWritePacer {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    /** Sleeps; resolves false when the step's deadline came first (as Deadline.sleep does). */
    private readonly sleep: (ms: number) => Promise<boolean | void>,
    private readonly now: () => number = Date.now,
    private readonly refillPerSecond: number = ARM_WRITE_REFILL_PER_SECOND,
    private readonly lowWatermark: number = LOW_WATERMARK,
  ) {}

  /** Records what ARM reported in a write response. */
  observe(key: string, remaining: number): void {
    if (!Number.isFinite(remaining)) return;
    const bucket = this.buckets.get(key);
    const now = this.now();
    if (bucket) {
      bucket.remaining = remaining;
      bucket.at = now;
    } else {
      this.buckets.set(key, { remaining, at: now, next: now });
    }
  }

  /**
   * Waits, when the bucket is low, for this write's turn; first come first served. False when the
   * deadline passed while waiting: the write must not be sent.
   */
  async take(key: string): Promise<boolean> {
    const bucket = this.buckets.get(key);
    if (!bucket) return true;
    const now = this.now();
    const estimate = bucket.remaining + ((now - bucket.at) / 1000) * this.refillPerSecond;
    bucket.remaining = estimate - 1;
    bucket.at = now;
    if (estimate >= this.lowWatermark) return true;
    const slot = Math.max(now, bucket.next);
    bucket.next = slot + 1000 / this.refillPerSecond;
    if (slot > now) return (await this.sleep(slot - now)) !== false;
    return true;
  }
}
