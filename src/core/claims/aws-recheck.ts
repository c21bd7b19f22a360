// Just before the sweep's revokes on AWS: each claim about to be revoked, checked again against
// what only it needs (CloudTrail's older history, for a claim whose assignment's life began before
// the window read) and what may have happened since it was read (the creation-status list, read
// again: no delivery delay). Pure.
import { safeIso } from '../duration.js';
import type { AwsClaim } from './aws-evidence.js';
import { by, CLOCKS_MS, RIVAL_BEFORE_MS, unseenAfter } from './aws-writers.js';
import { placeKeyOf, type RecentCreate, type TrailWrite } from './aws-writes.js';
import type { Claim } from './claims.js';

/** The oldest time the creation-status list must reach back to before these claims are revoked. */
export function recheckSince(claims: readonly AwsClaim[]): number | undefined {
  const times = claims.flatMap((c) => (c.basis ? [c.basis.creator.at] : []));
  return times.length > 0 ? Math.min(...times) - RIVAL_BEFORE_MS - CLOCKS_MS : undefined;
}

/** The claims about to be revoked whose life's start the history read did not reach. */
export const needingOlderHistory = (claims: readonly AwsClaim[]): AwsClaim[] =>
  claims.filter((c) => c.basis?.needsOlder);

/**
 * Just before the revokes: each claim about to be revoked, against the older history (for those
 * whose life's start was not read) and the creation-status list read again (no delivery delay).
 * A claim whose assignment existed before its create, or that another caller created after it (or
 * shortly before), is dropped, with the reason. Claims without a basis are never revoked.
 */
export function recheckAwsClaims(
  claims: readonly AwsClaim[],
  older: readonly TrailWrite[] | undefined,
  recentAgain: readonly RecentCreate[],
  /** The status of each delete a remade grant's life began with (by request ID), as read just now. */
  deletes: ReadonlyMap<string, string | undefined> = new Map(),
): Map<Claim, string> {
  const dropped = new Map<Claim, string>();
  for (const claim of claims) {
    const basis = claim.basis;
    if (!basis) {
      dropped.set(claim, 'its evidence could not be checked again before the revoke');
      continue;
    }
    const key = placeKeyOf(basis.place);
    const { creator } = basis;
    const remade = remadeUnproven(basis.remadeAfter, deletes);
    if (remade) {
      dropped.set(claim, remade);
      continue;
    }
    if (basis.needsOlder) {
      if (!older) {
        dropped.set(
          claim,
          "CloudTrail's older history was not read, so it cannot be told whether it existed before the run",
        );
        continue;
      }
      const before = older
        .filter((w) => !w.failed && placeKeyOf(w.place) === key && w.at <= creator.at)
        .sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'delete' ? -1 : 1))
        .at(-1);
      if (before?.kind === 'create') {
        dropped.set(
          claim,
          `it existed before the run: created by ${by(before)} (CloudTrail's history before \`lookback\`) and not deleted before the run's create`,
        );
        continue;
      }
    }
    const late = unseenAfter(
      recentAgain.filter(
        (r) => placeKeyOf(r.place) === key && r.status !== 'FAILED' && !basis.knownRequests.has(r.requestId),
      ),
      creator,
    );
    if (late)
      dropped.set(
        claim,
        `also created by create request ${late.requestId} at ${safeIso(late.at)}, seen in the creation-status list just before the revoke (CloudTrail has not delivered who made it yet)`,
      );
  }
  return dropped;
}

/** The IDs of the deletes whose success decides a claim: those a remade grant's life began with. */
export const deletesToCheck = (claims: readonly AwsClaim[]): string[] =>
  claims.flatMap((c) => (c.basis?.remadeAfter?.requestId ? [c.basis.remadeAfter.requestId] : []));

/** Why a reliance that made the grant again is not proven to have: its delete did not SUCCEED. */
function remadeUnproven(
  remadeAfter: TrailWrite | undefined,
  deletes: ReadonlyMap<string, string | undefined>,
): string | undefined {
  if (!remadeAfter) return undefined;
  const status = remadeAfter.requestId ? deletes.get(remadeAfter.requestId) : undefined;
  if (status === 'SUCCEEDED') return undefined;
  return `its first create since the delete by ${by(remadeAfter)} is a run's reliance, which made it again only if that delete SUCCEEDED; the delete request ${remadeAfter.requestId ?? '(no request ID)'} ${status ? `is ${status}` : 'could not be read'}`;
}
