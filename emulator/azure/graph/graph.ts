// Microsoft Graph v1.0, the part that resolves principals: users by ID or UPN (a guest's `#EXT#`
// percent-encoded) and by `$filter` on userPrincipalName / mail; groups by displayName (`eq`, `in`,
// `startswith`); service principals by appId / displayName / servicePrincipalType and the appId
// alternate key `servicePrincipals(appId='…')`; applications by ID; `directoryObjects/getByIds`;
// `$batch` (at most 20 requests, each item answered, and throttled, on its own); paging with
// `@odata.nextLink`. Tokens must be Graph's (audience) and carry the application permission the
// route needs in `roles` (403 Authorization_RequestDenied otherwise). The objects' routes: objects.ts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendHtmlPage, startRecord } from '../../common/http.js';
import { htmlPageFor } from '../tenant/config.js';
import type { JwtClaims } from '../../common/jwt.js';
import type { AzureContext } from '../tenant/context.js';
import { answer, ok, type Answer } from './objects.js';
import { GraphFailure } from './query.js';

/** "A JSON batch request can contain at most 20 individual requests" (https://learn.microsoft.com/graph/json-batching). */
export const BATCH_LIMIT = 20;

const graphError = (failure: GraphFailure, requestId: string): Answer => ({
  status: failure.status,
  headers: failure.headers,
  body: {
    error: {
      code: failure.code,
      message: failure.message,
      innerError: {
        // A throttled answer's innerError says so too (https://learn.microsoft.com/graph/throttling, "Sample response").
        ...(failure.status === 429 ? { code: '429', message: 'Please retry after', status: '429' } : {}),
        date: new Date().toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': requestId,
      },
    },
  },
});
export function createGraphHandler(ctx: AzureContext) {
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => serve(ctx, req, res);
}

/** One request to Graph: its token, the throttle fault, its body, then the batch or the object route. */
async function serve(ctx: AzureContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(`${ctx.graphEndpoint}${req.url ?? '/'}`);
  const isBatch = url.pathname === '/v1.0/$batch';
  const entry = startRecord(
    ctx.record,
    'graph',
    isBatch ? 'batch' : `${method} ${url.pathname.split('/')[2]?.replace(/\(.*$/, '') ?? ''}`,
    req,
    false,
  );
  const requestId = randomUUID();
  const text = await readBody(req);
  const page = htmlPageFor(ctx.faults, 'graph', method, url);
  if (page) return sendHtmlPage(res, entry, page);
  let result: Answer;
  try {
    const claims = authenticate(ctx, req);
    const fault = isBatch ? undefined : throttled(ctx);
    if (fault) throw fault;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new GraphFailure(400, 'BadRequest', 'Invalid JSON in the request body.');
    }
    if (!url.pathname.startsWith('/v1.0/')) throw new GraphFailure(400, 'BadRequest', 'Invalid version.');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    result =
      isBatch && method === 'POST'
        ? batch(ctx, claims, body)
        : answer(ctx, claims, method, url, body, headers);
  } catch (error) {
    if (!(error instanceof GraphFailure)) throw error;
    result = graphError(error, requestId);
  }
  entry.status = result.status;
  const code = (result.body as { error?: { code?: string } }).error?.code;
  if (code) entry.errorCode = code;
  const out = JSON.stringify(result.body);
  res.writeHead(result.status, {
    'content-type':
      'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    'content-length': String(Buffer.byteLength(out)),
    'request-id': requestId,
    'client-request-id': String(req.headers['client-request-id'] ?? requestId),
    'x-ms-ags-diagnostic':
      '{"ServerInfo":{"DataCenter":"Emulator","Slice":"E","Ring":"1","ScaleUnit":"000","RoleInstance":"EMU"}}',
    ...result.headers,
  });
  res.end(out);
}

/** The caller's claims: a token Entra signed for Graph's audience, or 401. */
function authenticate(ctx: AzureContext, req: IncomingMessage): JwtClaims {
  const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  const invalid = (why: string) => new GraphFailure(401, 'InvalidAuthenticationToken', why);
  if (!m) throw invalid('Access token is empty.');
  let claims: JwtClaims;
  try {
    claims = ctx.entraIssuer.verify(m[1]!);
  } catch {
    throw invalid('Access token validation failure.');
  }
  const aud = String(claims.aud ?? '').replace(/\/+$/, '');
  if (aud !== ctx.graphEndpoint) throw invalid('Access token validation failure. Invalid audience.');
  return claims;
}

/** The throttle fault: the next `graphThrottled` requests (or batch items) answer 429 with Retry-After. */
function throttled(ctx: AzureContext): GraphFailure | undefined {
  if (ctx.faults.graphThrottled <= 0) return undefined;
  ctx.faults.graphThrottled--;
  return new GraphFailure(429, 'TooManyRequests', 'Please retry again later.', {
    'retry-after': String(ctx.config.graphRetryAfterSeconds),
  });
}

/** `POST /$batch`: each item answered (and throttled) on its own, in reverse order. */
function batch(ctx: AzureContext, claims: JwtClaims, body: unknown): Answer {
  const requests = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0 || requests.length > BATCH_LIMIT)
    throw new GraphFailure(400, 'BadRequest', `A batch holds 1 to ${BATCH_LIMIT} requests.`);
  const ids = requests.map((r) => String((r as { id?: unknown }).id ?? ''));
  if (new Set(ids).size !== ids.length || ids.includes(''))
    throw new GraphFailure(400, 'BadRequest', 'Batch request IDs must be present and unique.');
  const responses = requests.map((r) => {
    const item = r as {
      id: string;
      method?: string;
      url?: string;
      body?: unknown;
      headers?: Record<string, string>;
    };
    const requestId = randomUUID();
    try {
      const fault = throttled(ctx);
      if (fault) throw fault;
      const target = new URL(`${ctx.graphEndpoint}/v1.0${String(item.url ?? '').replace(/^\/?/, '/')}`);
      const a = answer(
        ctx,
        claims,
        String(item.method ?? 'GET').toUpperCase(),
        target,
        item.body,
        item.headers ?? {},
      );
      return {
        id: item.id,
        status: a.status,
        headers: { 'content-type': 'application/json', 'request-id': requestId },
        body: a.body,
      };
    } catch (error) {
      if (!(error instanceof GraphFailure)) throw error;
      const a = graphError(error, requestId);
      return {
        id: item.id,
        status: a.status,
        headers: { 'content-type': 'application/json', 'request-id': requestId, ...a.headers },
        body: a.body,
      };
    }
  });
  // "Responses might appear in a different order": the client must correlate by id.
  return ok({ responses: responses.reverse() });
}
