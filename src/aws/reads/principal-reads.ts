// The by-principal read of a reconcile (./every-assignment.ts chooses it when it is the cheaper):
// every user and group of the identity store, then one ListAccountAssignmentsForPrincipal each;
// and the check both plans' answers pass before anything is planned from them.
import { ListAccountAssignmentsForPrincipalCommand } from '@aws-sdk/client-sso-admin';
import { ACCOUNT_ID, IDENTITY_STORE_PRINCIPAL_ID } from '../../core/patterns.js';
import type { SsoSession } from '../sso/session.js';
import { LIST_PAGE } from '../sdk/sso-calls.js';
import { listStore } from './store-names.js';

export interface ReadAssignment {
  accountId: string;
  permissionSetArn: string;
  principalId: string;
  principalType: 'USER' | 'GROUP';
}

/**
 * Every user and group of the identity store; undefined once there are `limit` or more (the other
 * plan is cheaper). The names the pages carry are kept (`principalNames`): the plan shows them.
 */
export async function listPrincipals(
  session: SsoSession,
  limit: number,
): Promise<{ id: string; type: 'USER' | 'GROUP' }[] | undefined> {
  const groups = await listStore(session, 'GROUP', { enough: (read) => read.length >= limit });
  if (!groups || groups.length >= limit) return undefined;
  const users = await listStore(session, 'USER', {
    enough: (read) => groups.length + read.length >= limit,
  });
  if (!users || groups.length + users.length >= limit) return undefined;
  const found = [
    ...groups.map((g) => ({ id: g.id ?? '', type: 'GROUP' as const })),
    ...users.map((u) => ({ id: u.id ?? '', type: 'USER' as const })),
  ];
  return found.filter((p) => IDENTITY_STORE_PRINCIPAL_ID.test(p.id));
}

/** The second plan: each principal's assignments, kept where the first plan would have read. */
export async function readByPrincipal(
  session: SsoSession,
  principals: { id: string; type: 'USER' | 'GROUP' }[],
  wanted: (a: ReadAssignment) => boolean,
): Promise<ReadAssignment[]> {
  const lists = await Promise.all(
    principals.map((p) =>
      session.paginate(
        'ListAccountAssignmentsForPrincipal',
        (nextToken) =>
          new ListAccountAssignmentsForPrincipalCommand({
            InstanceArn: session.instance,
            PrincipalId: p.id,
            PrincipalType: p.type,
            MaxResults: LIST_PAGE,
            NextToken: nextToken,
          }),
        (page) => page.AccountAssignments,
      ),
    ),
  );
  return checked(lists.flat(), wanted);
}

/** Only what has the shape of an assignment, where it was asked for, is planned from: a server's odd answer deletes nothing. */
export function checked(
  listed: { AccountId?: string; PermissionSetArn?: string; PrincipalId?: string; PrincipalType?: string }[],
  wanted: (a: ReadAssignment) => boolean,
): ReadAssignment[] {
  return listed.flatMap((a): ReadAssignment[] => {
    const type = a.PrincipalType;
    if (
      (type !== 'USER' && type !== 'GROUP') ||
      !a.PrincipalId ||
      !IDENTITY_STORE_PRINCIPAL_ID.test(a.PrincipalId)
    )
      return [];
    if (!a.AccountId || !ACCOUNT_ID.test(a.AccountId) || !a.PermissionSetArn) return [];
    const assignment: ReadAssignment = {
      accountId: a.AccountId,
      permissionSetArn: a.PermissionSetArn,
      principalId: a.PrincipalId,
      principalType: type,
    };
    return wanted(assignment) ? [assignment] : [];
  });
}
