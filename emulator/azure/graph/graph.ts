// Microsoft Graph v1.0, the part that resolves principals: users by ID or UPN (a guest's `#EXT#`
// percent-encoded) and by `$filter` on userPrincipalName / mail; groups by displayName (`eq`, `in`,
// `startswith`); service principals by appId / displayName / servicePrincipalType and the appId
// alternate key `servicePrincipals(appId='…')`; applications by ID; `directoryObjects/getByIds`;
// `$batch` (at most 20 requests, each item answered, and throttled, on its own); paging with
// `@odata.nextLink`. Tokens must be Graph's (audience) and carry the application permission the
// route needs in `roles` (403 Authorization_RequestDenied otherwise).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startRecord } from '../../common/http.js';
import type { JwtClaims } from '../../common/jwt.js';
import type { AzureContext } from '../tenant/context.js';
import { GraphFailure, matchesAll, pageSize, parseGraphFilter, project, selected } from './query.js';
import { GRAPH_TYPES, type GraphCollection } from './types.js';
import { TRANSITIVE_MEMBERS, transitiveMembers } from './members.js';

/** "A JSON batch request can contain at most 20 individual requests" (json-batching.md). */
export const BATCH_LIMIT = 20;

type Answer = { status: number; body: unknown; headers: Record<string, string> };

const graphError = (failure: GraphFailure, requestId: string): Answer => ({
  status: failure.status,
  headers: failure.headers,
  body: {
    error: {
      code: failure.code,
      message: failure.message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': requestId,
      },
    },
  },
});

export function createGraphHandler(ctx: AzureContext) {
  const base = () => `${ctx.graphEndpoint}/v1.0`;

  const authenticate = (req: IncomingMessage): JwtClaims => {
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
  };

  /** The permission a collection needs, any of these in the token's `roles` (graph-facts §2). */
  const authorize = (claims: JwtClaims, collection: GraphCollection | 'directoryObjects', own: boolean) => {
    // "A service principal can retrieve its own application and service principal details without being granted any application permissions."
    if (own) return;
    const roles = Array.isArray(claims.roles) ? (claims.roles as string[]) : [];
    const enough: Record<string, string[]> = {
      users: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
      groups: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
      servicePrincipals: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'],
      applications: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'],
      directoryObjects: ['Directory.Read.All', 'Directory.ReadWrite.All'],
    };
    if (!enough[collection]!.some((r) => roles.includes(r)))
      throw new GraphFailure(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
  };

  const objectsOf = (collection: GraphCollection): Record<string, unknown>[] => {
    const d = ctx.state.directory;
    const list = {
      users: d.users,
      groups: d.groups,
      servicePrincipals: d.servicePrincipals,
      applications: d.applications,
    }[collection];
    return list as unknown as Record<string, unknown>[];
  };

  /** One GET or POST, as a plain request or a `$batch` item (`url` relative to /v1.0). */
  const answer = (
    claims: JwtClaims,
    method: string,
    target: URL,
    body: unknown,
    headers: Record<string, string>,
  ): Answer => {
    const path = target.pathname.replace(/^\/v1\.0/, '');
    const eventual = Object.entries(headers).some(
      ([k, v]) => k.toLowerCase() === 'consistencylevel' && /^eventual$/i.test(v),
    );
    if (method === 'POST' && path === '/directoryObjects/getByIds') {
      authorize(claims, 'directoryObjects', false);
      const { ids, types } = (body ?? {}) as { ids?: unknown; types?: unknown };
      if (!Array.isArray(ids) || ids.length > 1000)
        throw new GraphFailure(
          400,
          'Request_BadRequest',
          "The 'ids' parameter must be a list of at most 1000 IDs.",
        );
      const wanted = new Set((ids as unknown[]).map((i) => String(i).toLowerCase()));
      const kinds = Array.isArray(types)
        ? (types as string[]).map((t) => t.toLowerCase())
        : ['user', 'group', 'serviceprincipal'];
      const value = (['users', 'groups', 'servicePrincipals'] as const).flatMap((c) =>
        kinds.includes(GRAPH_TYPES[c].odataType.toLowerCase())
          ? objectsOf(c)
              .filter((o) => wanted.has(String(o.id)))
              .map((o) => ({ '@odata.type': `#microsoft.graph.${GRAPH_TYPES[c].odataType}`, ...o }))
          : [],
      );
      return ok({ '@odata.context': `${base()}/$metadata#directoryObjects`, value });
    }
    if (method !== 'GET')
      throw new GraphFailure(405, 'Request_BadRequest', `Method ${method} is not supported on ${path}.`);
    const members = TRANSITIVE_MEMBERS.exec(path);
    if (members) {
      authorize(claims, 'groups', false);
      return ok(transitiveMembers(ctx, members[1]!, target));
    }
    const m = /^\/(users|groups|servicePrincipals|applications)(?:\(appId='([^']*)'\)|\/([^/]+))?$/.exec(
      path,
    );
    if (!m)
      throw new GraphFailure(
        400,
        'BadRequest',
        `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`,
      );
    const collection = m[1] as GraphCollection;
    const type = GRAPH_TYPES[collection];
    const params = target.searchParams;
    const properties = selected(params.get('$select'), type.properties, type.defaults);
    const selectNote = params.get('$select') ? `(${properties.join(',')})` : '';
    if (m[2] !== undefined || m[3] !== undefined) {
      const key = decodeURIComponent(m[3] ?? '')
        .replace(/^\('(.*)'\)$/, '$1')
        .toLowerCase();
      const appId = m[2]?.toLowerCase();
      const found = objectsOf(collection).find((o) =>
        appId !== undefined
          ? String(o.appId).toLowerCase() === appId
          : String(o.id) === key ||
            (collection === 'users' && String(o.userPrincipalName).toLowerCase() === key),
      );
      authorize(
        claims,
        collection,
        found !== undefined && String(found.appId ?? '') === String(claims.appid ?? '-'),
      );
      if (!found)
        throw new GraphFailure(
          404,
          'Request_ResourceNotFound',
          `Resource '${m[3] ?? m[2] ?? ''}' does not exist or one of its queried reference-property objects are not present.`,
        );
      return ok({
        '@odata.context': `${base()}/$metadata#${collection}${selectNote}/$entity`,
        ...project(found, properties),
      });
    }
    authorize(claims, collection, false);
    if (params.has('$search') && !eventual)
      throw new GraphFailure(
        400,
        'Request_UnsupportedQuery',
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    if (params.get('$count') === 'true' && !eventual)
      throw new GraphFailure(400, 'Request_BadRequest', '$count is not currently supported.');
    const filter = params.get('$filter');
    if (filter && params.has('$orderby') && !eventual)
      throw new GraphFailure(
        400,
        'Request_UnsupportedQuery',
        "Sorting and filtering together only work through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    const terms = filter ? parseGraphFilter(filter, type.filterable, eventual) : [];
    const all = objectsOf(collection).filter((o) => matchesAll(o, terms));
    const size = pageSize(params.get('$top'), ctx.config.graphPageSize);
    const skip =
      Number(params.get('$skiptoken') ? Buffer.from(params.get('$skiptoken')!, 'base64url').toString() : 0) ||
      0;
    const page = all.slice(skip, skip + size);
    const next = new URL(`${ctx.graphEndpoint}${target.pathname}`);
    for (const [k, v] of params) if (k !== '$skiptoken') next.searchParams.set(k, v);
    next.searchParams.set('$skiptoken', Buffer.from(String(skip + size)).toString('base64url'));
    return ok({
      '@odata.context': `${base()}/$metadata#${collection}${selectNote}`,
      ...(params.get('$count') === 'true' ? { '@odata.count': all.length } : {}),
      ...(skip + size < all.length ? { '@odata.nextLink': next.toString() } : {}),
      value: page.map((o) => project(o, properties)),
    });
  };

  /** The throttle fault: the next `graphThrottled` requests (or batch items) answer 429 with Retry-After. */
  const throttled = (): GraphFailure | undefined => {
    if (ctx.faults.graphThrottled <= 0) return undefined;
    ctx.faults.graphThrottled--;
    return new GraphFailure(
      429,
      'TooManyRequests',
      'Too many requests. Please retry after the time in the Retry-After header.',
      {
        'retry-after': String(ctx.config.graphRetryAfterSeconds),
      },
    );
  };

  const batch = (claims: JwtClaims, body: unknown): Answer => {
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
        const fault = throttled();
        if (fault) throw fault;
        const target = new URL(`${ctx.graphEndpoint}/v1.0${String(item.url ?? '').replace(/^\/?/, '/')}`);
        const a = answer(
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
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
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
    let result: Answer;
    try {
      const claims = authenticate(req);
      const fault = isBatch ? undefined : throttled();
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
        isBatch && method === 'POST' ? batch(claims, body) : answer(claims, method, url, body, headers);
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
  };
}

const ok = (body: unknown): Answer => ({ status: 200, body, headers: {} });
