// Microsoft Graph v1.0 `GET /groups/{id}/transitiveMembers` (https://learn.microsoft.com/graph/api/group-list-transitivemembers):
// every user, group and service principal reached through the group's members, nested groups
// followed; each item carries its `@odata.type`, `$select` applies to each type's own properties,
// and the list pages with `$top` and `@odata.nextLink`. 404 for a group the directory lacks.
import type { AzureContext } from '../tenant/context.js';
import { GraphFailure, pageSize, project } from './query.js';
import { GRAPH_TYPES } from './types.js';

export const TRANSITIVE_MEMBERS = /^\/groups\/([^/]+)\/transitiveMembers$/;

export function transitiveMembers(ctx: AzureContext, groupId: string, target: URL): Record<string, unknown> {
  const d = ctx.state.directory;
  const id = decodeURIComponent(groupId).toLowerCase();
  if (!d.groups.some((g) => g.id === id))
    throw new GraphFailure(
      404,
      'Request_ResourceNotFound',
      `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`,
    );
  const collections = [
    ['users', d.users],
    ['groups', d.groups],
    ['servicePrincipals', d.servicePrincipals],
  ] as const;
  const params = target.searchParams;
  const select = params
    .get('$select')
    ?.split(',')
    .map((p) => p.trim());
  const all = d.transitiveMembers(id).flatMap((memberId) =>
    collections.flatMap(([collection, objects]) => {
      const found = (objects as readonly { id: string }[]).find((o) => o.id === memberId);
      if (!found) return [];
      const type = GRAPH_TYPES[collection];
      const properties = select ? type.properties.filter((p) => select.includes(p)) : [...type.defaults];
      return [
        {
          '@odata.type': `#microsoft.graph.${type.odataType}`,
          ...project(
            found as unknown as Record<string, unknown>,
            properties.includes('id') ? properties : ['id', ...properties],
          ),
        },
      ];
    }),
  );
  const size = pageSize(params.get('$top'), ctx.config.graphPageSize);
  const skip =
    Number(params.get('$skiptoken') ? Buffer.from(params.get('$skiptoken')!, 'base64url').toString() : 0) ||
    0;
  const next = new URL(`${ctx.graphEndpoint}${target.pathname}`);
  for (const [k, v] of params) if (k !== '$skiptoken') next.searchParams.set(k, v);
  next.searchParams.set('$skiptoken', Buffer.from(String(skip + size)).toString('base64url'));
  return {
    '@odata.context': `${ctx.graphEndpoint}/v1.0/$metadata#directoryObjects`,
    ...(skip + size < all.length ? { '@odata.nextLink': next.toString() } : {}),
    value: all.slice(skip, skip + size),
  };
}
