// The checks of Entra's token endpoint: a client_credentials grant with a federated client
// assertion (the GitHub OIDC token), for ARM's or the emulated Graph's resource, answered with
// Entra's real AADSTS errors.
import { decodeJwtClaims, JwtError, type JwtClaims } from '../../common/jwt.js';
import type { AzureContext } from '../tenant/context.js';
import type { AppRegistration } from '../tenant/state.js';

/** The resources (application ID URIs) whose `/.default` scope Entra issues ARM tokens for. */
export const ARM_AUDIENCE = 'https://management.azure.com/';
const ARM_RESOURCES = ['https://management.azure.com/', 'https://management.core.windows.net/'];
/**
 * Azure Storage's resource (`https://storage.azure.com/.default`, the scope @azure/storage-blob
 * asks for): Entra's token for it has `aud: https://storage.azure.com`, which Azurite checks.
 */
export const STORAGE_RESOURCE = 'https://storage.azure.com/';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const FEDERATION_DOCS = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';

export interface EntraError {
  status: number;
  error: string;
  code: number;
  description: string;
}

/** "2026-11-22T21:30:00.0000000Z", the form of AADSTS700024's times. */
const preciseTime = (seconds: number) =>
  new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '.0000000Z');

/**
 * The emulated ARM endpoint as a resource: its own URL, or the same port under `localhost`,
 * another loopback address (127.0.0.0/8, where nothing of the emulator's listens: a host that
 * refuses the connection) or a `*.emulator.test` name (reached through a forward proxy that
 * resolves those to loopback; without it, a host that does not resolve).
 */
const isEmulatedArm = (ctx: AzureContext, resource: string): boolean =>
  isEmulated(resource, ctx.resourceManagerEndpoint);
/** Microsoft Graph's resource (`<graph>/.default`): the emulated Graph, addressed the same ways as ARM. */
export const isEmulatedGraph = (ctx: AzureContext, resource: string): boolean =>
  ctx.graphEndpoint !== '' && isEmulated(resource, ctx.graphEndpoint);
const isEmulated = (resource: string, endpoint: string): boolean => {
  const arm = new URL(endpoint);
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return false;
  }
  const host = url.hostname;
  return (
    url.protocol === 'https:' &&
    url.port === arm.port &&
    /^\/*$/.test(url.pathname) &&
    (host === arm.hostname ||
      host === 'localhost' ||
      /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
      host.endsWith('.emulator.test'))
  );
};

const invalid = (status: number, error: string, code: number, description: string): EntraError => ({
  status,
  error,
  code,
  description,
});

/** Checks the token request; returns the error Entra would answer, or the app and resource. */
export function exchange(
  ctx: AzureContext,
  tenant: string,
  form: URLSearchParams,
): EntraError | { appId: string; objectId: string; resource: string } {
  const request = checkRequest(ctx, tenant, form);
  if ('status' in request) return request;
  const { app, resource, assertion } = request;
  return checkAssertion(ctx, app, assertion) ?? { appId: app.clientId, objectId: app.objectId, resource };
}

/** The request's tenant, grant, client, scope, app and resource, in Entra's order; the assertion is there. */
function checkRequest(
  ctx: AzureContext,
  tenant: string,
  form: URLSearchParams,
): EntraError | { app: AppRegistration; resource: string; assertion: string } {
  if (!ctx.state.isTenant(tenant)) {
    return invalid(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }
  const grantType = form.get('grant_type');
  if (grantType !== 'client_credentials') {
    return invalid(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType ?? ''}'.`,
    );
  }
  const clientId = (form.get('client_id') ?? '').toLowerCase();
  if (!clientId)
    return invalid(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
  const scope = form.get('scope') ?? '';
  const scopes = scope.split(' ').filter(Boolean);
  const resourceScope = scopes.find((s) => s.endsWith('/.default'));
  if (
    !resourceScope ||
    scopes.some((s) => !s.endsWith('/.default') && !['openid', 'profile', 'offline_access'].includes(s))
  ) {
    return invalid(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const app = ctx.state.apps.get(clientId);
  if (!app) {
    return invalid(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${form.get('client_id')}' was not found in the directory '${SEED_DIRECTORY_NAME}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const resource = resourceScope.slice(0, -'.default'.length);
  if (
    !ARM_RESOURCES.includes(resource) &&
    resource !== STORAGE_RESOURCE &&
    !isEmulatedArm(ctx, resource) &&
    !isEmulatedGraph(ctx, resource)
  ) {
    return invalid(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource.replace(/\/$/, '')} was not found in the tenant named ${SEED_DIRECTORY_NAME}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
  const assertion = form.get('client_assertion');
  if (form.get('client_assertion_type') !== JWT_BEARER || !assertion) {
    return invalid(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  return { app, resource, assertion };
}

/** The federated credential the assertion matches (issuer, then audience, then subject), or Entra's error. */
function checkAssertion(ctx: AzureContext, app: AppRegistration, assertion: string): EntraError | undefined {
  const claims = decodeJwtClaims(assertion);
  if (!claims || assertion.split('.').length !== 3)
    return invalid(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  const caseNote =
    'Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion.';
  const byIssuer = app.federatedCredentials.filter((c) => c.issuer === claims.iss);
  if (byIssuer.length === 0) {
    return invalid(
      401,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${String(claims.iss ?? '')}'. ${caseNote} ${FEDERATION_DOCS}`,
    );
  }
  let verified: JwtClaims;
  try {
    verified = ctx.verifyGithubToken(assertion);
  } catch (error) {
    if (error instanceof JwtError && (error.reason === 'expired' || error.reason === 'not-yet-valid')) {
      const now = Math.floor(Date.now() / 1000);
      return invalid(
        401,
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${preciseTime(now)}, assertion valid from ${preciseTime(claims.nbf ?? claims.iat ?? now)}, expiry time of assertion ${preciseTime(claims.exp ?? now)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
      );
    }
    return invalid(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  }
  const audiences = Array.isArray(verified.aud) ? verified.aud : [verified.aud ?? ''];
  const byAudience = byIssuer.filter((c) => c.audiences.some((a) => audiences.includes(a)));
  if (byAudience.length === 0) {
    return invalid(
      401,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'. ${caseNote} ${FEDERATION_DOCS}`,
    );
  }
  if (!byAudience.some((c) => c.subject === verified.sub)) {
    return invalid(
      401,
      'invalid_client',
      700213,
      `No matching federated identity record found for presented assertion subject '${String(verified.sub ?? '')}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FEDERATION_DOCS}`,
    );
  }
  return undefined;
}

/** The directory's display name in Entra messages. */
const SEED_DIRECTORY_NAME = 'Octo Org';
