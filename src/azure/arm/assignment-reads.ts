// The role assignments at or under a scope (one unfiltered, paged list), which a reconcile plans
// from, a report lists and a sweep judges; and for a report the PIM schedule instances there too.
import type { RoleAssignment, RoleAssignmentScheduleInstance } from '@azure/arm-authorization';
import { atOrUnder, type AzureScope } from '../../core/azure-scope.js';
import { assignmentKey, LISTED_KIND } from '../../core/kinds/index.js';
import type { ArmSession } from './session.js';
import { urlPathArgument } from './clients.js';
import { atScopeFilter } from './roles.js';

/** An assignment's place, however ARM or the manifest spells its parts: the key of the kind ARM lists (core/kinds/). */
export const placeKey = (principalId: string, roleId: string, scope: string) =>
  assignmentKey(LISTED_KIND.azure, { principalId, principalType: '', roleId, targetId: scope });

/**
 * Every assignment at or under the scope, every page, and how many pages (requests) that took.
 * Unfiltered, ARM lists those above the scope too (inherited), which are dropped: `atScope()`
 * would drop those below, which the scope manages.
 */
export async function listAssignmentsAtOrUnder(
  session: ArmSession,
  scope: AzureScope,
): Promise<{ assignments: RoleAssignment[]; pages: number }> {
  const { assignments, pages } = await listAssignmentsAround(session, scope);
  return { assignments, pages };
}

/**
 * The same one list, those above the scope (a management group's, the root's: they apply to it by
 * inheritance) kept apart: a report shows them too, for no call more.
 */
export async function listAssignmentsAround(
  session: ArmSession,
  scope: AzureScope,
): Promise<{ assignments: RoleAssignment[]; above: RoleAssignment[]; pages: number }> {
  const { items, above, pages } = await listAtOrUnder(
    session,
    'RoleAssignments_ListForScope',
    scope,
    (client, signal) =>
      client.roleAssignments.listForScope(urlPathArgument(scope.scope), { abortSignal: signal }),
  );
  return { assignments: items, above, pages };
}

/**
 * The IDs of every assignment at or above the scope (`atScope()`: ARM's hierarchy, management
 * groups included), every page: what tells a management group above a management group target
 * from one below it, which the unfiltered list holds alike.
 */
export async function listAssignmentIdsAtOrAbove(
  session: ArmSession,
  scope: AzureScope,
): Promise<{ ids: Set<string>; pages: number }> {
  return session.send('RoleAssignments_ListForScope', scope, async (client, signal) => {
    const ids = new Set<string>();
    let pages = 0;
    const list = client.roleAssignments.listForScope(urlPathArgument(scope.scope), {
      abortSignal: signal,
      filter: atScopeFilter(),
    });
    for await (const page of list.byPage()) {
      pages++;
      for (const a of page) if (typeof a.id === 'string') ids.add(a.id.toLowerCase());
    }
    return { ids, pages };
  });
}

/**
 * PIM: every schedule instance active at, under or above the scope (one unfiltered, paged list;
 * those above it for the inherited assignments a report shows), each with its end time. Permanent assignments are listed too, without one.
 */
export async function listScheduleInstancesAround(
  session: ArmSession,
  scope: AzureScope,
): Promise<{ instances: RoleAssignmentScheduleInstance[]; pages: number }> {
  const { items, above, pages } = await listAtOrUnder(
    session,
    'RoleAssignmentScheduleInstances_ListForScope',
    scope,
    (client, signal) =>
      client.roleAssignmentScheduleInstances.listForScope(urlPathArgument(scope.scope), {
        abortSignal: signal,
      }),
  );
  return { instances: [...items, ...above], pages };
}

/** One unfiltered list of the scope, every page, those above the scope apart. */
function listAtOrUnder<T extends { scope?: string }>(
  session: ArmSession,
  operation: string,
  scope: AzureScope,
  list: (
    client: Parameters<Parameters<ArmSession['send']>[2]>[0],
    signal: AbortSignal,
  ) => { byPage(): AsyncIterableIterator<T[]> },
): Promise<{ items: T[]; above: T[]; pages: number }> {
  return session.send(operation, scope, async (client, signal) => {
    const items: T[] = [];
    const above: T[] = [];
    let pages = 0;
    for await (const page of list(client, signal).byPage()) {
      pages++;
      for (const item of page)
        if (item.scope && atOrUnder(item.scope, scope.scope)) items.push(item);
        else if (item.scope) above.push(item);
    }
    return { items, above, pages };
  });
}
