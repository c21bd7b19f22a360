// The complete read a reconcile plans from: every principal's assignment of a managed permission
// set in a managed account, including principals the manifest never names (one added by hand is
// drift to delete), plus what is at the places the manifest asks for. Reading only the file's
// principals would miss those added by hand.
import {
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { ACCOUNT_ID, IDENTITY_STORE_PRINCIPAL_ID } from '../core/patterns.js';
import type { ReadReport } from '../engine/reconcile.js';
import type { SsoSession } from './sso.js';

export interface ReadAssignment {
  accountId: string;
  permissionSetArn: string;
  principalId: string;
  principalType: 'USER' | 'GROUP';
}

export interface ReadScope {
  managedPermissionSets: string[];
  /** undefined: every account the permission sets are provisioned to. */
  managedAccounts: Set<string> | undefined;
  /** Where the manifest asks for assignments (outside what it manages too: an unchanged one is not re-created). */
  desiredPlaces: { accountId: string; permissionSetArn: string }[];
}

const PAGE = 100; // the model's largest MaxResults for these lists

/**
 * Per managed permission set, the accounts it is provisioned to (ListAccountsForProvisionedPermissionSet:
 * an assignment exists only where its permission set is provisioned), then one ListAccountAssignments
 * per managed account × permission set found there, and per desired place not among them.
 */
export async function readAwsAssignments(
  session: SsoSession,
  scope: ReadScope,
): Promise<{ assignments: ReadAssignment[]; read: ReadReport }> {
  const before = totalCalls(session);
  const provisioned = await Promise.all(
    scope.managedPermissionSets.map(async (permissionSetArn) => ({
      permissionSetArn,
      accounts: await session.paginate(
        'ListAccountsForProvisionedPermissionSet',
        (nextToken) =>
          new ListAccountsForProvisionedPermissionSetCommand({
            InstanceArn: session.instance,
            PermissionSetArn: permissionSetArn,
            MaxResults: PAGE,
            NextToken: nextToken,
          }),
        (page) => page.AccountIds,
      ),
    })),
  );
  const places = new Map<string, { accountId: string; permissionSetArn: string }>();
  const add = (accountId: string, permissionSetArn: string) => {
    if (ACCOUNT_ID.test(accountId))
      places.set(`${accountId}|${permissionSetArn}`, { accountId, permissionSetArn });
  };
  for (const { permissionSetArn, accounts } of provisioned)
    for (const accountId of accounts)
      if (scope.managedAccounts?.has(accountId) ?? true) add(accountId, permissionSetArn);
  const managed = new Set(scope.managedPermissionSets);
  const provisionedTo = new Map(provisioned.map((p) => [p.permissionSetArn, new Set(p.accounts)]));
  for (const d of scope.desiredPlaces) {
    // A managed permission set not provisioned to the account has no assignment there to read.
    if (managed.has(d.permissionSetArn) && !provisionedTo.get(d.permissionSetArn)?.has(d.accountId)) continue;
    add(d.accountId, d.permissionSetArn);
  }
  const lists = await Promise.all(
    [...places.values()].map((place) =>
      session.paginate(
        'ListAccountAssignments',
        (nextToken) =>
          new ListAccountAssignmentsCommand({
            InstanceArn: session.instance,
            AccountId: place.accountId,
            PermissionSetArn: place.permissionSetArn,
            MaxResults: PAGE,
            NextToken: nextToken,
          }),
        (page) => page.AccountAssignments,
      ),
    ),
  );
  const assignments = lists.flat().flatMap((a): ReadAssignment[] => {
    // Only what has the shape of an assignment is planned from: a server's odd answer deletes nothing.
    const type = a.PrincipalType;
    if (
      (type !== 'USER' && type !== 'GROUP') ||
      !a.PrincipalId ||
      !IDENTITY_STORE_PRINCIPAL_ID.test(a.PrincipalId) ||
      !a.AccountId ||
      !a.PermissionSetArn ||
      !places.has(`${a.AccountId}|${a.PermissionSetArn}`)
    )
      return [];
    return [
      {
        accountId: a.AccountId,
        permissionSetArn: a.PermissionSetArn,
        principalId: a.PrincipalId,
        principalType: type,
      },
    ];
  });
  return {
    assignments,
    read: {
      strategy: `ListAccountsForProvisionedPermissionSet per managed permission set (${scope.managedPermissionSets.length}), then ListAccountAssignments per account × permission set (${places.size})`,
      calls: totalCalls(session) - before,
      alternatives: [],
    },
  };
}

function totalCalls(session: SsoSession): number {
  return Object.values(session.stats.calls).reduce((sum, n) => sum + n, 0);
}
