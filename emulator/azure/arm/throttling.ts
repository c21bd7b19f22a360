// ARM's token buckets (learn.microsoft.com "Request limits and throttling", token bucket model):
// per subscription (or tenant, for management group and root scopes), per caller, per kind of
// operation, plus a global bucket of `globalMultiplier` times the size.
import type { AzureConfig, TokenBucketConfig } from '../tenant/config.js';

export type OperationKind = 'reads' | 'writes' | 'deletes';

export function kindOf(method: string): OperationKind {
  const m = method.toUpperCase();
  if (m === 'DELETE') return 'deletes';
  if (m === 'PUT' || m === 'POST' || m === 'PATCH') return 'writes';
  return 'reads';
}

interface Bucket {
  tokens: number;
  at: number;
}

export interface TakeResult {
  ok: boolean;
  /** Tokens left in the regional and global buckets, after this request. */
  remaining: number;
  remainingGlobal: number;
  /** Seconds until one token is back, when refused. */
  retryAfterSeconds: number;
}

export class ArmBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly config: () => AzureConfig) {}

  /** Takes one token from `owner`'s (e.g. `subscription:{id}:{oid}`) buckets of this kind. */
  take(owner: string, kind: OperationKind, now = Date.now()): TakeResult {
    const cfg = this.config();
    const regional = cfg[kind];
    const global: TokenBucketConfig = {
      capacity: regional.capacity * cfg.globalMultiplier,
      refillPerSecond: regional.refillPerSecond * cfg.globalMultiplier,
    };
    const a = this.refill(`${owner}:${kind}`, regional, now);
    const b = this.refill(`${owner}:global-${kind}`, global, now);
    if (a.tokens < 1 || b.tokens < 1) {
      const wait = (bucket: Bucket, c: TokenBucketConfig) =>
        bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / Math.max(c.refillPerSecond, 0.001);
      return {
        ok: false,
        remaining: Math.floor(a.tokens),
        remainingGlobal: Math.floor(b.tokens),
        retryAfterSeconds: Math.max(1, Math.ceil(Math.max(wait(a, regional), wait(b, global)))),
      };
    }
    a.tokens -= 1;
    b.tokens -= 1;
    return {
      ok: true,
      remaining: Math.floor(a.tokens),
      remainingGlobal: Math.floor(b.tokens),
      retryAfterSeconds: 0,
    };
  }

  reset(): void {
    this.buckets.clear();
  }

  private refill(key: string, cfg: TokenBucketConfig, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: cfg.capacity, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(cfg.capacity, bucket.tokens + ((now - bucket.at) / 1000) * cfg.refillPerSecond);
    bucket.at = now;
    return bucket;
  }
}
