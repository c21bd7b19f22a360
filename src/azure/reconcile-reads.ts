// The Azure reads a reconcile plans from: every role assignment at or under a scope (one
// unfiltered, paged list), and whether an assignment carries a manifest's ownership marker.
import type { RoleAssignment } from '@azure/arm-authorization';
import type { AzureScope } from '../core/azure-scope.js';
import type { ArmSession } from './arm-session.js';
import { urlPathArgument } from './clients.js';

const lower = (s: string) => s.toLowerCase();

/** At or under `scope`, by path (ARM's IDs nest so; a subscription under a management group does not). */
export const atOrUnder = (id: string, scope: string): boolean =>
  lower(id) === lower(scope) || lower(id).startsWith(`${lower(scope)}/`);

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

/** The marker as a whole token: `…/access.yml` is not carried by a description naming `…/access.yml.bak`. */
export function carriesMarker(description: string, marker: string): boolean {
  let at = description.indexOf(marker);
  while (at !== -1) {
    const before = at === 0 ? ' ' : description[at - 1]!;
    const after = description[at + marker.length] ?? ' ';
    if (/[\s[(]/.test(before) && /[\s\])]/.test(after)) return true;
    at = description.indexOf(marker, at + 1);
  }
  return false;
}
