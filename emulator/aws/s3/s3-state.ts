// What the S3 emulation keeps: buckets of objects and the account that owns each, the roles refused
// `s3:PutObject` (an identity policy that does not grant it, as `audit-log`'s set-up would forget),
// and how long a PutObject is held before its answer (a slow or silent store).
import { createHash } from 'node:crypto';
import { OWNER_ACCOUNT_ID } from '../account/model.js';

export interface S3Object {
  /** The object's bytes read as UTF-8 (an audit record's JSON). */
  body: string;
  /** The object's bytes as written (a gzipped snapshot is not text). */
  bytes: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
}

/** The S3 emulation's state and seams, for tests and the demo. */
export interface S3Emulator {
  /** Bucket name → key → object. */
  readonly buckets: Map<string, Map<string, S3Object>>;
  /**
   * IAM role ARNs (`arn:aws:iam::<account>:role/<name>`) whose sessions S3 answers 403 AccessDenied
   * on PutObject; `*` refuses every caller.
   */
  readonly deniedPutObject: Set<string>;
  /**
   * After this many more PutObject calls are served, every later one is refused (AccessDenied), as
   * when a policy is changed while a step runs; undefined: never.
   */
  putObjectsBeforeDenial: number | undefined;
  /**
   * How long each PutObject is held before it is served: milliseconds, or `forever` (never
   * answered; the connection stays open until the client gives up or the emulator closes).
   * Undefined: answered at once.
   */
  putObjectHold: number | 'forever' | undefined;
  /** As `putObjectHold`, for GetObject: a store that answers reads slowly, or never. */
  getObjectHold: number | 'forever' | undefined;
  /**
   * The next `times` requests of `operation` (`GetObject`, `PutObject`…) are answered with this
   * error, as S3 answers a 503 SlowDown ("Please reduce your request rate.") or a 500.
   */
  failNext(operation: string, code: string, status: number, message: string, times?: number): void;
  /** The error the next request of `operation` is to be answered with, if one was set (taken once). */
  takeFailure(operation: string): { code: string; status: number; message: string } | undefined;
  /** A bucket owned by `owner` (an account ID; the emulator's own account, 123456789012, by default). */
  createBucket(name: string, owner?: string): void;
  /** The account that owns the bucket, when there is one. */
  bucketOwner(name: string): string | undefined;
  /** The bucket's objects whose key starts with `prefix`, by key. */
  objects(bucket: string, prefix?: string): [key: string, object: S3Object][];
  reset(): void;
}

export function createS3State(): S3Emulator {
  const buckets = new Map<string, Map<string, S3Object>>();
  const owners = new Map<string, string>();
  const deniedPutObject = new Set<string>();
  const failures: { operation: string; code: string; status: number; message: string }[] = [];
  return {
    buckets,
    deniedPutObject,
    putObjectsBeforeDenial: undefined,
    putObjectHold: undefined,
    getObjectHold: undefined,
    failNext(operation, code, status, message, times = 1) {
      for (let i = 0; i < times; i++) failures.push({ operation, code, status, message });
    },
    takeFailure(operation) {
      const at = failures.findIndex((f) => f.operation === operation);
      return at < 0 ? undefined : failures.splice(at, 1)[0];
    },
    createBucket(name, owner = OWNER_ACCOUNT_ID) {
      if (buckets.has(name)) return;
      buckets.set(name, new Map());
      owners.set(name, owner);
    },
    bucketOwner: (name) => (buckets.has(name) ? owners.get(name) : undefined),
    objects(bucket, prefix = '') {
      return [...(buckets.get(bucket) ?? new Map<string, S3Object>()).entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    },
    reset() {
      buckets.clear();
      owners.clear();
      deniedPutObject.clear();
      this.putObjectsBeforeDenial = undefined;
      this.putObjectHold = undefined;
      this.getObjectHold = undefined;
      failures.length = 0;
    },
  };
}

export function newObject(bytes: Buffer | string, contentType: string | undefined): S3Object {
  const raw = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return {
    body: raw.toString('utf8'),
    bytes: raw,
    etag: `"${createHash('md5').update(raw).digest('hex')}"`,
    lastModified: new Date(),
    contentType: contentType ?? 'binary/octet-stream',
  };
}

/** The account of a caller's ARN (`arn:aws:sts::<account>:assumed-role/…`, `arn:aws:iam::<account>:user/…`). */
export function accountOf(principalArn: string): string | undefined {
  return /^arn:[^:]+:(?:sts|iam)::(\d{12}):/.exec(principalArn)?.[1];
}

/** The role a session's ARN was issued for (`assumed-role/NAME/SESSION` → `role/NAME`). */
export function roleArnOf(principalArn: string): string {
  const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principalArn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : principalArn;
}
