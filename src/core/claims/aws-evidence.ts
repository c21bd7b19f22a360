// AWS evidence for the sweep: which account assignments a finished run may have its grant ended
// on, from the history of creates and deletes CloudTrail recorded (and the creation-status list
// for what it has not delivered yet). IAM Identity Center keeps no owner on an assignment, and a
// duplicate create of an existing one ends SUCCEEDED too, so CloudTrail cannot tell a duplicate
// from a real create: an assignment is a run's only when the first create of its current life
// (since its last delete) is that run's creation claim (a `-e` session of a `created-by` role, or an
// access request's time-bound `-t`, proven alike),
// nobody else created it within the 15 minutes before (the service does not promise order), and
// every create since is another run's claim or reliance (`-r`), never anyone else's. When the
// history read does not reach the life's start (no delete seen before the claim), the older
// history (CloudTrail's 90 days) is read for the claims the sweep would otherwise revoke, and the
// creation-status list again just before the revokes (./aws-recheck.ts). One claim per place.
// Pure.
import { safeIso } from '../duration.js';
import { namedPrincipal, principalKindOf } from '../shown-names.js';
import type { AwsRunMark } from '../run-marks.js';
import type { Claim } from './claims.js';
import { by, evidenceOf, inOrder, markOf, reliersOf, rivalsBefore, unseenAfter } from './aws-writers.js';
import { placeKeyOf, type AssignmentPlace, type RecentCreate, type TrailWrite } from './aws-writes.js';

export interface AwsEvidenceOptions {
  /** IAM role ARNs whose sessions' creates are considered (input `created-by`). */
  createdBy: ReadonlySet<string>;
  /** Whether the assignment exists now (read once per distinct place). */
  exists: (place: AssignmentPlace) => boolean;
  /** Claims are creates from this time on (now − `lookback`); what is older is history only. */
  claimsSince?: number | undefined;
  /** The writes reach back to the start of CloudTrail's history, not only to `lookback`. */
  fullHistory?: boolean | undefined;
}

/** What a claim stands on, to check it again just before its revoke. */
export interface AwsClaimBasis {
  place: AssignmentPlace;
  /** The create that began the assignment's current life: the creating run's. */
  creator: TrailWrite;
  /** Every create request of the place CloudTrail has shown: none of them is unseen. */
  knownRequests: ReadonlySet<string>;
  /** The history read does not reach the life's start: the older history must be read before a revoke. */
  needsOlder: boolean;
  /**
   * The creator is a reliance that made the grant again after this delete: before a revoke, the
   * delete must have SUCCEEDED (a delete answered IN_PROGRESS may still fail, and then the reliance
   * made nothing).
   */
  remadeAfter?: TrailWrite | undefined;
}

export type AwsClaim = Claim & { basis?: AwsClaimBasis | undefined };

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const byCreatedBy = (w: TrailWrite, createdBy: ReadonlySet<string>) =>
  w.roleArn !== undefined && createdBy.has(w.roleArn);

/** The creates the sweep considers: by sessions of `created-by` roles, not refused, since `since`. */
export function consideredCreates(
  writes: readonly TrailWrite[],
  createdBy: ReadonlySet<string>,
  since = -Infinity,
): TrailWrite[] {
  return writes.filter((w) => w.kind === 'create' && !w.failed && w.at >= since && byCreatedBy(w, createdBy));
}

/** One claim per place that a considered create names, oldest first. */
export function awsClaimsOf(
  writes: readonly TrailWrite[],
  recent: readonly RecentCreate[],
  options: AwsEvidenceOptions,
): AwsClaim[] {
  const byPlace = new Map<string, TrailWrite[]>();
  for (const w of writes) {
    if (w.failed) continue;
    const key = placeKeyOf(w.place);
    byPlace.set(key, [...(byPlace.get(key) ?? []), w]);
  }
  const known = new Set(writes.flatMap((w) => (w.requestId ? [w.requestId] : [])));
  const unseen = recent.filter((r) => !known.has(r.requestId) && r.status !== 'FAILED');
  const considered = consideredCreates(writes, options.createdBy, options.claimsSince);
  const places = new Map(considered.map((c) => [placeKeyOf(c.place), c.place]));
  return [...places.entries()]
    .map(([key, place]) => {
      const history = inOrder(byPlace.get(key) ?? [], options.createdBy);
      const placeKnown = new Set(history.flatMap((w) => (w.requestId ? [w.requestId] : [])));
      const unseenHere = unseen.filter((r) => placeKeyOf(r.place) === key);
      return claimOfPlace(place, history, unseenHere, placeKnown, options);
    })
    .sort((a, b) => a.madeAt - b.madeAt || placeKeyOf(placeOf(a)).localeCompare(placeKeyOf(placeOf(b))));
}

const placeOf = (claim: AwsClaim): AssignmentPlace =>
  claim.basis?.place ?? {
    principalType: claim.ids.cloud === 'aws' ? (claim.ids.principalType ?? 'USER') : 'USER',
    principalId: claim.ids.principalId,
    permissionSetArn: claim.ids.roleId,
    accountId: claim.ids.cloud === 'aws' ? claim.ids.accountId : '',
  };

function claimOfPlace(
  place: AssignmentPlace,
  history: TrailWrite[],
  unseen: RecentCreate[],
  knownRequests: ReadonlySet<string>,
  options: AwsEvidenceOptions,
): AwsClaim {
  const { createdBy } = options;
  const lastDelete = history.filter((w) => w.kind === 'delete').at(-1);
  const life = history.filter((w) => w.kind === 'create' && (!lastDelete || w.at >= lastDelete.at));
  const first = life[0];
  // What the claim shows: the life's first create, else the newest considered create of the place.
  const shownCreate =
    first ?? consideredCreates(history, createdBy).at(-1) ?? history.find((w) => w.kind === 'create')!;
  const base = claimBase(place, shownCreate, markOf(shownCreate, createdBy));
  const unproven = (reason: string): AwsClaim => ({
    ...base,
    standing: { holds: false, kind: 'unproven', reason },
  });

  if (!options.exists(place)) return { ...base, standing: goneStanding(lastDelete) };
  if (!first) {
    const remade = unseen[0];
    return unproven(
      `deleted by ${by(lastDelete!)}, and there again now${remade ? `: made again by create request ${remade.requestId} (not in CloudTrail yet)` : ''}; it is not the run's grant`,
    );
  }
  const creatorMark = markOf(first, createdBy);
  // A reliance is sent only for a grant its step read as present; when the history shows the life
  // began with a delete, that delete came between the read and the create, so the reliance made
  // the grant again: its run's creation claim (checked just before a revoke: the delete SUCCEEDED).
  const remadeAfter = creatorMark?.relies && lastDelete ? lastDelete : undefined;
  const startKnown = lastDelete !== undefined || options.fullHistory === true;
  const since = options.claimsSince ?? -Infinity;
  if (!byCreatedBy(first, createdBy))
    return unproven(
      lastDelete
        ? `deleted by ${by(lastDelete)}, and made again by ${by(first)}: it is not a run's grant`
        : `it existed before the run: created by ${by(first)} and not deleted since`,
    );
  if (creatorMark?.relies && !remadeAfter)
    return unproven(
      `its first create in the history read${startKnown ? '' : ` (since ${safeIso(since)})`} is ${by(first)}, a run's reliance, not its creation: ${startKnown ? 'a reliance never proves who made a grant' : 'it was made before `lookback`; a longer `lookback` may find who made it'}`,
    );
  if (!options.fullHistory && first.at < since)
    return unproven(
      `created by ${by(first)}, before \`lookback\` (${safeIso(since)}): the 15 minutes before its create were not read; a longer \`lookback\` decides it`,
    );
  const rivals = rivalsBefore(history, first, createdBy);
  const rival = rivals.filter((w) => !markOf(w, createdBy)?.ephemeral).at(-1);
  if (rival)
    return unproven(
      `also created by ${by(rival)}, ${minutes(first.at - rival.at)} before the run's create: either may have made it`,
    );
  // Another run's ephemeral create shortly before may be what made it: that run is a claimant too.
  const reliers = reliersOf([first, ...rivals, ...life.slice(1)], createdBy);
  if ('unproven' in reliers)
    return {
      ...base,
      ...(reliers.relied.length > 0 ? { reliers: reliers.relied } : {}),
      standing: { holds: false, kind: 'unproven', reason: reliers.unproven, pinned: { since: reliers.at } },
    };
  const late = unseenAfter(unseen, first);
  if (late)
    return unproven(
      `also created by create request ${late.requestId} at ${safeIso(late.at)} (CloudTrail has not delivered who made it yet)`,
    );
  return {
    ...base,
    ...(reliers.relied.length > 0 ? { reliers: reliers.relied } : {}),
    standing: { holds: true },
    basis: {
      place,
      creator: first,
      knownRequests,
      needsOlder: !startKnown,
      ...(remadeAfter ? { remadeAfter } : {}),
    },
  };
}

const goneStanding = (lastDelete: TrailWrite | undefined): AwsClaim['standing'] => ({
  holds: false,
  kind: 'gone',
  reason: lastDelete
    ? `deleted by ${by(lastDelete)}`
    : 'not there now (its create FAILED, or it was removed)',
});

function claimBase(place: AssignmentPlace, create: TrailWrite, mark: AwsRunMark | undefined): AwsClaim {
  return {
    ids: {
      cloud: 'aws',
      principalId: place.principalId,
      principalType: place.principalType,
      roleId: place.permissionSetArn,
      accountId: place.accountId,
    },
    shown: {
      principal: namedPrincipal(place.principalId, undefined, principalKindOf(place.principalType)),
      target: place.accountId,
      role: place.permissionSetArn,
    },
    ...(mark
      ? {
          mark: {
            run: { repositoryId: mark.repositoryId, runId: mark.runId, attempt: mark.attempt },
            ephemeral: mark.ephemeral,
            expiresAt: mark.expiresAt,
            ...(mark.timeBound ? { timeBound: true } : {}),
          },
        }
      : {}),
    madeBy: create.actor,
    madeAt: create.at,
    evidence: evidenceOf(create),
    standing: { holds: true },
  };
}
