// The snapshot's object in S3 (`snapshot: s3://<bucket>/<prefix>`): read with GetObject, written
// gzipped with a conditional PutObject, `If-Match` on the ETag it was read with (or
// `If-None-Match: *` when there was none), so two runs never interleave: the second to write is
// answered 412 PreconditionFailed (404 NoSuchKey when the object it read is gone) and reads again.
// Signed in as the step is; the endpoint is the SDK's (`AWS_ENDPOINT_URL_S3` overrides it). As the
// audit log's store (../audit-s3.ts): every request carries the bucket owner condition
// (`x-amz-expected-bucket-owner`: the account the step signed in to), so another account's bucket
// of that name is refused 403, never read or written; every request ends within the step's
// deadline, and fails naming `snapshot` and `s3://bucket/key` (./store-bounds.ts). A missing,
// refused or unreachable bucket fails the step before any write to the cloud. What the object holds
// is read bounded (./object-text.ts).
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CloudAccessError } from '../../core/errors.js';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import type { SnapshotTarget } from '../../core/inputs/snapshot-inputs.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import { expectedBucketOwner, NAME_THE_ACCOUNT, stepS3Client } from '../sdk/s3-bucket.js';
import { LARGEST_SNAPSHOT_BYTES, snapshotJson } from './object-text.js';
import { withinStepTime, type SnapshotAction, type SnapshotRequest } from './store-bounds.js';

export type StoredSnapshot =
  | { found: false }
  /** `content`: the JSON it held, or why it could not be read as JSON. */
  | { found: true; etag: string; content: unknown; unreadable?: string };

export interface SnapshotStore {
  /** `s3://bucket/key`, for messages. */
  readonly where: string;
  /** `signal`: the caller's, beside the step's own deadline and cancellation. */
  read(signal?: AbortSignal): Promise<StoredSnapshot>;
  /** `lost`: another run wrote the object since it was read (or made it first). */
  write(content: unknown, readEtag: string | undefined, signal?: AbortSignal): Promise<'written' | 'lost'>;
}

type S3 = { sdk: typeof import('@aws-sdk/client-s3'); client: import('@aws-sdk/client-s3').S3Client };
type S3ErrorLike = { name?: string; $metadata?: { httpStatusCode?: number } };

export function createSnapshotStore(
  settings: AwsSessionSettings,
  target: SnapshotTarget,
  key: string,
  deps: Pick<AdapterDeps, 'requestToken' | 'mask' | 'deadline' | 'signal'>,
): SnapshotStore {
  // The S3 client is loaded when the snapshot is first read: a reconcile without one never loads it.
  const s3: Promise<S3> = import('@aws-sdk/client-s3').then((sdk) => {
    const client = stepS3Client(sdk.S3Client, settings, deps);
    return { sdk, client };
  });
  const where = `s3://${target.bucket}/${key}`;
  let owner: string | undefined;
  /** One request, within the step's time and named when it fails, with the bucket's expected owner. */
  const send = async <T>(
    action: SnapshotAction,
    signal: AbortSignal | undefined,
    run: (loaded: S3, owner: string, signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    const request: SnapshotRequest = { action, where, target, ...(owner ? { owner } : {}) };
    const bound = { deadline: deps.deadline, signal: anyOf(deps.signal, signal) };
    return withinStepTime(bound, request, async (abort) => {
      const loaded = await s3;
      owner ??= await expectedBucketOwner(settings, loaded.client);
      if (!owner)
        throw new CloudAccessError(
          "snapshot: the account of the step's credentials is not known, and the snapshot is read from and written to a bucket of that account only",
          { input: 'snapshot', fix: NAME_THE_ACCOUNT },
        );
      request.owner = owner;
      return run(loaded, owner, abort);
    });
  };
  return {
    where,
    read: (signal) =>
      send('GetObject', signal, (loaded, owner, abort) => getObject(loaded, { target, key, owner }, abort)),
    write: (content, readEtag, signal) =>
      send('PutObject', signal, (loaded, owner, abort) =>
        putObject(loaded, { target, key, owner }, { content, readEtag }, abort),
      ),
  };
}

interface ObjectAt {
  target: SnapshotTarget;
  key: string;
  /** The account the bucket must belong to (`x-amz-expected-bucket-owner`). */
  owner: string;
}

async function getObject(
  { sdk, client }: S3,
  at: ObjectAt,
  abortSignal: AbortSignal,
): Promise<StoredSnapshot> {
  let answer;
  try {
    answer = await client.send(
      new sdk.GetObjectCommand({ Bucket: at.target.bucket, Key: at.key, ExpectedBucketOwner: at.owner }),
      { abortSignal },
    );
  } catch (error) {
    if ((error as S3ErrorLike).name === 'NoSuchKey') return { found: false };
    throw error;
  }
  const etag = answer.ETag ?? '';
  const body = answer.Body as Readable | undefined;
  if (!body || (answer.ContentLength ?? 0) > LARGEST_SNAPSHOT_BYTES) {
    body?.destroy();
    return { found: true, etag, content: undefined, unreadable: 'it is empty or larger than 64 MiB' };
  }
  const json = await snapshotJson(body, abortSignal);
  return 'unreadable' in json
    ? { found: true, etag, content: undefined, unreadable: json.unreadable }
    : { found: true, etag, content: json.content };
}

async function putObject(
  { sdk, client }: S3,
  at: ObjectAt,
  { content, readEtag }: { content: unknown; readEtag: string | undefined },
  abortSignal: AbortSignal,
): Promise<'written' | 'lost'> {
  try {
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: at.target.bucket,
        Key: at.key,
        Body: gzipSync(JSON.stringify(content)),
        // Not Content-Encoding: gzip, which a client may undo on the way back.
        ContentType: 'application/gzip',
        ExpectedBucketOwner: at.owner,
        ...(readEtag ? { IfMatch: readEtag } : { IfNoneMatch: '*' }),
      }),
      { abortSignal },
    );
    return 'written';
  } catch (error) {
    const e = error as S3ErrorLike;
    const status = e.$metadata?.httpStatusCode;
    // 409 ConditionalRequestConflict: another conditional write to the key is in flight.
    if (status === 412 || status === 409 || e.name === 'PreconditionFailed') return 'lost';
    if (readEtag && e.name === 'NoSuchKey') return 'lost';
    throw error;
  }
}

/** The signal that fires when either does. */
function anyOf(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}
