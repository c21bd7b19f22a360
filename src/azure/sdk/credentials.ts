// Azure credentials: the GitHub OIDC token exchanged with Entra (workload identity federation),
// or the ambient credential chain (e.g. after azure/login) when no client-id/tenant-id is given.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelinePolicy } from '@azure/core-rest-pipeline';
import { ClientAssertionCredential, DefaultAzureCredential } from '@azure/identity';
import { CloudAccessError } from '../../core/errors.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import { decodeClaims } from '../../core/token-claims.js';
import type { Mask, TokenSource } from '../../engine/calls/driver.js';
import { explainEntraError, explainMetadataError, isEntraServerError } from './entra-errors.js';
import { requestTimeoutPolicy } from './pipeline-policies.js';

/**
 * MSAL has built-in metadata for these; for any other host, instance discovery would fetch the
 * authority's metadata from login.microsoft.com, an outbound call (@azure/identity,
 * AuthorityValidationOptions.disableInstanceDiscovery; MSAL.NET, "Custom authority aliases").
 */
const PUBLIC_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
]);

/**
 * A couple of quick retries inside the Entra client: a 5xx that reaches MSAL makes it refuse the
 * same request for up to 60 s (its throttling cache), which the engine's retries could not get past.
 */
const ENTRA_RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 2000 };

export function isPublicAuthorityHost(authorityHost: string): boolean {
  try {
    return PUBLIC_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * The credential every ARM client shares. It masks each access token it hands out (the SDK keeps
 * it, but a debug log must never show it) and turns Entra's set-up errors into fixes.
 */
export function createAzureCredential(
  settings: AzureSessionSettings,
  requestToken: TokenSource,
  mask: Mask,
  httpClient?: HttpClient,
): TokenCredential {
  const common = {
    ...(httpClient ? { httpClient } : {}),
    authorityHost: settings.authorityHost,
    retryOptions: ENTRA_RETRY_OPTIONS,
    additionalPolicies: [{ policy: requestTimeoutPolicy(), position: 'perRetry' as const }],
  };
  if (!settings.clientId || !settings.tenantId)
    return new MaskingCredential(new DefaultAzureCredential(common), mask, () => undefined);

  const assertion = recentAssertion(() => requestToken(settings.audience));
  const metadata = metadataFailures();
  const { tenantId, clientId } = settings;
  const federated = () =>
    new ClientAssertionCredential(tenantId, clientId, assertion.get, {
      ...common,
      additionalPolicies: [...common.additionalPolicies, { policy: metadata.policy, position: 'perCall' }],
      disableInstanceDiscovery: !isPublicAuthorityHost(settings.authorityHost),
    });
  return new MaskingCredential(
    federated(),
    mask,
    (error) => {
      // No GitHub token to exchange: its own error says why (no `id-token: write`, say), not Entra's.
      const tokenFailure = assertion.failure();
      if (tokenFailure instanceof CloudAccessError) return tokenFailure;
      const last = assertion.last();
      // Whatever Entra made of it, the next exchange starts from a new GitHub token.
      assertion.forget();
      return (
        explainMetadataError(error, metadata.last()) ??
        explainEntraError(error, settings, last ? decodeClaims(last) : undefined)
      );
    },
    federated,
  );
}

/**
 * The GitHub token given to MSAL as the client assertion. MSAL asks for it several times for each
 * access token (for its cache lookup as well as the exchange), so a token fetched moments ago is
 * handed out again, for at most a minute and half its lifetime (measured on this machine's clock
 * from when it arrived, so clock skew does not matter): one GitHub OIDC request per Entra exchange,
 * as azure/login's single token, and a fresh one for every later exchange.
 */
function recentAssertion(fetch: () => Promise<string>, now = () => performance.now()) {
  let current: { token: string; fetchedAt: number; reuseMs: number } | undefined;
  let failure: unknown;
  return {
    get: async (): Promise<string> => {
      if (current && now() - current.fetchedAt < current.reuseMs) return current.token;
      let token: string;
      try {
        token = await fetch();
        failure = undefined;
      } catch (error) {
        failure = error;
        throw error;
      }
      const { iat, exp } = decodeClaims(token);
      const lifetimeMs = typeof iat === 'number' && typeof exp === 'number' ? (exp - iat) * 1000 : 0;
      current = { token, fetchedAt: now(), reuseMs: Math.min(60_000, lifetimeMs / 2) };
      return token;
    },
    last: (): string | undefined => current?.token,
    /** Why the last request for a GitHub token failed, when it did. */
    failure: (): unknown => failure,
    forget: (): void => {
      if (current) current.reuseMs = 0;
    },
  };
}

/**
 * Records the network error of the last request for the authority's OpenID configuration that
 * failed to get an answer: MSAL reports it only as `endpoints_resolution_error`, which
 * @azure/identity turns into "credential unavailable", so a refused proxy or an unreachable
 * authority host would otherwise read as missing `client-id` / `tenant-id`.
 */
function metadataFailures(): { policy: PipelinePolicy; last(): unknown } {
  let last: unknown;
  return {
    policy: {
      name: 'cloudAccessMetadataFailures',
      async sendRequest(request, next) {
        if (!request.url.includes('/.well-known/openid-configuration')) return next(request);
        try {
          const response = await next(request);
          last = undefined;
          return response;
        } catch (error) {
          last = error;
          throw error;
        }
      },
    },
    last: () => last,
  };
}

class MaskingCredential implements TokenCredential {
  private masked: string | undefined;

  /**
   * `renew` makes the credential used after Entra answered 5xx or 429. MSAL keeps such an answer
   * that got past the Entra client's own retries and, for 60 s (its throttling cache), replays it
   * to every request for that token without calling Entra: the engine's retries would spin in
   * place that long, or past a shorter deadline. A new credential has a new MSAL client with an
   * empty cache, so the engine's backoff and deadline decide when Entra is tried again.
   */
  constructor(
    private inner: TokenCredential,
    private readonly mask: Mask,
    private readonly explain: (error: unknown) => Error | undefined,
    private readonly renew?: () => TokenCredential,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    let token: AccessToken | null;
    try {
      token = await this.inner.getToken(scopes, options);
    } catch (error) {
      if (this.renew && isEntraServerError(error)) this.inner = this.renew();
      throw this.explain(error) ?? error;
    }
    if (token && token.token !== this.masked) {
      this.mask(token.token);
      this.masked = token.token;
    }
    return token;
  }
}
