// Microsoft Entra's v2.0 endpoints for workload identity federation: OpenID metadata (MSAL reads
// it for a non-Microsoft authority host; the document is entra/metadata.ts) and the token
// endpoint's client_credentials grant with a federated client assertion (the GitHub OIDC token;
// its checks in entra/exchange.ts), answering Entra's real AADSTS errors.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startRecord } from '../../common/http.js';
import type { RequestRecord } from '../../common/requests.js';
import type { AzureContext } from '../tenant/context.js';
import { ARM_AUDIENCE, exchange, isEmulatedGraph, STORAGE_RESOURCE, type EntraError } from './exchange.js';
import { openIdConfiguration } from './metadata.js';

/** "2026-11-22 21:30:00Z", the form Entra puts in error bodies. */
const entraTimestamp = (date: Date) => `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;

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

const sendError = (ctx: AzureContext, res: ServerResponse, failure: EntraError, correlationId: string) => {
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

/** A token request the handler answers: its tenant, correlation ID and record entry. */
interface TokenRequest {
  tenant: string;
  correlationId: string;
  entry: RequestRecord;
}

export function createEntraHandler(ctx: AzureContext) {
  // The injected server errors alternate 503 and 500, the two Entra answers a retry must survive.
  const served = { serverErrors: 0 };
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
      return openIdMetadata(ctx, req, res, tenant);
    }
    if (req.method === 'GET' && tenant && (route === 'discovery/v2.0/keys' || route === 'discovery/keys')) {
      const entry = startRecord(ctx.record, 'entra', 'keys', req, false);
      entry.status = 200;
      return send(res, 200, ctx.entraIssuer.jwks());
    }
    if (req.method === 'POST' && tenant && route === 'oauth2/v2.0/token') {
      const entry = startRecord(ctx.record, 'entra', 'token', req, false);
      return token(ctx, served, req, res, { tenant, correlationId, entry });
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

/** `GET {tenant}/v2.0/.well-known/openid-configuration`. */
function openIdMetadata(ctx: AzureContext, req: IncomingMessage, res: ServerResponse, tenant: string): void {
  const entry = startRecord(ctx.record, 'entra', 'openid-configuration', req, false);
  // Served for any tenant, like the metadata MSAL has built in for Microsoft's hosts, so an
  // unknown tenant surfaces as AADSTS90002 from the token endpoint, as it does in the cloud.
  entry.status = 200;
  // MSAL checks the issuer against the authority it was given, so the answer names the host the
  // request was addressed to (its Host header), as Entra's own metadata names its own host.
  const origin = req.headers.host ? `https://${req.headers.host}` : ctx.authorityHost;
  return send(res, 200, openIdConfiguration(tenant, origin));
}

/** `POST {tenant}/oauth2/v2.0/token`: the injected faults first, then the exchange's checks, then a token. */
async function token(
  ctx: AzureContext,
  served: { serverErrors: number },
  req: IncomingMessage,
  res: ServerResponse,
  { tenant, correlationId, entry }: TokenRequest,
): Promise<void> {
  const body = await readBody(req);
  if (ctx.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs));
  if (ctx.faults.entraServerErrors > 0) {
    ctx.faults.entraServerErrors--;
    const unavailable = served.serverErrors++ % 2 === 0;
    entry.status = unavailable ? 503 : 500;
    entry.errorCode = unavailable ? 'AADSTS90033' : 'AADSTS50000';
    return sendError(
      ctx,
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
  const outcome = exchange(ctx, tenant, new URLSearchParams(body));
  if ('status' in outcome) {
    entry.status = outcome.status;
    entry.errorCode = `AADSTS${outcome.code}`;
    return sendError(ctx, res, outcome, correlationId);
  }
  const lifetime = ctx.config.accessTokenLifetimeSeconds;
  const accessToken = accessTokenFor(ctx, outcome);
  ctx.issuedAccessTokens.push(accessToken);
  entry.status = 200;
  return send(
    res,
    200,
    { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
    { 'client-request-id': correlationId },
  );
}

/** The access token Entra signs for the app and resource the exchange admitted. */
function accessTokenFor(
  ctx: AzureContext,
  outcome: { appId: string; objectId: string; resource: string },
): string {
  const now = Math.floor(Date.now() / 1000);
  const lifetime = ctx.config.accessTokenLifetimeSeconds;
  const graph = isEmulatedGraph(ctx, outcome.resource);
  return ctx.entraIssuer.sign({
    aud: graph
      ? ctx.graphEndpoint
      : outcome.resource === 'https://management.core.windows.net/'
        ? outcome.resource
        : outcome.resource === STORAGE_RESOURCE
          ? 'https://storage.azure.com'
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
}
