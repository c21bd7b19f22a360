// Who wrote an account assignment's life, for the sweep's AWS evidence (./aws-evidence.ts): the
// run mark a create carries, the order of one second's writes, the other callers' creates shortly
// before a life's first, the runs that relied on it since, and the windows within which CloudTrail
// and the creation-status list do not promise order or delivery. Pure.
import { safeIso } from '../duration.js';
import { runMarkOfSessionName, type AwsRunMark } from '../run-marks.js';
import type { Claim, Relier } from './claims.js';
import type { RecentCreate, TrailWrite } from './aws-writes.js';

/** CloudTrail delivers an event within about 15 minutes of the call. */
export const TRAIL_DELIVERY_MS = 15 * 60_000;
/**
 * How far back the creation-status list is read at first for creates CloudTrail has not shown:
 * four times its documented delivery, since "about" is not a promise, and a rival missed by both
 * sources would let the sweep revoke another caller's grant. Just before the revokes it is read
 * again, back to 15 minutes before the oldest claim about to be revoked.
 */
export const UNDELIVERED_WINDOW_MS = 4 * TRAIL_DELIVERY_MS;
/**
 * Another caller's create this shortly before the run's may be what made it (the service does not
 * promise order); so CloudTrail is read from `lookback` plus this, and no claim is decided without it.
 */
export const RIVAL_BEFORE_MS = 15 * 60_000;
/** CloudTrail's event history: 90 days. */
export const TRAIL_HISTORY_MS = 90 * 24 * 60 * 60_000;
/** The status list's and CloudTrail's clocks may differ by this much (whole seconds in CloudTrail). */
export const CLOCKS_MS = 2_000;

export const by = (w: TrailWrite) => `${w.actor} at ${safeIso(w.at)}`;

/** The run mark of a create by a session of a `created-by` role, or undefined (anyone else, or another name). */
export function markOf(w: TrailWrite, createdBy: ReadonlySet<string>): AwsRunMark | undefined {
  if (!w.roleArn || !createdBy.has(w.roleArn) || !w.sessionName) return undefined;
  return runMarkOfSessionName(w.sessionName);
}

/**
 * A place's writes oldest first. CloudTrail answers newest first and records whole seconds, so its
 * order within a second says nothing: a delete goes before the creates of its second, and a
 * reliance (`-r`, sent only for a grant the step read as present) after every other create of it,
 * so a `-e` of the same second is the creator.
 */
export function inOrder(writes: readonly TrailWrite[], createdBy: ReadonlySet<string>): TrailWrite[] {
  const rank = (w: TrailWrite) => (w.kind === 'delete' ? 0 : markOf(w, createdBy)?.relies ? 2 : 1);
  return [...writes].sort((a, b) => a.at - b.at || rank(a) - rank(b));
}

/**
 * Other callers' creates shortly before the life's first (`first`), oldest first: any may have
 * made it (the service does not promise order). A reliance of `first`'s second is not one: it was
 * sent for a grant already there.
 */
export function rivalsBefore(
  history: TrailWrite[],
  first: TrailWrite,
  createdBy: ReadonlySet<string>,
): TrailWrite[] {
  return history.filter(
    (w) =>
      w.kind === 'create' &&
      w !== first &&
      w.actor !== first.actor &&
      w.at <= first.at &&
      first.at - w.at <= RIVAL_BEFORE_MS &&
      !(w.at === first.at && markOf(w, createdBy)?.relies),
  );
}

/** The run a relying create's marker names, as the claim's relier: until when, made by whom and when. */
function relierOf(mark: AwsRunMark, w: TrailWrite): Relier {
  return {
    run: { repositoryId: mark.repositoryId, runId: mark.runId, attempt: mark.attempt },
    ephemeral: true,
    expiresAt: mark.expiresAt,
    ...(mark.timeBound ? { timeBound: true } : {}),
    madeBy: w.actor,
    madeAt: w.at,
    evidence: evidenceOf(w),
  };
}

/**
 * Every create after the life's first must be a run's: another run's claim or reliance, each run
 * once. Anyone else's create may rely on it: then the claim is unproven, for that reason.
 */
export function reliersOf(
  life: TrailWrite[],
  createdBy: ReadonlySet<string>,
): { relied: Relier[] } | { relied: Relier[]; unproven: string; at: number } {
  const relied: Relier[] = [];
  const runsSeen = new Set([life[0]!.actor]);
  for (const w of life.slice(1)) {
    if (runsSeen.has(w.actor)) continue;
    runsSeen.add(w.actor);
    const mark = markOf(w, createdBy);
    if (!mark?.ephemeral)
      return {
        relied,
        at: w.at,
        unproven: `also created by ${by(w)}${w.at >= life[0]!.at ? ", after the run's create" : ''}: whoever made that create may rely on it${w.roleArn && !createdBy.has(w.roleArn) ? ` (role ${w.roleArn} is not in \`created-by\`)` : ''}`,
      };
    relied.push(relierOf(mark, w));
  }
  return { relied };
}

/** A create CloudTrail has not shown, other than the creator's own, from 15 minutes before its create on. */
export function unseenAfter(unseen: readonly RecentCreate[], creator: TrailWrite): RecentCreate | undefined {
  return unseen.find(
    (r) => r.requestId !== creator.requestId && r.at >= creator.at - RIVAL_BEFORE_MS - CLOCKS_MS,
  );
}

export const evidenceOf = (w: TrailWrite) =>
  `CloudTrail CreateAccountAssignment ${w.eventId} by ${by(w)}${w.requestId ? ` (request ${w.requestId})` : ''}`;

/**
 * The runs that relied on an assignment in its current life (since its last delete), from `since`
 * on: `-r` and `-tr` creates by sessions of `created-by` roles, each run once, oldest first. A
 * reliance never proves who made a grant (the sweep revokes none for it), but while its run needs
 * the grant a reconcile leaves it in place.
 */
export function reliancesInLife(
  writes: readonly TrailWrite[],
  createdBy: ReadonlySet<string>,
  since: number,
): Relier[] {
  const history = inOrder(
    writes.filter((w) => !w.failed),
    createdBy,
  );
  const lastDelete = history.filter((w) => w.kind === 'delete').at(-1);
  const seen = new Set<string>();
  const reliers: Relier[] = [];
  for (const w of history) {
    if (w.kind !== 'create' || w.at < since || (lastDelete && w.at < lastDelete.at)) continue;
    const mark = markOf(w, createdBy);
    if (!mark?.relies || seen.has(w.actor)) continue;
    seen.add(w.actor);
    reliers.push(relierOf(mark, w));
  }
  return reliers;
}

/**
 * A grant whose creation no run's claim proves (a person's, a reconcile's, one older than the
 * history) that runs relied on since (`-r`, `-tr`): their claim, as long as one of them needs it.
 * The sweep never revokes for it; a reconcile leaves it while it is live; a report says it, and
 * classes the grant by its creation (`foreign`), never as the run's.
 * `writes`: the place's writes as CloudTrail showed them.
 */
export function withRelianceClaim(
  claim: Claim,
  writes: readonly TrailWrite[],
  createdBy: ReadonlySet<string>,
  since: number,
): Claim {
  if (claim.standing.holds || claim.standing.kind === 'gone') return claim;
  const [first, ...rest] = reliancesInLife(writes, createdBy, since);
  if (!first) return claim;
  const { madeBy, madeAt, evidence, ...mark } = first;
  return {
    ...claim,
    mark,
    ...(rest.length > 0 ? { reliers: rest } : { reliers: undefined }),
    madeBy,
    madeAt,
    evidence: `a run's reliance: ${evidence} (the grant itself: ${claim.standing.reason})`,
    standing: { holds: true },
    reliance: true,
  };
}
