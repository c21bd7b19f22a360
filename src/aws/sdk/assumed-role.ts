// A role of another account, assumed from the step's own credentials (sts:AssumeRole) by the
// SDK's `fromTemporaryCredentials` (@aws-sdk/credential-providers): the SDK signs and sends the
// call. Used to read another account's CloudTrail event history (input `event-history-roles`).
// The credentials are masked before anything could echo them; the client that uses them memoises
// them and asks again near their expiry.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Mask } from '../../engine/calls/driver.js';

export interface AssumedRole {
  roleArn: string;
  roleSessionName: string;
  /** The step's credentials, which the role's trust policy must accept. */
  source: AwsCredentialIdentityProvider;
  /** STS's client: Region, request handler, attempts. */
  clientConfig: Record<string, unknown>;
  mask: Mask;
}

/** Credentials are assumed again this long before they expire. */
const REFRESH_BEFORE_EXPIRY_MS = 60_000;

/**
 * A provider of the role's credentials: the first call assumes it (and rejects with STS's
 * refusal); later calls answer the same until shortly before they expire.
 */
export function assumedRoleProvider(role: AssumedRole): AwsCredentialIdentityProvider {
  let provider: Promise<AwsCredentialIdentityProvider> | undefined;
  let current: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity) =>
    !c.expiration || c.expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    provider ??= import('@aws-sdk/credential-providers').then(({ fromTemporaryCredentials }) =>
      fromTemporaryCredentials({
        masterCredentials: role.source,
        params: { RoleArn: role.roleArn, RoleSessionName: role.roleSessionName },
        clientConfig: role.clientConfig,
      }),
    );
    const credentials: AwsCredentialIdentity = await (await provider)();
    role.mask(credentials.accessKeyId);
    role.mask(credentials.secretAccessKey);
    if (credentials.sessionToken) role.mask(credentials.sessionToken);
    return credentials;
  };
  return async () => {
    const cached = current && (await current.catch(() => undefined));
    if (cached && fresh(cached)) return cached;
    current = assume();
    return current;
  };
}
