// Who holds a permission set planned `- delete`: every assignment of it, in every account it is
// provisioned to. A CreateAccountAssignment provisions its set to the account (the SSO Admin model,
// __tests__/fixtures/contracts/aws/sso-admin-2020-07-20.json), so
// ListAccountsForProvisionedPermissionSet lists every account one can be in. Each of them is listed
// with ListAccountAssignments, through the session's pace, its answers passing the read's check
// (../reads/place-reads.ts), even where the reconcile's read covered it: that read holds only the
// managed sets in the managed accounts, may come from a kept snapshot, and, read by principal, has
// no assignment of a principal the identity store no longer holds, which still stops the delete.
// A delete is rare; one call an account is what a refusal before any write costs.
import { keyedAs, type AssignmentKeyParts, type NameOf } from '../../core/plan/assignment-diff.js';
import { LISTED_KIND } from '../../core/kinds/index.js';
import type { CurrentAssignment } from '../../core/plan/assignment-diff.js';
import { readAssignmentsAt } from '../reads/place-reads.js';
import type { SsoSession } from '../sso/session.js';

/** One assignment of a set, as the plan and a refused delete name it. */
export interface Holder {
  /** Its key, as the reconcile's planned deletes carry it. */
  key: string;
  type: 'USER' | 'GROUP';
  /** Its principal as the plan names it. */
  principal: string;
  accountId: string;
  /** In a place the manifest manages (found by the reconcile's read, and managed there). */
  managed: boolean;
}

export interface HolderSources {
  /** Every assignment the reconcile's read found, named. */
  current: readonly CurrentAssignment<string>[];
  /** Names for assignments the reconcile did not read (its own naming, aws/reads/names.ts). */
  named(rows: AssignmentKeyParts[]): Promise<NameOf>;
}

/** Every assignment of the set at `arn`, provisioned to `accounts`, named as the read named it where it found it. */
export async function holdersOf(
  session: SsoSession,
  arn: string,
  accounts: readonly string[],
  sources: HolderSources,
): Promise<Holder[]> {
  const read = sources.current.filter((c) => c.roleId === arn);
  const listed = await readAssignmentsAt(
    session,
    accounts.map((accountId) => ({ accountId, permissionSetArn: arn })),
  );
  const known = new Set(read.map((c) => c.key));
  const more = listed
    .map((a): AssignmentKeyParts & { target: string } => ({
      principalId: a.principalId,
      principalType: a.principalType,
      roleId: arn,
      targetId: a.accountId,
      target: a.accountId,
    }))
    .filter((parts) => !known.has(keyedAs(LISTED_KIND.aws, parts).key));
  const nameOf = more.length > 0 ? await sources.named(more) : undefined;
  return [
    ...read.map((c) => ({
      key: c.key,
      type: c.principalType === 'GROUP' ? ('GROUP' as const) : ('USER' as const),
      principal: c.names?.principal ?? c.shown.principal,
      accountId: c.target,
      managed: c.managed,
    })),
    ...more.map((parts) => ({
      key: keyedAs(LISTED_KIND.aws, parts).key,
      type: parts.principalType === 'GROUP' ? ('GROUP' as const) : ('USER' as const),
      principal: nameOf?.(parts).principal ?? parts.principalId,
      accountId: parts.target,
      // The read covers every managed place: one it did not find is outside `manages`.
      managed: false,
    })),
  ];
}
