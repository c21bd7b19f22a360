// What the S3 emulation keeps: buckets of objects, and the roles refused `s3:PutObject` (an
// identity policy that does not grant it, as `audit-log`'s set-up would forget).
import { createHash } from 'node:crypto';

export interface S3Object {
  body: string;
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
  createBucket(name: string): void;
  /** The bucket's objects whose key starts with `prefix`, by key. */
  objects(bucket: string, prefix?: string): [key: string, object: S3Object][];
  reset(): void;
}

export function createS3State(): S3Emulator {
  const buckets = new Map<string, Map<string, S3Object>>();
  const deniedPutObject = new Set<string>();
  return {
    buckets,
    deniedPutObject,
    putObjectsBeforeDenial: undefined,
    createBucket(name) {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    objects(bucket, prefix = '') {
      return [...(buckets.get(bucket) ?? new Map<string, S3Object>()).entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    },
    reset() {
      buckets.clear();
      deniedPutObject.clear();
      this.putObjectsBeforeDenial = undefined;
    },
  };
}

export function newObject(body: string, contentType: string | undefined): S3Object {
  return {
    body,
    etag: `"${createHash('md5').update(body, 'utf8').digest('hex')}"`,
    lastModified: new Date(),
    contentType: contentType ?? 'binary/octet-stream',
  };
}

/** The role a session's ARN was issued for (`assumed-role/NAME/SESSION` → `role/NAME`). */
export function roleArnOf(principalArn: string): string {
  const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principalArn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : principalArn;
}
