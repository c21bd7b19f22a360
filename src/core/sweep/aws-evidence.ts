// AWS evidence for the sweep: which account assignment creates are a run's claim, and whether
// each still holds. IAM Identity Center keeps no owner on an assignment, and a duplicate create
// ends SUCCEEDED too, so a create proves the grant the run's only when the assignment exists now
// and nobody else created it around that time or since: no create of it by another caller after
// the run's, or within the 15 minutes before it (CloudTrail for the past; the creation-status list
// for the minutes CloudTrail has not delivered yet); nor an earlier create by another caller not
// deleted before the run's create (the assignment then existed before the run). A delete after the
// run's create means the run's grant ended; one there now was made again by someone else. Pure.
import { runMarkOfSessionName } from '../run-marks.js';
import type { Claim } from './types.js';

/** The four fields that name an assignment (its target is always an account). */
export interface AssignmentPlace {
  principalType: 'USER' | 'GROUP';
  principalId: string;
  permissionSetArn: string;
  accountId: string;
}

export const placeKeyOf = (p: AssignmentPlace): string =>
  [p.principalType, p.principalId, p.permissionSetArn, p.accountId].join('|');

/** A CreateAccountAssignment or DeleteAccountAssignment as CloudTrail recorded it. */
export interface TrailWrite {
  kind: 'create' | 'delete';
  place: AssignmentPlace;
  /** The event's time, epoch ms. */
  at: number;
  /** The caller's ARN (`arn:aws:sts::…:assumed-role/ROLE/SESSION`, an IAM user, …). */
  actor: string;
  /** The IAM role an assumed-role session belongs to (its session issuer). */
  roleArn?: string | undefined;
  sessionName?: string | undefined;
  /** The account assignment request the call started. */
  requestId?: string | undefined;
  /** The call was refused (an error code), or its request was answered FAILED at once. */
  failed: boolean;
  eventId: string;
}

/** A create request from the creation-status list, which has no delay but no caller either. */
export interface RecentCreate {
  requestId: string;
  at: number;
  place: AssignmentPlace;
  status: string;
}

/** CloudTrail delivers an event within about 15 minutes of the call. */
export const TRAIL_DELIVERY_MS = 15 * 60_000;
/**
 * How far back the creation-status list is read for creates CloudTrail has not shown: four times
 * its documented delivery, since "about" is not a promise, and a rival missed by both sources
 * would let the sweep revoke another caller's grant.
 */
export const UNDELIVERED_WINDOW_MS = 4 * TRAIL_DELIVERY_MS;
/** Another caller's create this shortly before the run's may be what made it (the service does not promise order). */
const RIVAL_BEFORE_MS = 15 * 60_000;

export interface AwsEvidenceOptions {
  /** IAM role ARNs whose sessions' creates are considered (input `created-by`). */
  createdBy: ReadonlySet<string>;
  /** Whether the assignment exists now (read once per distinct place). */
  exists: (place: AssignmentPlace) => boolean;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const iso = (ms: number) => new Date(ms).toISOString();
const by = (w: TrailWrite) => `${w.actor} at ${iso(w.at)}`;

/** The places a sweep must read the current state of: those of the creates it considers. */
export function consideredCreates(
  writes: readonly TrailWrite[],
  createdBy: ReadonlySet<string>,
): TrailWrite[] {
  // One claim per caller and assignment: its newest create that was not refused.
  const newest = new Map<string, TrailWrite>();
  for (const w of writes) {
    if (w.kind !== 'create' || w.failed || !w.roleArn || !createdBy.has(w.roleArn)) continue;
    const key = `${w.actor}|${placeKeyOf(w.place)}`;
    const known = newest.get(key);
    if (!known || w.at > known.at) newest.set(key, w);
  }
  return [...newest.values()];
}

export function awsClaimsOf(
  writes: readonly TrailWrite[],
  recent: readonly RecentCreate[],
  options: AwsEvidenceOptions,
): Claim[] {
  const byPlace = new Map<string, TrailWrite[]>();
  for (const w of writes) {
    const key = placeKeyOf(w.place);
    byPlace.set(key, [...(byPlace.get(key) ?? []), w]);
  }
  const trailRequests = new Set(writes.flatMap((w) => (w.requestId ? [w.requestId] : [])));
  const undelivered = recent.filter((r) => !trailRequests.has(r.requestId) && r.status !== 'FAILED');
  const creates = consideredCreates(writes, options.createdBy);
  const claimants = new Set(creates.map((c) => `${c.actor}|${placeKeyOf(c.place)}`));
  // Oldest first, as a person reads a history (CloudTrail answers newest first).
  const inOrder = [...creates].sort(
    (a, b) => a.at - b.at || placeKeyOf(a.place).localeCompare(placeKeyOf(b.place)),
  );
  return inOrder.map((create) => {
    const history = (byPlace.get(placeKeyOf(create.place)) ?? []).filter((w) => !w.failed);
    const unseen = undelivered.filter((r) => placeKeyOf(r.place) === placeKeyOf(create.place));
    const isClaimant = (w: TrailWrite) => claimants.has(`${w.actor}|${placeKeyOf(w.place)}`);
    return claimOf(create, history, unseen, options.exists(create.place), isClaimant);
  });
}

function claimOf(
  create: TrailWrite,
  history: TrailWrite[],
  unseen: RecentCreate[],
  exists: boolean,
  isClaimant: (w: TrailWrite) => boolean,
): Claim {
  const mark = create.sessionName ? runMarkOfSessionName(create.sessionName) : undefined;
  const { place } = create;
  const claim = {
    ids: {
      cloud: 'aws' as const,
      principalId: place.principalId,
      principalType: place.principalType,
      roleId: place.permissionSetArn,
      accountId: place.accountId,
    },
    shown: {
      principal: `${place.principalType} ${place.principalId}`,
      target: place.accountId,
      role: place.permissionSetArn,
    },
    ...(mark
      ? {
          mark: {
            run: { repositoryId: mark.repositoryId, runId: mark.runId, attempt: mark.attempt },
            ephemeral: mark.ephemeral,
            expiresAt: mark.expiresAt,
          },
        }
      : {}),
    madeBy: create.actor,
    madeAt: create.at,
    evidence: `CloudTrail CreateAccountAssignment ${create.eventId} by ${by(create)}${create.requestId ? ` (request ${create.requestId})` : ''}`,
  };
  const others = history.filter((w) => w.actor !== create.actor);
  const deleteAfter = history.find((w) => w.kind === 'delete' && w.at > create.at);
  const createdAfter = others.find((w) => w.kind === 'create' && w.at > create.at);
  // A create CloudTrail has not shown, other than the claim's own, is another caller's; before or
  // after the run's, the clocks of the two sources cannot order it finely enough to matter.
  const unseenOther = unseen.find((r) => r.requestId !== create.requestId);
  const standing = ((): Claim['standing'] => {
    if (deleteAfter) {
      const ended = `deleted by ${by(deleteAfter)}, after the run's create`;
      if (!exists) return { holds: false, kind: 'gone', reason: `${ended}` };
      const remade = createdAfter ?? undefined;
      if (remade && isClaimant(remade))
        return {
          holds: false,
          kind: 'gone',
          reason: `${ended}, and made again by ${by(remade)}, whose claim stands on its own`,
        };
      return {
        holds: false,
        kind: 'unproven',
        reason: `${ended}, and there again now${remade ? `: made again by ${by(remade)}` : unseenOther ? `: made again by create request ${unseenOther.requestId} (not in CloudTrail yet)` : ''}; it is not the run's grant`,
      };
    }
    if (!exists)
      return { holds: false, kind: 'gone', reason: 'not there now (its create FAILED, or it was removed)' };
    if (createdAfter)
      return {
        holds: false,
        kind: 'unproven',
        reason: `also created by ${by(createdAfter)}, after the run's create`,
      };
    if (unseenOther)
      return {
        holds: false,
        kind: 'unproven',
        reason: `also created by create request ${unseenOther.requestId} at ${iso(unseenOther.at)} (CloudTrail has not delivered who made it yet)`,
      };
    const before = others
      .filter((w) => w.kind === 'create' && w.at <= create.at)
      .sort((a, b) => b.at - a.at)[0];
    if (before && create.at - before.at <= RIVAL_BEFORE_MS)
      return {
        holds: false,
        kind: 'unproven',
        reason: `also created by ${by(before)}, ${minutes(create.at - before.at)} before the run's create: either may have made it`,
      };
    if (before && !history.some((w) => w.kind === 'delete' && w.at > before.at && w.at < create.at))
      return {
        holds: false,
        kind: 'unproven',
        reason: `it existed before the run: created by ${by(before)} and not deleted before the run's create`,
      };
    return { holds: true };
  })();
  return { ...claim, standing };
}
