// The audit log in S3: one PutObject per record with `If-None-Match: *`, so an object is written
// once and never replaced (S3 answers 412 PreconditionFailed when the key holds one), and with the
// bucket owner condition (`x-amz-expected-bucket-owner`: the account of the role the step signed
// in as), so a bucket of that name in another account (a typo, a bucket deleted and made again by
// someone else) is refused with 403 AccessDenied, never written to. Signed in as the step is (its
// role, its session name); the endpoint is the SDK's own (`AWS_ENDPOINT_URL_S3` overrides it, as
// for any S3 client). Loaded with import() only by a step with `audit-log`.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AuditLogTarget, AwsSessionSettings } from '../core/inputs/index.js';
import { AuditSinkError, type OpenAuditSink } from '../engine/audit/sink.js';
import { expectedBucketOwner, NAME_THE_ACCOUNT, partitionOf, stepS3Client } from './sdk/s3-bucket.js';

type S3Target = Extract<AuditLogTarget, { store: 's3' }>;

export const createS3AuditSink: OpenAuditSink<AwsSessionSettings, S3Target> = (settings, target, deps) => {
  // A record is one small idempotent-by-condition PUT: the SDK's standard retries serve it.
  const client = stepS3Client(S3Client, settings, deps);
  const objects = target.prefix === '' ? '*' : `${target.prefix}/*`;
  const permission = `\`s3:PutObject\` on \`arn:${partitionOf(settings.region)}:s3:::${target.bucket}/${objects}\``;
  let owner: Promise<string> | undefined;
  return {
    where: `\`${target.url}\``,
    prefix: target.prefix,
    permission,
    async putOnce(key, body, signal) {
      // Read once; a failed read (the credentials could not be loaded) is tried again by the next record.
      const expectedOwner = await (owner ??= expectedOwnerOf(settings, client).catch((error: unknown) => {
        owner = undefined;
        throw error;
      }));
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: target.bucket,
            Key: key,
            Body: body,
            ContentType: 'application/json',
            IfNoneMatch: '*',
            ExpectedBucketOwner: expectedOwner,
          }),
          { abortSignal: signal },
        );
        return 'written';
      } catch (error) {
        const verdict = takenOr(error, () => ownerOrPermissionFix(target.bucket, expectedOwner, permission));
        if (verdict === 'taken') return verdict;
        throw verdict;
      }
    },
  };
};

/** The account whose bucket the records go to; unknown, nothing is written. */
async function expectedOwnerOf(settings: AwsSessionSettings, client: S3Client): Promise<string> {
  const owner = await expectedBucketOwner(settings, client);
  if (owner) return owner;
  throw new AuditSinkError(
    "the account of the step's credentials is not known, and a record is written only to a bucket of that account",
    false,
    NAME_THE_ACCOUNT,
  );
}

/** S3 answers 403 AccessDenied alike for a bucket of another account and for a missing permission. */
function ownerOrPermissionFix(bucket: string, expectedOwner: string, permission: string): string {
  return `give the step's identity ${permission}, and check that bucket \`${bucket}\` is owned by account ${expectedOwner} (the account of the role the step signed in as; records go to no other account's bucket)`;
}

/** `taken` for S3's answer that the key holds an object; else the error, a refusal marked as one. */
function takenOr(error: unknown, deniedFix: () => string): 'taken' | unknown {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  // 409 ConditionalRequestConflict: another conditional write to the key is in flight; it holds it.
  if (status === 412 || status === 409 || e.name === 'PreconditionFailed') return 'taken';
  if (status === 403 || e.name === 'AccessDenied')
    return new AuditSinkError(
      `${e.name ?? 'AccessDenied'}: ${e.message ?? 'access denied'}`,
      true,
      deniedFix(),
    );
  return error;
}
