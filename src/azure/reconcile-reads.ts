// The Azure reads a reconcile plans from: every role assignment at or under a scope (one
// unfiltered, paged list).
import type { RoleAssignment } from '@azure/arm-authorization';
import { atOrUnder, type AzureScope } from '../core/azure-scope.js';
import type { ArmSession } from './arm/session.js';
import { urlPathArgument } from './arm/clients.js';

/**
 * Every assignment at or under the scope, every page, and how many pages (requests) that took.
 * Unfiltered, ARM lists those above the scope too (inherited), which are dropped: `atScope()`
 * would drop those below, which the scope manages.
 */
export function listAssignmentsAtOrUnder(
  session: ArmSession,
  scope: AzureScope,
): Promise<{ assignments: RoleAssignment[]; pages: number }> {
  return session.send('RoleAssignments_ListForScope', scope, async (client, signal) => {
    const assignments: RoleAssignment[] = [];
    let pages = 0;
    const list = client.roleAssignments.listForScope(urlPathArgument(scope.scope), { abortSignal: signal });
    for await (const page of list.byPage()) {
      pages++;
      for (const a of page) if (a.scope && atOrUnder(a.scope, scope.scope)) assignments.push(a);
    }
    return { assignments, pages };
  });
}
