// AWS credentials: the GitHub OIDC token exchanged with STS AssumeRoleWithWebIdentity, or the
// ambient default chain (e.g. after configure-aws-credentials) when no role is given.
import { fromWebToken } from '@aws-sdk/credential-provider-web-identity';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { CloudAccessError } from '../../core/errors.js';
import { AWS_AMBIENT_LINE, awsSignedInLine } from '../../core/signed-in.js';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import { decodeClaims, describeClaims } from '../../core/token-claims.js';
import type { Mask, TokenSource } from '../../engine/calls/driver.js';

/** Credentials are exchanged again this long before they expire (a long wait outlives them). */
const REFRESH_BEFORE_EXPIRY_MS = 60_000;

/** STS errors that mean the role's trust policy does not accept this token. */
const TRUST_ERRORS = new Set([
  'InvalidIdentityTokenException',
  'InvalidIdentityToken',
  'AccessDenied',
  'AccessDeniedException',
  'IDPRejectedClaimException',
  'IDPRejectedClaim',
]);

/** A step's exchanges, by its deps and sign-in: each signed-in client of the step shares one. */
const exchanges = new WeakMap<object, Map<string, SharedExchange>>();

interface SharedExchange {
  provider: AwsCredentialIdentityProvider;
  /** Told whom the exchange signed in as, once it has. */
  waiting: ((line: string) => void)[];
  line?: string;
}

/**
 * The credentials of the step whose deps are `step`, signed in as `settings` say: every client of
 * the step signed in with the same role, session name, audience and Region (the grants' SDK
 * clients, the audit log's S3 client) shares one provider, so one STS exchange (and one OIDC
 * token) serves them all until shortly before the credentials expire. `announce` is told once whom
 * the exchange signed in as, whichever client asked first.
 */
export function stepCredentialProvider(
  settings: AwsSessionSettings,
  step: { requestToken: TokenSource; mask: Mask },
  clientConfig: Record<string, unknown>,
  announce?: (line: string) => void,
): AwsCredentialIdentityProvider | undefined {
  if (!settings.roleToAssume)
    return awsCredentialProvider(settings, step.requestToken, step.mask, {}, announce);
  const key = [settings.roleToAssume, settings.roleSessionName, settings.audience, settings.region].join(
    '\n',
  );
  let byKey = exchanges.get(step);
  if (!byKey) exchanges.set(step, (byKey = new Map()));
  let exchange = byKey.get(key);
  if (!exchange) {
    const made: SharedExchange = { provider: undefined!, waiting: [] };
    made.provider = awsCredentialProvider(settings, step.requestToken, step.mask, clientConfig, (line) => {
      made.line = line;
      for (const told of made.waiting.splice(0)) told(line);
    })!;
    byKey.set(key, (exchange = made));
  }
  if (announce) {
    if (exchange.line === undefined) exchange.waiting.push(announce);
    else announce(exchange.line);
  }
  return exchange.provider;
}

/**
 * A credential provider that requests a fresh OIDC token for every exchange, so the SDK can
 * refresh credentials that expire during a long wait. Returns undefined for the default chain.
 * `announce` is told, once, whom the first exchange signed in as (core/signed-in.ts).
 */
export function awsCredentialProvider(
  settings: AwsSessionSettings,
  requestToken: TokenSource,
  mask: Mask,
  clientConfig: Record<string, unknown>,
  announce?: (line: string) => void,
): AwsCredentialIdentityProvider | undefined {
  const roleArn = settings.roleToAssume;
  if (!roleArn) {
    announce?.(AWS_AMBIENT_LINE);
    return undefined;
  }
  let announced = false;
  // Both SDK clients share these credentials: one exchange serves them until shortly before expiry.
  let current: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity) =>
    !c.expiration || c.expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS;
  return async () => {
    if (current) {
      const cached = await current.catch(() => undefined);
      if (cached && fresh(cached)) return cached;
    }
    current = assumeRole();
    return current;
  };

  async function assumeRole(): Promise<AwsCredentialIdentity> {
    const token = await requestToken(settings.audience);
    try {
      const credentials = await fromWebToken({
        roleArn: roleArn!,
        webIdentityToken: token,
        roleSessionName: settings.roleSessionName,
        clientConfig: { region: settings.region, ...clientConfig },
      })();
      // Masked before anything could echo them (debug logs included).
      mask(credentials.accessKeyId);
      mask(credentials.secretAccessKey);
      if (credentials.sessionToken) mask(credentials.sessionToken);
      if (!announced) {
        announced = true;
        announce?.(awsSignedInLine(roleArn!, settings.roleSessionName));
      }
      return credentials;
    } catch (error) {
      const name = (error as { name?: string; Code?: string }).Code ?? (error as Error).name;
      if (TRUST_ERRORS.has(name) || TRUST_ERRORS.has((error as Error).name)) {
        throw new CloudAccessError(
          `could not assume role ${roleArn} with the GitHub OIDC token (${(error as Error).name}: ${(error as Error).message}); the token has ${describeClaims(decodeClaims(token))}`,
          {
            input: 'role-to-assume',
            fix: `make the role's trust policy allow sts:AssumeRoleWithWebIdentity for federated principal token.actions.githubusercontent.com with "token.actions.githubusercontent.com:aud": "${settings.audience}" and a "token.actions.githubusercontent.com:sub" condition matching that sub`,
            cause: error,
          },
        );
      }
      throw error;
    }
  }
}
