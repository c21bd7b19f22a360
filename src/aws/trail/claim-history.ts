// What AWS keeps of who made an account assignment, read for the claims on it (core/claims/): the
// creates and deletes CloudTrail recorded in a window, its older history for the places only a
// decision needs it for, the creation-status list for what CloudTrail has not delivered yet, and
// the status of the deletes a remade grant's life began with. The sweep reads every claim of the
// window through it (../sweep.ts); a reconcile reads only the claims on what it would otherwise
// delete (../account-assignment/claims.ts). Nothing here writes.
import type { AwsClaim } from '../../core/claims/aws-evidence.js';
import { RIVAL_BEFORE_MS, TRAIL_HISTORY_MS } from '../../core/claims/aws-writers.js';
import { placeKeyOf, type RecentCreate, type TrailWrite } from '../../core/claims/aws-writes.js';
import { safeIso } from '../../core/duration.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import { CLOCK_SKEW_MS } from '../../engine/run/ownership.js';
import type { AwsClients } from '../sdk/clients.js';
import type { SsoCalls } from '../sdk/sso-calls.js';
import { AssignmentTrail, type TrailRead } from './cloudtrail.js';
import { RequestHistory } from './request-history.js';
import { snapshotOf } from './requests.js';
import { undeliveredRequests } from './undelivered.js';

/**
 * Whose sessions' creates are claims: the roles of `created-by`, or the role the step signs in as
 * (the sweep's, the report's, the reconcile's own) when it names none.
 */
export function createdByRoles(createdBy: readonly string[], ownRole: string | undefined): Set<string> {
  const roles = createdBy.length > 0 ? createdBy : [ownRole ?? ''];
  return new Set(roles.filter(Boolean));
}

/**
 * A claim window: creates from `since` (now − `lookback`) are claims, and CloudTrail is read from
 * the 15 minutes before it (`from`), so that no claim is decided without them.
 */
export function claimWindowOf(lookbackSeconds: number, now: number): { since: number; from: number } {
  const since = now - lookbackSeconds * 1000;
  return { since, from: since - RIVAL_BEFORE_MS };
}

const NO_READ: TrailRead = { writes: [], events: 0, pages: 0, ignored: 0 };

export class ClaimHistory {
  readonly trail: AssignmentTrail;
  /** Every request ID CloudTrail has shown: the status list's others are the undelivered. */
  private trailRequests = new Set<string>();
  private history: RequestHistory | undefined;
  /** The statuses of the deletes remade grants' lives began with. */
  readonly deleteStatuses = new Map<string, string | undefined>();

  constructor(
    private readonly session: SsoCalls & { clients: AwsClients; stats: CallStats },
    deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  ) {
    this.trail = new AssignmentTrail(session.clients, deps, session.stats);
  }

  /**
   * The creates of the window, and its deletes when `wanted` says a create matters (with none, the
   * deletes are not read).
   */
  async window(
    from: number,
    now: number,
    wanted: (creates: readonly TrailWrite[]) => boolean,
  ): Promise<{ creates: TrailRead; deletes: TrailRead; writes: TrailWrite[] }> {
    const instance = this.session.instance;
    const creates = await this.trail.read(instance, from, now, ['create']);
    const deletes = wanted(creates.writes) ? await this.trail.read(instance, from, now, ['delete']) : NO_READ;
    const writes = [...creates.writes, ...deletes.writes];
    for (const w of writes) if (w.requestId) this.trailRequests.add(w.requestId);
    return { creates, deletes, writes };
  }

  /**
   * CloudTrail's history before `from` (back to its 90 days) of the claims' places: the latest
   * create of each before the window, and the deletes from the oldest of those on. Newest first: once
   * every place has one, the older pages are not read.
   */
  async older(
    claims: readonly AwsClaim[],
    from: number,
    now: number,
    /** What the claims are to the reader, for the note (`about to be revoked`). */
    purpose: string,
  ): Promise<{ writes: TrailWrite[]; note: string }> {
    // A minute inside the 90 days, so the oldest page asked for is one CloudTrail still keeps.
    const start = Math.min(from, now - TRAIL_HISTORY_MS + 60_000);
    const places = new Set(claims.map((c) => placeKeyOf(c.basis!.place)));
    const instance = this.session.instance;
    const seen = (writes: readonly TrailWrite[]) =>
      new Set(
        writes.filter((w) => !w.failed && places.has(placeKeyOf(w.place))).map((w) => placeKeyOf(w.place)),
      );
    const creates = await this.trail.read(
      instance,
      start,
      from,
      ['create'],
      (writes) => seen(writes).size === places.size,
    );
    const relevant = creates.writes.filter((w) => places.has(placeKeyOf(w.place)));
    // Deletes matter only after an older create: from the oldest of those on.
    const oldest = Math.min(...relevant.filter((w) => !w.failed).map((w) => w.at));
    const deletes =
      relevant.length > 0 && Number.isFinite(oldest)
        ? await this.trail.read(instance, oldest, from, ['delete'])
        : NO_READ;
    const writes = [...relevant, ...deletes.writes.filter((w) => places.has(placeKeyOf(w.place)))];
    for (const w of writes) if (w.requestId) this.trailRequests.add(w.requestId);
    return {
      writes,
      note: `CloudTrail's older history (${safeIso(start)} to ${safeIso(from)}) read for ${claims.length} assignment(s) ${purpose}: ${creates.pages + deletes.pages} LookupEvents page(s), ${relevant.length} older create(s) of them`,
    };
  }

  /**
   * The create requests from `since` on that CloudTrail has not shown (the status list has no
   * delay, but names no caller), with what each was for. `fresh`: read the list again from its
   * newest.
   */
  async recentCreates(since: number, now: number, fresh = false): Promise<RecentCreate[]> {
    if (fresh || !this.history) this.history = new RequestHistory(this.session);
    const history = this.history;
    const from = since - CLOCK_SKEW_MS;
    await history.readNewer('create', from);
    const unknown = history.shown('create').filter(
      // An entry without a date may be the newest: it is kept, never taken for an old one.
      (r) =>
        r.RequestId && !this.trailRequests.has(r.RequestId) && (r.CreatedDate?.getTime() ?? Infinity) >= from,
    );
    return undeliveredRequests(history, unknown, now);
  }

  /** Each delete's status (DescribeAccountAssignmentDeletionStatus); one that cannot be read is unknown. */
  async readDeleteStatuses(requestIds: readonly string[]): Promise<void> {
    const history = new RequestHistory(this.session);
    await Promise.all(
      requestIds.map(async (id) => {
        const status = await history.status('delete', id).catch(() => undefined);
        this.deleteStatuses.set(id, status ? snapshotOf(status, 'delete').status : undefined);
      }),
    );
  }
}
