// A role of another account, assumed from the step's own credentials (sts:AssumeRole) with the
// SDK's STS client, the one its credential providers use (@aws-sdk/nested-clients: the
// `fromTemporaryCredentials` of @aws-sdk/credential-providers makes the same call). Used to read
// another account's CloudTrail event history (input `event-history-roles`). The credentials are
// masked before anything could echo them, and assumed again shortly before they expire.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Mask } from '../../engine/calls/driver.js';

/** Credentials are assumed again this long before they expire. */
const REFRESH_BEFORE_EXPIRY_MS = 60_000;

export interface AssumedRole {
  roleArn: string;
  roleSessionName: string;
  /** The step's credentials, which the role's trust policy must accept. */
  source: AwsCredentialIdentityProvider;
  /** STS's client: Region, request handler, attempts. */
  clientConfig: Record<string, unknown>;
  mask: Mask;
}

/** A provider of the role's credentials: the first call assumes it, and rejects with STS's refusal. */
export function assumedRoleProvider(role: AssumedRole): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity) =>
    !c.expiration || c.expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS;
  return async () => {
    const cached = current && (await current.catch(() => undefined));
    if (cached && fresh(cached)) return cached;
    current = assume(role);
    return current;
  };
}

async function assume({ roleArn, roleSessionName, source, clientConfig, mask }: AssumedRole) {
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/nested-clients/sts');
  // Not destroyed after: it shares the step's HTTP agents.
  const sts = new STSClient({ ...clientConfig, credentials: source });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: roleSessionName }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey)
    throw new Error(`STS AssumeRole answered no credentials for ${roleArn}`);
  mask(c.AccessKeyId);
  mask(c.SecretAccessKey);
  if (c.SessionToken) mask(c.SessionToken);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  };
}
