// The names of directory objects by object ID, for the rows a plan shows: asked with the
// permissions names already need (each collection `id in (…)`), batched.
import { unique } from '../../core/lists.js';
import { chunks, odataLiteral, type AzurePrincipalType } from '../../core/principal-forms.js';
import type { GraphCalls } from './calls.js';
import { directoryObject } from './directory-objects.js';
import { IN_LIMIT } from './principal-queries.js';
import { SELECT, type Collection } from './principal-queries.js';

/** A directory object's name, and what it is (the collection that holds it): the plan shows both. */
export interface ObjectName {
  name: string;
  type?: AzurePrincipalType;
}

/** The names found; `unanswered`: why a query went unanswered, when one did (an ID left unnamed may exist). */
export interface ObjectNames {
  names: Map<string, ObjectName>;
  unanswered?: unknown;
}

/**
 * The names of directory objects by object ID (GUIDs, lower-cased): each collection asked
 * `id in (…)` (15 IDs a query, the queries in `$batch` requests of 20: 90 IDs, asked of the three
 * collections, in one request). A user by its user principal name, any other object by its display
 * name, each with its type; an ID no collection holds has none. Throws only when every query
 * failed (the first failure), so one missing permission (groups, say) leaves only those unnamed;
 * `unanswered` then says why, for an ID left unnamed may be one that query would have found.
 */
export async function namesOfObjects(graph: GraphCalls, objectIds: readonly string[]): Promise<ObjectNames> {
  const ids = unique(objectIds.map((id) => id.toLowerCase()));
  const collections = Object.keys(SELECT) as Collection[];
  const queries = collections.flatMap((collection) =>
    chunks(ids, IN_LIMIT).map((part, i) => ({
      id: `${collection}-${i}`,
      collection,
      path: `/v1.0/${collection}?$filter=${encodeURIComponent(`id in (${part.map(odataLiteral).join(',')})`)}&$select=${SELECT[collection]}`,
    })),
  );
  const answers = await graph.run(queries);
  const wanted = new Set(ids);
  const names = new Map<string, ObjectName>();
  const failures = queries.flatMap((q) => {
    const answer = answers.get(q.id);
    if (!answer?.ok) return answer ? [answer.failure] : [];
    for (const item of answer.items) {
      const o = directoryObject(q.collection, item);
      const name = o?.kind === 'user' ? (o.userPrincipalName ?? o.displayName) : o?.displayName;
      if (o && wanted.has(o.id) && name) names.set(o.id, { name, type: o.type });
    }
    return [];
  });
  // A query without an answer is not an answer that the IDs it asked for are not there.
  const unanswered = queries.some((q) => !answers.get(q.id)?.ok);
  if (failures.length === queries.length && failures[0]) throw failures[0];
  return unanswered
    ? { names, unanswered: failures[0] ?? new Error('Microsoft Graph did not answer every query') }
    : { names };
}

/** "Up to 1000 IDs" a `directoryObjects/getByIds` request (https://learn.microsoft.com/graph/api/directoryobject-getbyids). */
export const GET_BY_IDS_LIMIT = 1000;

const COLLECTION_OF_TYPE = new Map<string, 'users' | 'groups' | 'servicePrincipals'>([
  ['#microsoft.graph.user', 'users'],
  ['#microsoft.graph.group', 'groups'],
  ['#microsoft.graph.serviceprincipal', 'servicePrincipals'],
]);

/**
 * The names of directory objects by object ID (GUIDs, lower-cased): one `directoryObjects/getByIds`
 * per GET_BY_IDS_LIMIT IDs, of users, groups and service principals. A user by its user principal
 * name, any other object by its display name, each with its type (from its `@odata.type`); an ID
 * the directory does not hold has none. Throws what Graph answered when a request failed.
 */
export async function namesByIds(
  graph: GraphCalls,
  objectIds: readonly string[],
): Promise<Map<string, ObjectName>> {
  const ids = unique(objectIds.map((id) => id.toLowerCase()));
  const wanted = new Set(ids);
  const names = new Map<string, ObjectName>();
  for (const part of chunks(ids, GET_BY_IDS_LIMIT)) {
    const answer = (await graph.post('Graph_GetByIds', '/v1.0/directoryObjects/getByIds', {
      ids: part,
      types: ['user', 'group', 'servicePrincipal'],
    })) as { value?: unknown } | undefined;
    const items = Array.isArray(answer?.value) ? (answer.value as Record<string, unknown>[]) : [];
    for (const item of items) {
      const collection = COLLECTION_OF_TYPE.get(String(item['@odata.type']).toLowerCase());
      const o = collection && directoryObject(collection, item);
      const name = o
        ? o.kind === 'user'
          ? (o.userPrincipalName ?? o.displayName)
          : o.displayName
        : undefined;
      if (o && wanted.has(o.id) && name) names.set(o.id, { name, type: o.type });
    }
  }
  return names;
}
