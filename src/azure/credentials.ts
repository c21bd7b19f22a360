// Azure credentials: the GitHub OIDC token exchanged with Entra (workload identity federation),
// or the ambient credential chain (e.g. after azure/login) when no client-id/tenant-id is given.
import * as core from '@actions/core';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { ClientAssertionCredential, DefaultAzureCredential } from '@azure/identity';
import { CloudAccessError } from '../core/errors.js';
import type { AzurePlan } from '../core/inputs.js';
import { decodeClaims, describeClaims, type OidcTokenSource, type TokenClaims } from '../github/oidc.js';
import { aadstsCode } from './errors.js';
import { requestTimeoutPolicy } from './policies.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** MSAL has built-in metadata for these; any other host would need instance discovery, an outbound call (api-facts §d). */
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
 * The Entra errors a user fixes in the app registration or the inputs, turned into that fix.
 * Anything else is left to the engine's classifier (transient errors are retried there).
 */
export function explainEntraError(
  error: unknown,
  plan: AzurePlan,
  claims: TokenClaims | undefined,
): CloudAccessError | undefined {
  const code = aadstsCode(error);
  if (code === undefined) return undefined;
  const detail = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  const options = (fix: string, input: string) => ({ fix, input, cause: error });
  switch (code) {
    case 700213:
    case 70021:
    case 700211:
    case 700212: {
      const seen = claims ? describeClaims(claims) : 'sub=? aud=? iss=?';
      return new CloudAccessError(
        `Entra found no federated credential on application ${plan.clientId} that matches the GitHub OIDC token (AADSTS${code}); the token has ${seen}`,
        options(
          `add a federated credential to the application (or user-assigned managed identity) with issuer \`${claims?.iss ?? GITHUB_ISSUER}\`, subject exactly \`${claims?.sub ?? "the token's sub"}\` and audience \`${plan.audience}\`. The subject changes with the branch, tag, environment or pull_request trigger, and embeds numeric IDs for repositories using immutable subject claims`,
          'client-id',
        ),
      );
    }
    case 700016:
      return new CloudAccessError(
        `application ${plan.clientId} was not found in tenant ${plan.tenantId} (AADSTS700016: ${detail})`,
        options(
          'check `client-id` (the application/client ID, not its object ID) and `tenant-id`; an app from another tenant needs a service principal in this one',
          'client-id',
        ),
      );
    case 700024:
      return new CloudAccessError(
        `Entra rejected the GitHub OIDC token as outside its valid time range (AADSTS700024: ${detail})`,
        options(
          "check the runner's clock (a self-hosted runner must keep its time in sync) and that the job did not hold the token past its lifetime",
          'client-id',
        ),
      );
    case 90002:
      return new CloudAccessError(
        `tenant ${plan.tenantId} was not found (AADSTS90002: ${detail})`,
        options(
          'check `tenant-id`, and that `environment` (or `authority-host`) names the cloud the tenant is in',
          'tenant-id',
        ),
      );
    default:
      return undefined;
  }
}

/**
 * The credential every ARM client shares. It masks each access token it hands out (the SDK keeps
 * it, but a debug log must never show it) and turns Entra's set-up errors into fixes.
 */
export function createAzureCredential(
  plan: AzurePlan,
  requestToken: OidcTokenSource,
  httpClient?: HttpClient,
): TokenCredential {
  const common = {
    ...(httpClient ? { httpClient } : {}),
    authorityHost: plan.authorityHost,
    retryOptions: ENTRA_RETRY_OPTIONS,
    additionalPolicies: [{ policy: requestTimeoutPolicy(), position: 'perRetry' as const }],
  };
  if (!plan.clientId || !plan.tenantId)
    return new MaskingCredential(new DefaultAzureCredential(common), () => undefined);

  let lastAssertion: string | undefined;
  const inner = new ClientAssertionCredential(
    plan.tenantId,
    plan.clientId,
    // MSAL calls this for every token request, so each exchange gets a fresh GitHub token.
    async () => (lastAssertion = await requestToken(plan.audience)),
    { ...common, disableInstanceDiscovery: !isPublicAuthorityHost(plan.authorityHost) },
  );
  return new MaskingCredential(inner, (error) =>
    explainEntraError(error, plan, lastAssertion ? decodeClaims(lastAssertion) : undefined),
  );
}

class MaskingCredential implements TokenCredential {
  private masked: string | undefined;

  constructor(
    private readonly inner: TokenCredential,
    private readonly explain: (error: unknown) => CloudAccessError | undefined,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    let token: AccessToken | null;
    try {
      token = await this.inner.getToken(scopes, options);
    } catch (error) {
      throw this.explain(error) ?? error;
    }
    if (token && token.token !== this.masked) {
      core.setSecret(token.token);
      this.masked = token.token;
    }
    return token;
  }
}
