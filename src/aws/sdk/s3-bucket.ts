// What every S3 client of the step shares (the audit log's, the snapshot's): how it is made and
// signed in, the account whose bucket it expects (`x-amz-expected-bucket-owner`), and how it
// addresses a bucket on an endpoint set for the step.
import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import { accountOfRole } from '../../core/signed-in.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import { requestHandlerOptions } from './clients.js';
import { stepCredentialProvider } from './credentials.js';

/**
 * A step's S3 client, signed in as the step is (its role, its session name: the grants' clients
 * share the one exchange, ./credentials.ts), with the SDK's standard retries (3 attempts). `S3`:
 * the SDK's class, given by the caller, so that a client loaded with import() stays so.
 */
export function stepS3Client(
  S3: typeof S3Client,
  settings: AwsSessionSettings,
  deps: Pick<AdapterDeps, 'requestToken' | 'mask'>,
): S3Client {
  const requestHandler = requestHandlerOptions();
  const credentials = stepCredentialProvider(settings, deps, { maxAttempts: 3, requestHandler });
  return new S3({
    region: settings.region,
    // The bucket is often in another Region than the Identity Center instance's: S3 says which in
    // its 301 answer, and the SDK follows it.
    followRegionRedirects: true,
    ...(endpointUnderLocalhost() ? { forcePathStyle: true } : {}),
    maxAttempts: 3,
    requestHandler,
    ...(credentials ? { credentials } : {}),
  });
}

/** The partition of a Region's ARNs. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The account whose bucket the step expects: that of the role the step signed in as (its ARN
 * names it), or, without `role-to-assume`, the one the environment's credentials name (the SDK
 * reads it with them: `AWS_ACCOUNT_ID`, or what an STS sign-in answered). Undefined when neither
 * says: a request without the owner condition could reach anyone's bucket of that name.
 */
export async function expectedBucketOwner(
  settings: AwsSessionSettings,
  client: { config: { credentials: () => Promise<{ accountId?: string }> } },
): Promise<string | undefined> {
  const fromRole = settings.roleToAssume ? accountOfRole(settings.roleToAssume) : undefined;
  if (fromRole) return fromRole;
  const { accountId } = await client.config.credentials();
  return accountId || undefined;
}

/** What to set when the account of the step's credentials is not known. */
export const NAME_THE_ACCOUNT =
  "set `role-to-assume`, or set `AWS_ACCOUNT_ID` in the step's `env:` to the account the credentials belong to (configure-aws-credentials gives it as its `aws-account-id` output)";

/**
 * Whether the S3 endpoint set for the step (`AWS_ENDPOINT_URL_S3`, or `AWS_ENDPOINT_URL` for every
 * service) is a `localhost` name: an S3-compatible server on the runner (moto, MinIO, LocalStack).
 * The SDK addresses a bucket as a host name under a named endpoint (`audit.localhost`), which the
 * runner's resolver need not answer (glibc does not); the path form reaches the server itself. An IP
 * endpoint already gets the path form from the SDK, and AWS's own endpoints keep the host form.
 */
export function endpointUnderLocalhost(): boolean {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL;
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname.toLowerCase();
    return host === 'localhost' || host.endsWith('.localhost');
  } catch {
    return false;
  }
}
