// The Azure reads a reconcile plans from: every role assignment at or under a scope (one
// unfiltered, paged list), and for a report the PIM schedule instances there too.
import type { RoleAssignment, RoleAssignmentScheduleInstance } from '@azure/arm-authorization';
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

/**
 * PIM: every schedule instance active at or under the scope (one unfiltered, paged list; those
 * above it dropped), each with its end time. Permanent assignments are listed too, without one.
 */
export function listScheduleInstancesAtOrUnder(
  session: ArmSession,
  scope: AzureScope,
): Promise<{ instances: RoleAssignmentScheduleInstance[]; pages: number }> {
  return session.send('RoleAssignmentScheduleInstances_ListForScope', scope, async (client, signal) => {
    const instances: RoleAssignmentScheduleInstance[] = [];
    let pages = 0;
    const list = client.roleAssignmentScheduleInstances.listForScope(urlPathArgument(scope.scope), {
      abortSignal: signal,
    });
    for await (const page of list.byPage()) {
      pages++;
      for (const i of page) if (i.scope && atOrUnder(i.scope, scope.scope)) instances.push(i);
    }
    return { instances, pages };
  });
}
