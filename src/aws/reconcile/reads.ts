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

/** Principals read as samples at most, before the plans' sizes are compared. */
const SAMPLES = 10;

/**
 * A report's read of the instance (or of its `role` permission sets): the same two plans, chosen
 * otherwise. The identity store is listed first, and one principal's assignments read as a sample
 * (both are the second plan's own calls): the permission sets it holds are sized first, and only
 * until the first plan is known to cost more than the second. An instance often holds permission
 * sets provisioned nowhere, whose sizes say nothing of the others'.
 */
export async function readAllAssignments(
  session: SsoSession,
  scope: ReadScope,
  onPlan: OnReadPlan,
): Promise<{ assignments: ReadAssignment[]; read: ReadReport }> {
  const before = totalCalls(session);
  const reads = new PlaceReads(session, scope);
  const principals = (await listPrincipals(session, Number.POSITIVE_INFINITY)) ?? [];
  // Principals are read one by one until one holds anything (at most SAMPLES): its permission sets are in use.
  let sample: ReadAssignment[] | undefined = principals.length > 0 ? [] : undefined;
  let sampled = 0;
  try {
    while (sample && sampled < Math.min(SAMPLES, principals.length) && sample.length === 0)
      sample = await readByPrincipal(session, [principals[sampled++]!], () => true);
  } catch (error) {
    // A delegated administrator may not list by principal: the first plan reads the same.
    if (!isAwsError(error, 'AccessDeniedException')) throw error;
    sample = undefined;
  }
  const rest = principals.slice(sampled);
  await reads.sizeUntil(sample ? rest.length : 1, new Set(sample?.map((a) => a.permissionSetArn)));
  const estimate = reads.estimate();
  if (sample && rest.length < estimate) {
    onPlan({ strategy: 'ListAccountAssignmentsForPrincipal per user and group', calls: rest.length });
    const wanted = reads.wanted();
    const assignments = [...sample.filter(wanted), ...(await readByPrincipal(session, rest, wanted))];
    return report(
      assignments,
      session,
      before,
      `ListAccountAssignmentsForPrincipal per user and group of the identity store (${principals.length})`,
      [{ strategy: 'ListAccountAssignments per account × permission set (estimated)', calls: estimate }],
    );
  }
  onPlan({ strategy: 'ListAccountAssignments per account × permission set', calls: estimate });
  const assignments = await reads.all();
  return report(assignments, session, before, reads.describe(), [
    { strategy: 'ListAccountAssignmentsForPrincipal per user and group', calls: rest.length },
  ]);
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
