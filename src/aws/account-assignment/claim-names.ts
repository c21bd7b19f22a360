// The sweep's AWS claims by name, for its summary: principals and permission sets looked up as a
// reconcile's plan names them (../reads/names.ts), best-effort within the labels' budget.
import { named, nameFields, namedPrincipal, principalKindOf } from '../../core/shown-names.js';
import type { Claim } from '../../core/claims/claims.js';
import type { AwsResolvedIds } from '../../core/types.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import { LabelsBudget } from '../../engine/limits/best-effort.js';
import { nameAwsRows } from '../reads/names.js';
import type { SsoSession } from '../sso/session.js';

type TypedIds = AwsResolvedIds & { principalType: NonNullable<AwsResolvedIds['principalType']> };

/** The IDs of a claim that names its principal's type, as a row to name (others stay as IDs). */
const typedIdsOf = (claim: Claim): TypedIds | undefined =>
  claim.ids.cloud === 'aws' && claim.ids.principalType ? (claim.ids as TypedIds) : undefined;

const rowOf = (ids: TypedIds) => ({
  principalId: ids.principalId,
  principalType: ids.principalType,
  roleId: ids.roleId,
  targetId: ids.accountId,
});

/** Each AWS claim as the summary shows it, and what the lookups could not do. */
export async function nameAwsClaims(claims: readonly Claim[], session: SsoSession, deadline: Deadline) {
  const typed = claims.flatMap((claim) => {
    const ids = typedIdsOf(claim);
    return ids ? [{ claim, ids }] : [];
  });
  const { nameOf, notes } = await nameAwsRows(
    typed.map(({ ids }) => rowOf(ids)),
    { session, permissionSets: new Map(), accountName: () => undefined, labels: new LabelsBudget(deadline) },
  );
  const shown = new Map<Claim, Claim['shown']>();
  for (const { claim, ids } of typed) {
    const names = nameOf(rowOf(ids));
    shown.set(claim, {
      principal: namedPrincipal(ids.principalId, names.principal, principalKindOf(ids.principalType)),
      role: named(ids.roleId, names.role),
      target: ids.accountId,
      // The names apart too, for what records them (the audit log's `name`s).
      ...nameFields({ principal: names.principal, role: names.role }),
    });
  }
  return { shown, notes };
}
