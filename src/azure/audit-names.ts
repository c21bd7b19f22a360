// What an Azure audit record calls its IDs where the step's reads did not say: a resource group,
// resource or management group by the name its scope holds, a subscription by its display name
// (Subscriptions_Get, one per subscription), a principal given by object ID by its name in the
// directory (Microsoft Graph `directoryObjects/getByIds`, one per 1,000 IDs; without Directory.Read.All,
// each collection asked `id in (…)`, what principals by name need already), a role given by its
// definition ID (a sweep's or a post step's revoke) by the role definitions of its target's
// subscription or management group (RoleDefinitions_List, one per subscription). Read only by a step
// with `audit-log`, for its records, within the labels budget (engine/limits/best-effort.ts). A read
// the step's identity is denied leaves the ID, and the step is told once what to grant. The names
// are server text: a record holds them as JSON data.
import { parseAzureScope, roleGuidOf } from '../core/azure-scope.js';
import type { AzureSettings } from '../core/inputs/index.js';
import { BatchedNames, type RecordNamer } from '../engine/audit/names.js';
import type { RecordBody } from '../engine/audit/record.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { createArmSession, type ArmSession } from './arm/session.js';
import { roleDefinitionsScopeOf } from './arm/roles.js';
import { labelsFailure } from './graph/graph-errors.js';
import { GraphError } from './graph/client.js';
import { GET_BY_IDS_LIMIT } from './graph/object-names.js';
import { ArmError } from './sdk/arm-errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The namer of a step's records, on a session signed in as the step's. */
export function createAzureRecordNamer(
  settings: AzureSettings,
  deps: AdapterDeps,
  notice: (message: string) => void,
): RecordNamer {
  return azureRecordNamer(createArmSession(settings, deps), notice, {
    // The post step asks Graph only when the main step saved its endpoint (with `audit-log`).
    graph: Boolean(settings.graphEndpoint && settings.graphTokenScope),
  });
}

export function azureRecordNamer(
  session: Pick<ArmSession, 'subscription' | 'directory' | 'reads'>,
  notice: (message: string) => void,
  { graph }: { graph: boolean },
): RecordNamer {
  const told = new Set<string>();
  const tell = (what: string, message: string) => {
    if (told.has(what)) return;
    told.add(what);
    notice(`audit-log: ${message}`);
  };
  const subscriptions = new BatchedNames(async (ids) => {
    const names = new Map<string, string>();
    await Promise.all(
      ids.map(async (id) => {
        try {
          const { displayName } = await session.subscription(id);
          if (typeof displayName === 'string' && displayName.trim() !== '') names.set(id, displayName);
        } catch (error) {
          const refused = error instanceof ArmError && error.statusCode === 403;
          tell(
            'subscriptions',
            `the records name some subscriptions by ID alone: ${refused ? "the step's identity may not read their display names" : 'their display names could not be read'} (${error instanceof Error ? error.message : String(error)})${refused ? '; to name them, give it `Microsoft.Resources/subscriptions/read` (Reader has it)' : ''}`,
          );
        }
      }),
    );
    return names;
  }, 20);
  const roles = roleNamesByScope(session, (error) =>
    tell(
      'roles',
      `the records name some roles by definition ID alone: their role definitions could not be read (${error instanceof Error ? error.message : String(error)}); to name them, give the step's identity \`Microsoft.Authorization/roleDefinitions/read\` (Reader has it)`,
    ),
  );
  let getByIdsDenied = false;
  const unnamed = (error: unknown) => {
    const { said, fix } = labelsFailure(error, session.directory.graphEndpoint);
    tell(
      'principals',
      `the records name principals given by object ID by their ID alone: Microsoft Graph did not name them (${said}); to name them, ${fix}`,
    );
    return new Map<string, string>();
  };
  const principals = new BatchedNames(async (ids) => {
    try {
      if (!getByIdsDenied) return namesOnly(await session.directory.namesByIds(ids));
    } catch (error) {
      if (!(error instanceof GraphError && error.status === 403)) return unnamed(error);
      // `getByIds` needs Directory.Read.All; the collections' own queries, what names need already.
      getByIdsDenied = true;
    }
    try {
      const read = await session.directory.namesOf(ids);
      if (read.unanswered !== undefined && ids.some((id) => !read.names.has(id))) unnamed(read.unanswered);
      return namesOnly(read.names);
    } catch (error) {
      return unnamed(error);
    }
  }, GET_BY_IDS_LIMIT);
  return {
    async namesOf(record: RecordBody) {
      if (record.cloud !== 'azure') return {};
      const objectId = record.principal?.name === undefined ? record.principal?.id : undefined;
      const [target, principal, role] = await Promise.all([
        record.target?.name === undefined && record.target?.id
          ? targetName(record.target.id, (id) => subscriptions.nameOf(id))
          : undefined,
        graph && objectId && GUID.test(objectId) ? principals.nameOf(objectId.toLowerCase()) : undefined,
        record.role?.name === undefined && record.role?.id && record.target?.id
          ? roles(record.role.id, record.target.id)
          : undefined,
      ]);
      return {
        ...(target ? { target } : {}),
        ...(principal ? { principal } : {}),
        ...(role ? { role } : {}),
      };
    },
  };
}

/**
 * A role's name by its definition ID, from the role definitions where the target's are listed (its
 * subscription, or the management group itself): one list per such scope, kept for every record.
 */
function roleNamesByScope(
  session: Pick<ArmSession, 'reads'>,
  failed: (error: unknown) => void,
): (roleId: string, targetId: string) => Promise<string | undefined> {
  const lists = new Map<string, Promise<Map<string, string>>>();
  return async (roleId, targetId) => {
    const target = parseAzureScope(targetId);
    const scope = typeof target === 'string' ? undefined : roleDefinitionsScopeOf(target);
    if (!scope) return undefined;
    const key = scope.scope.toLowerCase();
    let list = lists.get(key);
    if (!list) {
      list = session.reads.roleNamesByGuid(scope).catch((error: unknown) => {
        failed(error);
        return new Map<string, string>();
      });
      lists.set(key, list);
    }
    return (await list).get(roleGuidOf(roleId).toLowerCase());
  };
}

function namesOnly(read: ReadonlyMap<string, { name: string }>): Map<string, string> {
  return new Map([...read].map(([id, { name }]) => [id, name]));
}

/**
 * A scope's name: a resource group's, resource's or management group's as the scope holds it, a
 * subscription's display name where ARM gives it.
 */
async function targetName(
  scopeId: string,
  subscriptionName: (id: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  const scope = parseAzureScope(scopeId);
  if (typeof scope === 'string') return undefined;
  const parts = scope.scope.split('/').filter(Boolean);
  if (scope.kind === 'resourceGroup') return parts[3];
  if (scope.kind === 'resource' || scope.kind === 'managementGroup') return parts.at(-1);
  if (scope.kind === 'subscription' && scope.subscriptionId)
    return subscriptionName(scope.subscriptionId.toLowerCase());
  return undefined;
}
