// What Entra's (and MSAL's) errors mean: which to retry, and how to explain the others. The
// engine's classifier for the adapter (errors.ts) hands authentication errors to
// classifyAuthError; the credential (credentials.ts) turns set-up errors into their fix.
import { CloudAccessError } from '../../core/errors.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import { DEFAULT_AUDIENCE } from '../../core/inputs/endpoints.js';
import { describeClaims, type TokenClaims } from '../../core/token-claims.js';
import { isNetworkError } from '../../engine/limits/network.js';
import type { ErrorVerdict } from '../../engine/limits/retry.js';
import type { DeadlineExceededError } from '../../engine/limits/deadline.js';

/** The issuer of GitHub's OIDC tokens: what a federated credential must name. */
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** The AADSTS error number in an Entra/MSAL error, e.g. 700213, when there is one. */
export function aadstsCode(error: unknown): number | undefined {
  const codes = (error as { errorResponse?: { errorCodes?: unknown } } | undefined)?.errorResponse
    ?.errorCodes;
  if (Array.isArray(codes) && typeof codes[0] === 'number') return codes[0];
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const match = /AADSTS(\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/**
 * Entra's "try again" codes: 50000 (error issuing a token) and 90033 (a transient error). MSAL
 * replays a 5xx answer from its throttling cache for up to 60 s without the `server_error` text,
 * so the code is what still identifies it.
 */
const TRANSIENT_AADSTS = new Set([50000, 90033]);

/** Entra's own "try again later" answers, as MSAL words them. */
const ENTRA_SERVER_ERROR = /\b(server_error|temporarily_unavailable)\b/;

/** Entra answered 429 or 5xx (or MSAL replays such an answer): what MSAL's throttling cache keeps. */
export function isEntraServerError(error: unknown): boolean {
  const { statusCode, message } = (error ?? {}) as { statusCode?: unknown; message?: unknown };
  if (typeof statusCode === 'number' && (statusCode === 429 || statusCode >= 500)) return true;
  return (
    TRANSIENT_AADSTS.has(aadstsCode(error) ?? 0) ||
    ENTRA_SERVER_ERROR.test(typeof message === 'string' ? message : '')
  );
}

const AUTH_ERROR_NAMES = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'AggregateAuthenticationError',
  'ServerError',
  'ClientAuthError',
  'NetworkError',
]);

/** An error from getting the Entra token (@azure/identity or MSAL), by its name. */
export function isAuthError(name: string): boolean {
  return AUTH_ERROR_NAMES.has(name) || name === 'CredentialUnavailableError';
}

/** The engine's verdict on an error from getting the Entra token (one `isAuthError` names). */
export function classifyAuthError(error: unknown, operation: string): ErrorVerdict {
  const e = (error ?? {}) as { name?: string; message?: string; statusCode?: number };
  const message = e.message ?? '';
  // No credential at all is final, whatever its text says about the network on the way.
  if (e.name !== 'CredentialUnavailableError' && (isNetworkError(error) || isEntraServerError(error))) {
    return { action: 'retry', kind: 'server' };
  }
  const statusCode = e.statusCode;
  if (statusCode === 429 || (statusCode !== undefined && statusCode >= 500))
    return { action: 'retry', kind: 'server' };
  const summary = message.replace(/\s+/g, ' ').trim();
  if (e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError') {
    return {
      action: 'fail',
      error: new CloudAccessError(`${operation}: no Azure credential was found (${summary})`, {
        input: 'client-id',
        fix: 'pass `client-id` and `tenant-id` to sign in with the GitHub OIDC token, or run azure/login before this step',
        cause: error,
      }),
    };
  }
  return {
    action: 'fail',
    error: new CloudAccessError(`${operation}: could not get an Entra token (${summary})`, {
      input: 'client-id',
      fix: 'check `client-id`, `tenant-id` and `environment` (or `authority-host`)',
      cause: error,
    }),
  };
}

/** No token came from Entra before the step's deadline: most often the runner cannot reach the authority host. */
export function noTokenBeforeDeadline(error: DeadlineExceededError, authorityHost: string): CloudAccessError {
  const last = error.lastError instanceof Error ? error.lastError.message : String(error.lastError);
  return new CloudAccessError(
    `no Entra token from ${authorityHost} before the deadline (last error: ${last})`,
    {
      input: 'authority-host',
      fix: `check that the runner reaches ${authorityHost} (through HTTPS_PROXY if it needs a proxy), and that \`environment\` or \`authority-host\` names the tenant's cloud`,
      cause: error,
    },
  );
}

/**
 * The Entra errors a user fixes in the app registration or the inputs, turned into that fix.
 * Anything else is left to the engine's classifier (transient errors are retried there).
 */
export function explainEntraError(
  error: unknown,
  settings: AzureSessionSettings,
  claims: TokenClaims | undefined,
): CloudAccessError | undefined {
  const code = aadstsCode(error);
  if (code === undefined) return undefined;
  const detail = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  const options = (fix: string, input: string) => ({ fix, input, cause: error });
  switch (code) {
    case 700212:
      return audienceMismatch(code, settings, claims, error);
    case 700213:
    case 70021:
    case 700211: {
      const seen = claims ? describeClaims(claims) : 'sub=? aud=? iss=?';
      return new CloudAccessError(
        `Entra found no federated credential on application ${settings.clientId} that matches the GitHub OIDC token (AADSTS${code}); the token has ${seen}`,
        options(
          `add a federated credential to the application (or user-assigned managed identity) with issuer \`${claims?.iss ?? GITHUB_ISSUER}\`, subject exactly \`${claims?.sub ?? "the token's sub"}\` and audience \`${settings.audience}\`. The subject changes with the branch, tag, environment or pull_request trigger, and embeds numeric IDs for repositories using immutable subject claims`,
          'client-id',
        ),
      );
    }
    case 700016:
      return new CloudAccessError(
        `application ${settings.clientId} was not found in tenant ${settings.tenantId} (AADSTS700016: ${detail})`,
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
        `tenant ${settings.tenantId} was not found (AADSTS90002: ${detail})`,
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
 * AADSTS700212: no federated credential accepts the token's audience. The `audience` input is the
 * likelier culprit than the credential: credentials accept `api://AzureADTokenExchange` unless
 * someone changed them, and that is also this input's default, so the input is checked first.
 */
function audienceMismatch(
  code: number,
  settings: AzureSessionSettings,
  claims: TokenClaims | undefined,
  cause: unknown,
): CloudAccessError {
  const seen = claims ? describeClaims(claims) : 'sub=? aud=? iss=?';
  const fallback = DEFAULT_AUDIENCE.azure;
  const inputFirst =
    settings.audience === fallback
      ? `the token was requested for the default audience \`${fallback}\`, so the federated credential names another: set the \`audience\` input to the credential's audience`
      : `check the \`audience\` input first: it asks for \`${settings.audience}\`, while federated credentials accept \`${fallback}\` unless changed; remove the input (or set it to the credential's audience)`;
  return new CloudAccessError(
    `Entra found no federated credential on application ${settings.clientId} that accepts the GitHub OIDC token's audience (AADSTS${code}); the token has ${seen}`,
    {
      input: 'audience',
      fix: `${inputFirst}, and change the federated credential's audience only if it is the one that is wrong`,
      cause,
    },
  );
}

/**
 * MSAL could not read the authority's OpenID configuration because the request got no answer:
 * the network error itself (`networkError`, recorded by the credential's metadata policy), which
 * the engine retries inside the deadline like any other.
 */
export function explainMetadataError(error: unknown, networkError: unknown): Error | undefined {
  if (networkError === undefined) return undefined;
  if (!/endpoints_resolution_error/.test(error instanceof Error ? error.message : String(error)))
    return undefined;
  return networkError instanceof Error ? networkError : new Error(String(networkError));
}
