// What the claims on a grant do to a plan's deletes: a delete a live claim holds is left in place
// (`claimed`), one whose claim's liveness cannot be read now is left too (`unknown`: an unknown is
// never a delete), and one whose claim is not honoured stays a delete, said with why. Apart from
// the diff (./assignment-diff.ts), which knows no claims: the claims are judged by
// core/claims/live.ts and applied here once the plan is made. Pure.
import type { ClaimVerdict } from '../claims/live.js';
import type { AssignmentShape, KindShape } from '../kinds/index.js';
import type {
  ClaimedAssignment,
  CurrentAssignment,
  ReconcilePlan,
  UnknownAssignment,
} from './assignment-diff.js';

/**
 * The plan with each delete that a live claim holds moved to `claimed`: left in place. `verdictOf`
 * gives the claim on a delete (core/claims/live.ts), or undefined when none was found; `refused`:
 * each delete whose claim is not honoured (forged, unproven, ended, an expiry too far ahead), with
 * why, which the plan says beside the delete.
 */
export function withClaims<S, T, K extends KindShape = AssignmentShape>(
  plan: ReconcilePlan<S, T, K>,
  verdictOf: (d: CurrentAssignment<T, K>) => ClaimVerdict | undefined,
): {
  plan: ReconcilePlan<S, T, K>;
  refused: { assignment: CurrentAssignment<T, K>; reason: string; verdict: ClaimVerdict }[];
} {
  const deletes: CurrentAssignment<T, K>[] = [];
  const claimed: ClaimedAssignment<T, K>[] = [...plan.claimed];
  const unknown: UnknownAssignment<T, K>[] = [...plan.unknown];
  const refused: { assignment: CurrentAssignment<T, K>; reason: string; verdict: ClaimVerdict }[] = [];
  for (const d of plan.deletes) {
    const verdict = verdictOf(d);
    if (verdict && 'live' in verdict) claimed.push({ ...d, claim: verdict.live });
    else if (verdict && 'unknown' in verdict)
      unknown.push({ ...d, unknown: { reason: verdict.unknown, made: verdict.made } });
    else {
      deletes.push(d);
      if (verdict) refused.push({ assignment: d, reason: verdict.none, verdict });
    }
  }
  return { plan: { ...plan, deletes, claimed, unknown }, refused };
}
