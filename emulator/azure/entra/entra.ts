// Microsoft Entra's v2.0 endpoints for workload identity federation: OpenID metadata (MSAL reads
// it for a non-Microsoft authority host; the document is entra/metadata.ts) and the token
// endpoint's client_credentials grant with a federated client assertion (the GitHub OIDC token),
// answering Entra's real AADSTS errors.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startRecord } from '../../common/http.js';
import { decodeJwtClaims, JwtError, type JwtClaims } from '../../common/jwt.js';
import type { AzureContext } from '../tenant/context.js';
import { openIdConfiguration } from './metadata.js';

/** The resources (application ID URIs) whose `/.default` scope Entra issues ARM tokens for. */
export const ARM_AUDIENCE = 'https://management.azure.com/';
const ARM_RESOURCES = ['https://management.azure.com/', 'https://management.core.windows.net/'];
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const FEDERATION_DOCS = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';

interface EntraError {
  status: number;
  error: string;
  code: number;
  description: string;
}

/** "2026-11-22 21:30:00Z", the form Entra puts in error bodies. */
const entraTimestamp = (date: Date) => `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
/** "2026-11-22T21:30:00.0000000Z", the form of AADSTS700024's times. */
const preciseTime = (seconds: number) =>
  new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '.0000000Z');

export function createEntraHandler(ctx: AzureContext) {
  let serverErrorsServed = 0;
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store, no-cache',
      'content-length': String(Buffer.byteLength(text)),
      'x-ms-request-id': randomUUID(),
      ...headers,
    });
    res.end(text);
  };

  const sendError = (res: ServerResponse, failure: EntraError, correlationId: string) => {
    const traceId = randomUUID();
    const now = new Date();
    const timestamp = entraTimestamp(now);
    send(
      res,
      failure.status,
      {
        error: failure.error,
        error_description: `AADSTS${failure.code}: ${failure.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
        error_codes: [failure.code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `${ctx.authorityHost}/error?code=${failure.code}`,
      },
      { 'client-request-id': correlationId },
    );
  };

  /**
   * The emulated ARM endpoint as a resource: its own URL, or the same port under `localhost`,
   * another loopback address (127.0.0.0/8, where nothing of the emulator's listens: a host that
   * refuses the connection) or a `*.emulator.test` name (reached through a forward proxy that
   * resolves those to loopback; without it, a host that does not resolve).
   */
  const isEmulatedArm = (resource: string): boolean => isEmulated(resource, ctx.resourceManagerEndpoint);
  /** Microsoft Graph's resource (`<graph>/.default`): the emulated Graph, addressed the same ways as ARM. */
  const isEmulatedGraph = (resource: string): boolean =>
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

  /** Checks the token request; returns the error Entra would answer, or the app and resource. */
  const exchange = (
    tenant: string,
    form: URLSearchParams,
  ): EntraError | { appId: string; objectId: string; resource: string } => {
    const invalid = (status: number, error: string, code: number, description: string): EntraError => ({
      status,
      error,
      code,
      description,
    });
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
    if (!ARM_RESOURCES.includes(resource) && !isEmulatedArm(resource) && !isEmulatedGraph(resource)) {
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
    return { appId: app.clientId, objectId: app.objectId, resource };
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const segments = url.pathname.split('/').filter(Boolean);
    const [tenant, ...rest] = segments;
    const route = rest.join('/');
    const correlationId = String(req.headers['client-request-id'] ?? randomUUID());

    if (
      req.method === 'GET' &&
      tenant &&
      (route === 'v2.0/.well-known/openid-configuration' || route === '.well-known/openid-configuration')
    ) {
      const entry = startRecord(ctx.record, 'entra', 'openid-configuration', req, false);
      // Served for any tenant, like the metadata MSAL has built in for Microsoft's hosts, so an
      // unknown tenant surfaces as AADSTS90002 from the token endpoint, as it does in the cloud.
      entry.status = 200;
      // MSAL checks the issuer against the authority it was given, so the answer names the host the
      // request was addressed to (its Host header), as Entra's own metadata names its own host.
      const origin = req.headers.host ? `https://${req.headers.host}` : ctx.authorityHost;
      return send(res, 200, openIdConfiguration(tenant, origin));
    }
    if (req.method === 'GET' && tenant && (route === 'discovery/v2.0/keys' || route === 'discovery/keys')) {
      const entry = startRecord(ctx.record, 'entra', 'keys', req, false);
      entry.status = 200;
      return send(res, 200, ctx.entraIssuer.jwks());
    }
    if (req.method === 'POST' && tenant && route === 'oauth2/v2.0/token') {
      const entry = startRecord(ctx.record, 'entra', 'token', req, false);
      const body = await readBody(req);
      if (ctx.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs));
      if (ctx.faults.entraServerErrors > 0) {
        ctx.faults.entraServerErrors--;
        const unavailable = serverErrorsServed++ % 2 === 0;
        entry.status = unavailable ? 503 : 500;
        entry.errorCode = unavailable ? 'AADSTS90033' : 'AADSTS50000';
        return sendError(
          res,
          unavailable
            ? {
                status: 503,
                error: 'temporarily_unavailable',
                code: 90033,
                description: 'A transient error has occurred. Please try again.',
              }
            : {
                status: 500,
                error: 'server_error',
                code: 50000,
                description: 'There was an error issuing a token or an issue with our sign-in service.',
              },
          correlationId,
        );
      }
      const outcome = exchange(tenant, new URLSearchParams(body));
      if ('status' in outcome) {
        entry.status = outcome.status;
        entry.errorCode = `AADSTS${outcome.code}`;
        return sendError(res, outcome, correlationId);
      }
      const now = Math.floor(Date.now() / 1000);
      const lifetime = ctx.config.accessTokenLifetimeSeconds;
      const graph = isEmulatedGraph(outcome.resource);
      const accessToken = ctx.entraIssuer.sign({
        aud: graph
          ? ctx.graphEndpoint
          : outcome.resource === 'https://management.core.windows.net/'
            ? outcome.resource
            : ARM_AUDIENCE,
        // The application permissions an admin consented; Entra leaves `roles` out when there are none.
        ...(graph && ctx.config.graphRoles.length > 0 ? { roles: [...ctx.config.graphRoles] } : {}),
        iss: `https://sts.windows.net/${ctx.state.tenantId}/`,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        aio: randomUUID(),
        appid: outcome.appId,
        appidacr: '2',
        idp: `https://sts.windows.net/${ctx.state.tenantId}/`,
        idtyp: 'app',
        oid: outcome.objectId,
        rh: '0.emulator.',
        sub: outcome.objectId,
        tid: ctx.state.tenantId,
        uti: randomUUID().replace(/-/g, '').slice(0, 22),
        ver: '1.0',
      });
      ctx.issuedAccessTokens.push(accessToken);
      entry.status = 200;
      return send(
        res,
        200,
        { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
        { 'client-request-id': correlationId },
      );
    }
    const entry = startRecord(ctx.record, 'entra', 'unknown', req, false);
    entry.status = 404;
    entry.errorCode = 'NotFound';
    return send(res, 404, {
      error: 'not_found',
      error_description: `emulator: no Entra endpoint ${req.method ?? ''} ${url.pathname}`,
    });
  };
}

/** The directory's display name in Entra messages. */
const SEED_DIRECTORY_NAME = 'Octo Org';
