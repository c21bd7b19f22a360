// The snapshot's object in S3 (`snapshot: s3://<bucket>/<prefix>`): read with GetObject, written
// gzipped with a conditional PutObject, `If-Match` on the ETag it was read with (or
// `If-None-Match: *` when there was none), so two runs never interleave: the second to write is
// answered 412 PreconditionFailed (404 NoSuchKey when the object it read is gone) and reads again.
// Signed in as the step is; the endpoint is the SDK's (`AWS_ENDPOINT_URL_S3` overrides it). A
// missing bucket or a refused read fails the step, naming the input and the permission, before any
// write to the cloud.
import { gunzipSync, gzipSync } from 'node:zlib';
import { CloudAccessError } from '../../core/errors.js';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import type { SnapshotTarget } from '../../core/inputs/snapshot-inputs.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import { requestHandlerOptions } from '../sdk/clients.js';
import { stepCredentialProvider } from '../sdk/credentials.js';

/** A snapshot object is a few megabytes at 2,000 accounts × 150 permission sets; more is not ours. */
const LARGEST_OBJECT = 256 * 1024 * 1024;

export type StoredSnapshot =
  | { found: false }
  /** `content`: the JSON it held, or why it could not be read as JSON. */
  | { found: true; etag: string; content: unknown; unreadable?: string };

export interface SnapshotStore {
  /** `s3://bucket/key`, for messages. */
  readonly where: string;
  read(signal?: AbortSignal): Promise<StoredSnapshot>;
  /** `lost`: another run wrote the object since it was read (or made it first). */
  write(content: unknown, readEtag: string | undefined, signal?: AbortSignal): Promise<'written' | 'lost'>;
}

type S3ErrorLike = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };

export function createSnapshotStore(
  settings: AwsSessionSettings,
  target: SnapshotTarget,
  key: string,
  deps: Pick<AdapterDeps, 'requestToken' | 'mask'>,
): SnapshotStore {
  // The S3 client is loaded when the snapshot is first read: a reconcile without one never loads it.
  const s3 = import('@aws-sdk/client-s3').then((sdk) => {
    const requestHandler = requestHandlerOptions();
    const credentials = stepCredentialProvider(settings, deps, { maxAttempts: 3, requestHandler });
    const client = new sdk.S3Client({
      region: settings.region,
      followRegionRedirects: true,
      maxAttempts: 3,
      requestHandler,
      ...(credentials ? { credentials } : {}),
    });
    return { sdk, client };
  });
  const where = `s3://${target.bucket}/${key}`;
  const refused = (error: unknown, action: 'GetObject' | 'PutObject'): never =>
    refusal(error, action, target, where);
  return {
    where,
    async read(signal) {
      const { sdk, client } = await s3;
      let answer;
      try {
        answer = await client.send(new sdk.GetObjectCommand({ Bucket: target.bucket, Key: key }), {
          ...(signal ? { abortSignal: signal } : {}),
        });
      } catch (error) {
        if ((error as S3ErrorLike).name === 'NoSuchKey') return { found: false };
        return refused(error, 'GetObject');
      }
      const etag = answer.ETag ?? '';
      const bytes = await answer.Body?.transformToByteArray();
      if (!bytes || bytes.length > LARGEST_OBJECT)
        return { found: true, etag, content: undefined, unreadable: 'it is empty or larger than 256 MB' };
      try {
        const text = gunzipSync(bytes, { maxOutputLength: LARGEST_OBJECT }).toString('utf8');
        return { found: true, etag, content: JSON.parse(text) as unknown };
      } catch {
        return { found: true, etag, content: undefined, unreadable: 'it is not gzipped JSON' };
      }
    },
    async write(content, readEtag, signal) {
      const { sdk, client } = await s3;
      try {
        await client.send(
          new sdk.PutObjectCommand({
            Bucket: target.bucket,
            Key: key,
            Body: gzipSync(JSON.stringify(content)),
            // Not Content-Encoding: gzip, which a client may undo on the way back.
            ContentType: 'application/gzip',
            ...(readEtag ? { IfMatch: readEtag } : { IfNoneMatch: '*' }),
          }),
          { ...(signal ? { abortSignal: signal } : {}) },
        );
        return 'written';
      } catch (error) {
        const e = error as S3ErrorLike;
        const status = e.$metadata?.httpStatusCode;
        // 409 ConditionalRequestConflict: another conditional write to the key is in flight.
        if (status === 412 || status === 409 || e.name === 'PreconditionFailed') return 'lost';
        if (readEtag && e.name === 'NoSuchKey') return 'lost';
        return refused(error, 'PutObject');
      }
    },
  };
}

/** S3's refusal as the step says it: a missing bucket, or a permission the role lacks; else as it came. */
function refusal(
  error: unknown,
  action: 'GetObject' | 'PutObject',
  target: SnapshotTarget,
  where: string,
): never {
  const e = error as S3ErrorLike;
  if (e.name === 'NoSuchBucket')
    throw new CloudAccessError(`input \`snapshot\`: bucket \`${target.bucket}\` does not exist`, {
      input: 'snapshot',
      fix: 'make the bucket (with versioning, examples/setup/aws), or correct `snapshot`',
      cause: error,
    });
  if (e.$metadata?.httpStatusCode === 403 || e.name === 'AccessDenied')
    throw new CloudAccessError(
      `input \`snapshot\`: S3 refused ${action} on \`${where}\` (${e.name ?? 'AccessDenied'})`,
      {
        input: 'snapshot',
        // Without s3:ListBucket, S3 answers a missing object 403, not 404 NoSuchKey.
        fix: `give the step's role \`s3:GetObject\` and \`s3:PutObject\` on \`arn:aws:s3:::${target.bucket}/${target.prefix ? `${target.prefix}/` : ''}*\`, and \`s3:ListBucket\` on \`arn:aws:s3:::${target.bucket}\` (without it S3 answers a snapshot not yet written as AccessDenied)`,
        cause: error,
      },
    );
  throw error;
}
