// Graph's objects (and PIM for groups' routes, ./pim-groups.ts): `directoryObjects/getByIds`, a group's transitive members, one user, group,
// service principal or application (by ID, UPN or appId), and a collection's list (`$filter`,
// `$select`, `$count`, `$search`, paging), each behind the application permission it needs.
import type { JwtClaims } from '../../common/jwt.js';
import type { AzureContext } from '../tenant/context.js';
import { GraphFailure, matchesAll, pageSize, parseGraphFilter, project, selected } from './query.js';
import { GRAPH_TYPES, type GraphCollection, type GraphType } from './types.js';
import { TRANSITIVE_MEMBERS, transitiveMembers } from './members.js';
import { pimGroupsAnswer } from './pim-groups.js';

export type Answer = { status: number; body: unknown; headers: Record<string, string> };

export const ok = (body: unknown): Answer => ({ status: 200, body, headers: {} });

/** One GET or POST, as a plain request or a `$batch` item (`url` relative to /v1.0). */
export function answer(
  ctx: AzureContext,
  claims: JwtClaims,
  method: string,
  target: URL,
  body: unknown,
  headers: Record<string, string>,
): Answer {
  const path = target.pathname.replace(/^\/v1\.0/, '');
  const eventual = Object.entries(headers).some(
    ([k, v]) => k.toLowerCase() === 'consistencylevel' && /^eventual$/i.test(v),
  );
  const pim = pimGroupsAnswer(ctx, claims, method, target, body);
  if (pim) return pim;
  if (method === 'POST' && path === '/directoryObjects/getByIds') return getByIds(ctx, claims, body);
  if (method !== 'GET')
    throw new GraphFailure(405, 'Request_BadRequest', `Method ${method} is not supported on ${path}.`);
  const members = TRANSITIVE_MEMBERS.exec(path);
  if (members) {
    authorize(claims, 'groups', false);
    return ok(transitiveMembers(ctx, members[1]!, target));
  }
  const m = /^\/(users|groups|servicePrincipals|applications)(?:\(appId='([^']*)'\)|\/([^/]+))?$/.exec(path);
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
  if (m[2] !== undefined || m[3] !== undefined)
    return getOne(ctx, claims, collection, m, selectNote, properties);
  return list(ctx, claims, { collection, type, target, eventual, selectNote, properties });
}

/** `POST /directoryObjects/getByIds`: the users, groups and service principals of the IDs, of the types asked. */
function getByIds(ctx: AzureContext, claims: JwtClaims, body: unknown): Answer {
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
      ? objectsOf(ctx, c)
          .filter((o) => wanted.has(String(o.id)))
          .map((o) => ({ '@odata.type': `#microsoft.graph.${GRAPH_TYPES[c].odataType}`, ...o }))
      : [],
  );
  return ok({ '@odata.context': `${ctx.graphEndpoint}/v1.0/$metadata#directoryObjects`, value });
}

/** One object of `collection`, by ID (a user also by UPN) or by appId. */
function getOne(
  ctx: AzureContext,
  claims: JwtClaims,
  collection: GraphCollection,
  m: RegExpExecArray,
  selectNote: string,
  properties: string[],
): Answer {
  const key = decodeURIComponent(m[3] ?? '')
    .replace(/^\('(.*)'\)$/, '$1')
    .toLowerCase();
  const appId = m[2]?.toLowerCase();
  const found = objectsOf(ctx, collection).find((o) =>
    appId !== undefined
      ? String(o.appId).toLowerCase() === appId
      : String(o.id) === key || (collection === 'users' && String(o.userPrincipalName).toLowerCase() === key),
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
    '@odata.context': `${ctx.graphEndpoint}/v1.0/$metadata#${collection}${selectNote}/$entity`,
    ...project(found, properties),
  });
}

/** A list of `collection`: what the query asks, its page and its count. */
interface ListQuery {
  collection: GraphCollection;
  type: GraphType;
  target: URL;
  eventual: boolean;
  selectNote: string;
  properties: string[];
}

/** A collection's page, filtered as `$filter` says, with `@odata.nextLink` when more remain. */
function list(ctx: AzureContext, claims: JwtClaims, query: ListQuery): Answer {
  const { collection, type, target, eventual, selectNote, properties } = query;
  const params = target.searchParams;
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
  const all = objectsOf(ctx, collection).filter((o) => matchesAll(o, terms));
  const size = pageSize(params.get('$top'), ctx.config.graphPageSize);
  const skip =
    Number(params.get('$skiptoken') ? Buffer.from(params.get('$skiptoken')!, 'base64url').toString() : 0) ||
    0;
  const page = all.slice(skip, skip + size);
  const next = new URL(`${ctx.graphEndpoint}${target.pathname}`);
  for (const [k, v] of params) if (k !== '$skiptoken') next.searchParams.set(k, v);
  next.searchParams.set('$skiptoken', Buffer.from(String(skip + size)).toString('base64url'));
  return ok({
    '@odata.context': `${ctx.graphEndpoint}/v1.0/$metadata#${collection}${selectNote}`,
    ...(params.get('$count') === 'true' ? { '@odata.count': all.length } : {}),
    ...(skip + size < all.length ? { '@odata.nextLink': next.toString() } : {}),
    value: page.map((o) => project(o, properties)),
  });
}

/**
 * The permission a collection needs, any of these in the token's `roles` (the permissions of each
 * list call, e.g. https://learn.microsoft.com/graph/api/user-list).
 */
function authorize(claims: JwtClaims, collection: GraphCollection | 'directoryObjects', own: boolean): void {
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
}

/** The directory's objects of a collection. */
function objectsOf(ctx: AzureContext, collection: GraphCollection): Record<string, unknown>[] {
  const d = ctx.state.directory;
  const list = {
    users: d.users,
    groups: d.groups,
    servicePrincipals: d.servicePrincipals,
    applications: d.applications,
  }[collection];
  return list as unknown as Record<string, unknown>[];
}
