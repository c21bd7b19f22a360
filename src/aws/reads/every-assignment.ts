// The complete read a reconcile plans from: every principal's assignment of a managed permission
// set in a managed account, including principals the manifest never names (one added by hand is
// drift to delete), plus what is at the places the manifest asks for. Reading only the file's
// principals would miss those added by hand. Two complete plans, the cheaper chosen from sizes
// read cheaply (ListAccountsForProvisionedPermissionSet's first page, the identity store's pages):
// - by place: per managed permission set, the accounts it is provisioned to, then one
//   ListAccountAssignments per account × permission set;
// - by principal: every user and group of the identity store, then one
//   ListAccountAssignmentsForPrincipal each (the management account only: a delegated
//   administrator is refused, and the read falls back to the first plan).
import type { ReadReport } from '../../engine/run/reconciler.js';
import { isAwsError } from '../sdk/aws-errors.js';
import { listPrincipals, readByPrincipal, type ReadAssignment } from './principal-reads.js';
import { PlaceReads, type ReadScope } from './place-reads.js';
import type { SsoSession } from '../sso/session.js';

export type { ReadAssignment, ReadScope };

/** The plan chosen and the calls it is expected to take, told before its reads start (a report prints it). */
export type OnReadPlan = (plan: { strategy: string; calls: number }) => void;

export async function readAwsAssignments(
  session: SsoSession,
  scope: ReadScope,
  onPlan?: OnReadPlan,
): Promise<{ assignments: ReadAssignment[]; read: ReadReport }> {
  const before = totalCalls(session);
  const reads = new PlaceReads(session, scope);
  // The size of the first plan: one permission set's accounts (one page, often all of them).
  const [first] = scope.managedPermissionSets;
  if (first) await reads.size(first);
  const estimate = reads.estimate();
  const principals = await listPrincipals(session, estimate);
  if (principals && principals.length < estimate) {
    try {
      onPlan?.({
        strategy: 'ListAccountAssignmentsForPrincipal per user and group',
        calls: principals.length,
      });
      const assignments = await readByPrincipal(session, principals, reads.wanted());
      return report(
        assignments,
        session,
        before,
        `ListAccountAssignmentsForPrincipal per user and group of the identity store (${principals.length})`,
        [{ strategy: 'ListAccountAssignments per account × permission set (estimated)', calls: estimate }],
      );
    } catch (error) {
      if (!isAwsError(error, 'AccessDeniedException')) throw error;
      // A delegated administrator may not list by principal: the first plan reads the same.
    }
  }
  onPlan?.({
    strategy: 'ListAccountAssignments per account × permission set',
    calls: estimate,
  });
  const assignments = await reads.all();
  return report(assignments, session, before, reads.describe(), [
    {
      strategy: 'ListAccountAssignmentsForPrincipal per user and group (at least)',
      calls: principals ? principals.length + 2 : estimate,
    },
  ]);
}

/**
 * A report's read of the instance (or of its `role` permission sets): by place, always. The other
 * plan lists the principals the identity store still holds, so it cannot see an assignment whose
 * principal was deleted (deleting a user or group leaves its account assignments in place), and a
 * report must show those (`orphaned`); the place reads list every principal's. Each permission
 * set's accounts come first (the plan's own calls), so the calls told before the rest are the
 * places to read, exact but for a place holding more than a page of assignments.
 */
export async function readEveryAssignmentByPlace(
  session: SsoSession,
  scope: ReadScope,
  onPlan: OnReadPlan,
): Promise<{ assignments: ReadAssignment[]; read: ReadReport }> {
  const before = totalCalls(session);
  const reads = new PlaceReads(session, scope);
  const provisioned = await Promise.all(
    scope.managedPermissionSets.map((arn) => reads.provisionedAccounts(arn)),
  );
  const places = provisioned.reduce(
    (n, accounts) => n + accounts.filter((id) => scope.managedAccounts?.has(id) ?? true).length,
    0,
  );
  onPlan({
    strategy: 'ListAccountAssignments per account × permission set',
    calls: totalCalls(session) - before + places,
  });
  const assignments = await reads.all();
  return report(assignments, session, before, reads.describe(), []);
}

function report(
  assignments: ReadAssignment[],
  session: SsoSession,
  before: number,
  strategy: string,
  alternatives: ReadReport['alternatives'],
): { assignments: ReadAssignment[]; read: ReadReport } {
  return { assignments, read: { strategy, calls: totalCalls(session) - before, alternatives } };
}

/** Every call the session has made so far (attempts included, as the read figures count them). */
export function totalCalls(session: SsoSession): number {
  return Object.values(session.stats.calls).reduce((sum, n) => sum + n, 0);
}
