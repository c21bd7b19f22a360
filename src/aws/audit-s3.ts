// The audit log in S3: one PutObject per record with `If-None-Match: *`, so an object is written
// once and never replaced (S3 answers 412 PreconditionFailed when the key holds one), and with the
// bucket owner condition (`x-amz-expected-bucket-owner`: the account of the role the step signed
// in as), so a bucket of that name in another account (a typo, a bucket deleted and made again by
// someone else) is refused with 403 AccessDenied, never written to. Signed in as the step is (its
// role, its session name); the endpoint is the SDK's own (`AWS_ENDPOINT_URL_S3` overrides it, as
// for any S3 client). Loaded with import() only by a step with `audit-log`.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AuditLogTarget, AwsSessionSettings } from '../core/inputs/index.js';
import { accountOfRole } from '../core/signed-in.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { AuditSinkError, type AuditSink } from '../engine/audit/trail.js';
import { requestHandlerOptions } from './sdk/clients.js';
import { stepCredentialProvider } from './sdk/credentials.js';

type S3Target = Extract<AuditLogTarget, { store: 's3' }>;

/** The partition of a Region's ARNs. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function createS3AuditSink(
  settings: AwsSessionSettings,
  target: S3Target,
  deps: Pick<AdapterDeps, 'requestToken' | 'mask'>,
): AuditSink {
  const requestHandler = requestHandlerOptions();
  // The step's own credentials: the grants' clients, signed in as the same role and session
  // name, share this one exchange (sdk/credentials.ts).
  const credentials = stepCredentialProvider(settings, deps, { maxAttempts: 3, requestHandler });
  // The SDK's standard retries (3 attempts): a record is one small idempotent-by-condition PUT.
  const client = new S3Client({
    region: settings.region,
    // The audit bucket is often in another Region than the Identity Center instance's: S3 says
    // which in its 301 answer, and the SDK follows it.
    followRegionRedirects: true,
    ...(endpointUnderLocalhost() ? { forcePathStyle: true } : {}),
    maxAttempts: 3,
    requestHandler,
    ...(credentials ? { credentials } : {}),
  });
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
}

/**
 * The account whose bucket the records go to: that of the role the step signed in as (its ARN
 * names it), or, without `role-to-assume`, the one the environment's credentials name (the SDK
 * reads it with them: `AWS_ACCOUNT_ID`, or what an STS sign-in answered). Unknown, nothing is
 * written: a record PUT without the owner condition could land in anyone's bucket of that name.
 */
async function expectedOwnerOf(settings: AwsSessionSettings, client: S3Client): Promise<string> {
  const fromRole = settings.roleToAssume ? accountOfRole(settings.roleToAssume) : undefined;
  if (fromRole) return fromRole;
  const { accountId } = await client.config.credentials();
  if (accountId) return accountId;
  throw new AuditSinkError(
    "the account of the step's credentials is not known, and a record is written only to a bucket of that account",
    false,
    "set `role-to-assume`, or set `AWS_ACCOUNT_ID` in the step's `env:` to the account the credentials belong to (configure-aws-credentials gives it as its `aws-account-id` output)",
  );
}

/** S3 answers 403 AccessDenied alike for a bucket of another account and for a missing permission. */
function ownerOrPermissionFix(bucket: string, expectedOwner: string, permission: string): string {
  return `give the step's identity ${permission}, and check that bucket \`${bucket}\` is owned by account ${expectedOwner} (the account of the role the step signed in as; records go to no other account's bucket)`;
}

/**
 * Whether the S3 endpoint set for the step (`AWS_ENDPOINT_URL_S3`, or `AWS_ENDPOINT_URL` for every
 * service) is a `localhost` name: an S3-compatible server on the runner (moto, MinIO, LocalStack).
 * The SDK addresses a bucket as a host name under a named endpoint (`audit.localhost`), which the
 * runner's resolver need not answer (glibc does not); the path form reaches the server itself. An IP
 * endpoint already gets the path form from the SDK, and AWS's own endpoints keep the host form.
 */
function endpointUnderLocalhost(): boolean {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL;
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname.toLowerCase();
    return host === 'localhost' || host.endsWith('.localhost');
  } catch {
    return false;
  }
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
