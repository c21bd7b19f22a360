// The claims on what a reconcile would delete, on AWS: for those places only, who made each
// assignment's current life, as CloudTrail recorded it (../trail/claim-history.ts), proven with the
// sweep's rules (core/claims/aws-evidence.ts: a create by a session of a `created-by` role, the
// first of the life, nobody else's create shortly before or since), and checked against the older
// history and the delete a remade life began with, as the sweep checks a claim before its revoke
// (core/claims/aws-recheck.ts). Nothing is read when nothing would be deleted. Nothing here writes.
import { awsClaimsOf, consideredCreates, type AwsClaim } from '../../core/claims/aws-evidence.js';
import { deletesToCheck, needingOlderHistory, recheckAwsClaims } from '../../core/claims/aws-recheck.js';
import { UNDELIVERED_WINDOW_MS, withRelianceClaim } from '../../core/claims/aws-writers.js';
import { placeKeyOf, type AssignmentPlace } from '../../core/claims/aws-writes.js';
import { untrustedCreates } from '../../core/claims/untrusted.js';
import type { Claim } from '../../core/claims/claims.js';
import { safeIso } from '../../core/duration.js';
import type { ClaimsOnDeletes } from '../../engine/run/reconciler.js';
import { claimWindowOf, type ClaimHistory } from '../trail/claim-history.js';
import type { AwsCurrent } from '../manifest/desired.js';

export interface AwsClaimOptions {
  /** The IAM roles whose sessions' creates are claims (`created-by`, else the reconcile's own role). */
  createdBy: ReadonlySet<string>;
  lookbackSeconds: number;
}

const placeOf = (d: AwsCurrent): AssignmentPlace => ({
  principalType: d.principalType === 'GROUP' ? 'GROUP' : 'USER',
  principalId: d.principalId,
  permissionSetArn: d.roleId,
  accountId: d.target,
});

/** The key of the assignment a claim is on. */
const keyOfClaim = (c: Claim): string =>
  c.ids.cloud === 'aws'
    ? placeKeyOf({
        principalType: c.ids.principalType ?? 'USER',
        principalId: c.ids.principalId,
        permissionSetArn: c.ids.roleId,
        accountId: c.ids.accountId,
      })
    : '';

/** Each delete's claim, by its key (the account assignment's key, as placeKeyOf builds it). */
export async function readAwsClaimsOn(
  history: ClaimHistory,
  deletes: readonly AwsCurrent[],
  options: AwsClaimOptions,
  now: number,
): Promise<ClaimsOnDeletes> {
  const { createdBy } = options;
  const empty: ClaimsOnDeletes = { claims: new Map(), decided: new Map(), notes: [] };
  if (deletes.length === 0) return empty;
  if (createdBy.size === 0)
    return {
      ...empty,
      notes: [
        'claims: neither `created-by` nor `role-to-assume` names the role cloud-access steps assume, so no grant is told as a run’s',
      ],
    };
  const places = new Map(deletes.map((d) => [placeKeyOf(placeOf(d)), d]));
  const { since, from } = claimWindowOf(options.lookbackSeconds, now);
  const ours = (writes: Parameters<typeof consideredCreates>[0]) =>
    consideredCreates(writes, createdBy, since).filter((w) => places.has(placeKeyOf(w.place)));
  const window = await history.window(from, now, (creates) => ours(creates).length > 0);
  const considered = ours(window.creates.writes);
  const read = `claims: CloudTrail read since ${safeIso(from)} for the ${places.size} assignment(s) the plan would delete, in ${window.creates.pages + window.deletes.pages} LookupEvents page(s)`;
  // A request's or a job's session of a role `created-by` does not name: said beside its delete.
  const untrusted = untrustedCreates(window.creates.writes, new Set(places.keys()), createdBy);
  if (considered.length === 0)
    return {
      ...empty,
      notes: [`${read}: none made by a session of ${[...createdBy].join(', ')}`],
      untrusted,
    };
  const recent = await history.recentCreates(now - UNDELIVERED_WINDOW_MS, now);
  const claims = awsClaimsOf(window.writes, recent, {
    createdBy,
    exists: (place) => places.has(placeKeyOf(place)),
    claimsSince: since,
  }).filter((c) => places.has(keyOfClaim(c)));
  const notes = [read];
  const holding = claims.filter((c) => c.standing.holds);
  // What the sweep checks before a revoke, a reconcile checks before leaving a grant: the older
  // history for a life whose start the window did not reach, the delete a remade life began with.
  const needing = needingOlderHistory(holding);
  const older =
    needing.length > 0 ? await history.older(needing, from, now, 'the plan would delete') : undefined;
  if (older) notes.push(`claims: ${older.note}`);
  const remade = deletesToCheck(holding);
  if (remade.length > 0) await history.readDeleteStatuses(remade);
  const dropped = recheckAwsClaims(holding, older?.writes, recent, history.deleteStatuses);
  const byPlace = (key: string) => window.writes.filter((w) => placeKeyOf(w.place) === key);
  return {
    claims: new Map(
      claims.map((c) => {
        const key = keyOfClaim(c);
        return [key, withRelianceClaim(unprovenWhere(c, dropped), byPlace(key), createdBy, since)];
      }),
    ),
    decided: new Map(),
    notes,
    untrusted,
  };
}

/** The claim, unproven with the reason when its re-check dropped it. */
function unprovenWhere(claim: AwsClaim, dropped: ReadonlyMap<Claim, string>): Claim {
  const why = dropped.get(claim);
  return why === undefined ? claim : { ...claim, standing: { holds: false, kind: 'unproven', reason: why } };
}
